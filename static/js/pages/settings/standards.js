// standards.js is the 配置标准 tab of 系统设置: the configuration standards in force (price cap,
// minimum service life, quantity cap per staff), older and future versions on request, and an
// upload that adds new versions from a CSV or Excel file.

import { api } from '../../api.js';
import { h, append, replace } from '../../dom.js';
import {
  panel, dataTable, toolbar, searchBox, button, formError, confirmAction, tableFooter, tag, FormError,
} from '../../ui.js';
import { fmtInt, fmtMoney } from '../../format.js';

const statusTone = { in_force: 'success', pending: 'info', superseded: 'neutral' };

/** quantityCap writes a standard's quantity cap as a sentence. */
function quantityCap(s) {
  if (s.staff_percent) return `编制人数的 ${s.staff_percent}%`;
  if (s.staff_per_item) return `每 ${s.staff_per_item} 人 1 件`;
  return '—';
}

export async function render(root) {
  let list = { jurisdiction: '', items: [] };
  let text = '';
  let history = false;
  const table = h('div', { class: 'list' });
  const applied = h('p', { class: 'panel-note' });

  async function load() {
    list = await api.get('/standards');
    replace(applied, `购置需求提交时按“${list.jurisdiction}”的现行标准核对预算单价、数量上限和拟替换资产的使用年限；`,
      '核对结果只作提示，不阻止提交。类的代码（如 A02021000 打印机）适用于其下所有品目，品目自己的标准优先。');
    draw();
  }

  function draw() {
    const q = text.toLowerCase();
    const rows = list.items.filter((s) => (history || s.status !== 'superseded')
      && (!q || s.category_code.toLowerCase().includes(q) || s.item_name.includes(text) || s.jurisdiction.includes(text)));
    const inForce = list.items.filter((s) => s.in_force).length;
    replace(table,
      dataTable({
        columns: [
          { label: '适用地区', value: (s) => s.jurisdiction },
          { label: '分类代码', value: (s) => h('span', { class: 'mono' }, s.category_code), width: 'code' },
          { label: '品目名称', value: (s) => [s.item_name, s.category_name && s.category_name !== s.item_name ? h('span', { class: 'cell-sub' }, s.category_name) : null] },
          { label: '价格上限', value: (s) => (Number(s.price_cap) ? fmtMoney(s.price_cap) : '—'), num: true },
          { label: '最低使用年限', value: (s) => (s.min_years ? `${s.min_years} 年` : '按分类表'), num: true },
          { label: '数量上限', value: quantityCap },
          { label: '执行日期', value: (s) => s.effective_from || '—' },
          { label: '依据', value: (s) => s.source || '', cls: 'muted' },
          { label: '版本', value: (s) => `第 ${s.version} 版`, num: true },
          { label: '状态', value: (s) => tag(s.status_label, statusTone[s.status] || 'neutral') },
          { label: '备注', value: (s) => s.note || '', cls: 'muted' },
        ],
        rows,
        rowKey: (s) => `${s.jurisdiction}-${s.category_code}-${s.version}`,
        empty: list.items.length ? '没有符合条件的配置标准' : '还没有配置标准，请在上方上传配置标准文件',
      }),
      tableFooter(`现行 ${fmtInt(inForce)} 项`, `共 ${fmtInt(list.items.length)} 个版本`,
        history ? null : '（已替代的版本未显示）'));
  }

  const err = formError();
  const result = h('div', { class: 'alert alert-success', role: 'status', hidden: true });
  const fileName = h('span', { class: 'file-name file-name-empty' }, '未选择文件');
  const file = h('input', {
    type: 'file', name: 'file', id: 'standard-file', class: 'visually-hidden',
    accept: '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    onchange: () => {
      const f = file.files[0];
      fileName.textContent = f ? f.name : '未选择文件';
      fileName.classList.toggle('file-name-empty', !f);
      err.clear();
    },
  });
  const submit = button('上传并追加', null, { kind: 'primary', type: 'submit', action: 'upload-standards' });
  const form = h('form', { class: 'upload-form', id: 'standard-upload', novalidate: true },
    h('div', { class: 'upload-row' },
      h('span', { class: 'file-pick' },
        file,
        h('label', { class: 'btn btn-plain', for: 'standard-file' }, '选择文件'),
        fileName),
      submit),
    err.el, result);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.clear();
    result.hidden = true;
    try {
      if (!file.files.length) throw new FormError('请先选择要上传的配置标准文件（CSV 或 .xlsx）');
      const ok = await confirmAction({
        title: '导入配置标准',
        message: `“${file.files[0].name}”中的每一行都会成为该适用地区、该分类的新版本，原有版本保留为历史。确定继续吗？`,
        confirmLabel: '导入',
        onConfirm: async () => {},
      });
      if (!ok) return;
      submit.disabled = true;
      const fd = new FormData();
      fd.append('file', file.files[0]);
      const res = await api.upload('/standards/import', fd);
      replace(result, `导入完成：新增 ${fmtInt(res.added)} 个版本。`);
      result.hidden = false;
      form.reset();
      file.dispatchEvent(new Event('change'));
      await load();
    } catch (ex) {
      err.show(ex);
    } finally {
      submit.disabled = false;
    }
  });

  const historyBox = h('label', { class: 'check' },
    h('input', {
      type: 'checkbox', name: 'history', dataset: { action: 'toggle-history' },
      onchange: (e) => { history = e.target.checked; draw(); },
    }),
    ' 显示历史版本');

  append(root,
    panel({ title: '导入配置标准' },
      h('p', { class: 'panel-text' },
        '上传 CSV 或 Excel（.xlsx）文件，每行一项标准。表头须包含：适用地区、分类代码、品目名称；可选：价格上限（元）、最低使用年限、',
        '数量上限（占编制人数%）或数量上限（每N人一台）、执行日期、依据、备注（也可用英文列名 jurisdiction、category_code、item_name、price_cap 等）。',
        '每行都成为新版本，执行日期未到的版本到期后才生效；文件中任何一行有误，整个文件都不会导入，并会指出出错的行和列。'),
      form),
    panel({ title: '配置标准', cls: 'panel-flush' },
      applied,
      toolbar(searchBox('按地区、分类代码或品目查找', (v) => { text = v; draw(); }), historyBox),
      table));
  await load();
}
