// categories.js is the 资产分类 tab of 系统设置: the category tree, and an upload that
// replaces it from a CSV or Excel file.

import { api } from '../../api.js';
import { h, append, replace } from '../../dom.js';
import {
  panel, dataTable, toolbar, searchBox, button, formError, confirmAction, tableFooter, FormError,
} from '../../ui.js';
import { fmtInt } from '../../format.js';
import { treeOrder } from '../../categories.js';

function fmtSize(bytes) {
  if (bytes < 1024) return `${bytes} 字节`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export async function render(root) {
  let cats = [];
  let text = '';
  const list = h('div', { class: 'list' });

  async function load() {
    cats = treeOrder((await api.get('/categories')).items);
    draw();
  }

  function draw() {
    const q = text.toLowerCase();
    const rows = cats.filter((c) => !q || c.code.toLowerCase().includes(q) || c.name.includes(text));
    replace(list,
      dataTable({
        columns: [
          { label: '分类代码', value: (c) => h('span', { class: 'mono' }, c.code), width: 'code' },
          { label: '分类名称', value: (c) => h('span', { class: ['tree', 'lvl-' + Math.min(c.level || 1, 6), c.level === 1 && 'tree-root'] }, c.name) },
          { label: '最低使用年限', value: (c) => (c.min_years ? `${c.min_years} 年` : '—'), num: true, width: 'num' },
          { label: '备注', value: (c) => c.note || '', cls: 'muted' },
        ],
        rows,
        rowKey: (c) => c.code,
        empty: cats.length ? '没有符合条件的分类' : '分类表是空的，请在上方上传分类文件',
      }),
      tableFooter(`共 ${fmtInt(rows.length)} 个分类`));
  }

  const err = formError();
  const result = h('div', { class: 'alert alert-success', role: 'status', hidden: true });
  const fileName = h('span', { class: 'file-name file-name-empty' }, '未选择文件');
  const file = h('input', {
    type: 'file', name: 'file', id: 'category-file', class: 'visually-hidden',
    accept: '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    onchange: () => {
      const f = file.files[0];
      fileName.textContent = f ? `${f.name}（${fmtSize(f.size)}）` : '未选择文件';
      fileName.classList.toggle('file-name-empty', !f);
      err.clear();
    },
  });
  const submit = button('上传并替换', null, { kind: 'primary', type: 'submit', action: 'upload-categories' });
  const form = h('form', { class: 'upload-form', id: 'category-upload', novalidate: true },
    h('div', { class: 'upload-row' },
      h('span', { class: 'file-pick' },
        file,
        h('label', { class: 'btn btn-plain', for: 'category-file' }, '选择文件'),
        fileName),
      submit),
    err.el, result);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.clear();
    result.hidden = true;
    try {
      if (!file.files.length) throw new FormError('请先选择要上传的分类文件（CSV 或 .xlsx）');
      const ok = await confirmAction({
        title: '替换资产分类表',
        message: `将用“${file.files[0].name}”替换整个资产分类表。文件中没有的分类会被删除（仍被资产卡片使用的分类除外，这时整个文件不会导入）。确定继续吗？`,
        confirmLabel: '替换',
        onConfirm: async () => {},
      });
      if (!ok) return;
      submit.disabled = true;
      const fd = new FormData();
      fd.append('file', file.files[0]);
      const res = await api.upload('/categories/import', fd);
      replace(result, `导入完成：新增 ${fmtInt(res.added)} 个，更新 ${fmtInt(res.updated)} 个，未变 ${fmtInt(res.unchanged)} 个，删除 ${fmtInt(res.removed)} 个。`);
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

  append(root,
    panel({ title: '更新分类表' },
      h('p', { class: 'panel-text' },
        '上传 CSV 或 Excel（.xlsx）文件，整表替换资产分类。表头须包含：分类代码、分类名称、上级代码，可选：最低使用年限、备注。',
        '文件中任何一行有误，整个文件都不会导入，并会指出出错的行。'),
      form),
    panel({ title: '资产分类', cls: 'panel-flush' },
      toolbar(searchBox('按分类代码或名称查找', (v) => { text = v; draw(); }), null),
      list));
  await load();
}
