// import.js is 从表格导入: many purchase requests from one spreadsheet (the template, or the
// unit's own sheet with the same columns). Choosing a file reads it without saving (a dry run)
// and previews the requests found and every mistake by the row and the column of the clerk's
// own file; only 确认导入 saves them, as drafts or submitted at once.

import { api } from '../../api.js';
import { h, replace } from '../../dom.js';
import { dataTable, formError, FormError, tag } from '../../ui.js';
import { fmtInt, fmtMoney } from '../../format.js';
import { conditionWord } from './status.js';

export const templateHref = '/api/v1/templates/requests.xlsx';

/**
 * openImportDialog imports requests for the unit with code unitCode. Resolves with the
 * import's answer ({saved: true, requests, …}) once saved, or undefined when closed without saving.
 */
export function openImportDialog({ unitCode }) {
  return new Promise((resolve) => {
    let preview = null; // the dry run's answer for the chosen file
    let result;
    const err = formError();
    const fileName = h('span', { class: 'file-name file-name-empty' }, '未选择文件');
    const file = h('input', {
      type: 'file', name: 'file', id: 'request-import-file', class: 'visually-hidden',
      accept: '.xlsx,.xls,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.ms-excel,text/csv',
      onchange: () => {
        const f = file.files[0];
        fileName.textContent = f ? f.name : '未选择文件';
        fileName.classList.toggle('file-name-empty', !f);
        preview = null;
        err.clear();
        replace(previewHost);
        draw();
        if (f) read();
      },
    });
    const submitNow = h('input', { type: 'checkbox', name: 'submit', id: 'request-import-submit', checked: true });
    const previewHost = h('div', { class: 'request-import-preview', id: 'request-import-preview', 'aria-live': 'polite' });
    const confirm = h('button', { type: 'submit', class: 'btn btn-primary', dataset: { action: 'confirm-import' } }, '确认导入');
    const cancel = h('button', { type: 'button', class: 'btn btn-plain', dataset: { action: 'cancel' } }, '取消');

    const form = h('form', { class: 'dialog-form', novalidate: true, dataset: { form: 'import-requests' } },
      h('div', { class: 'dialog-head' },
        h('h2', { class: 'dialog-title' }, '从表格导入购置需求'),
        h('button', { type: 'button', class: 'dialog-close', 'aria-label': '关闭', onclick: () => dlg.close() }, '×')),
      h('div', { class: 'dialog-body' },
        h('p', { class: 'dialog-note' },
          '一次登记多项购置需求：按模板填写，每行一项。选择文件后先预览，核对无误再确认导入。',
          h('a', { href: templateHref, download: true, dataset: { action: 'download-request-template' } }, '下载购置需求模板')),
        h('div', { class: 'upload-row' },
          h('span', { class: 'file-pick' },
            file,
            h('label', { class: 'btn btn-plain', for: file.id }, '选择文件'),
            fileName)),
        h('div', { class: 'field field-check' },
          h('label', { class: 'check', for: submitNow.id }, submitNow, h('span', null, '导入后立即提交'),
            h('span', { class: 'field-hint' }, '不勾选则导入为草稿，之后逐项核对、提交。'))),
        previewHost,
        err.el),
      h('div', { class: 'dialog-foot' }, cancel, confirm));
    const dlg = h('dialog', { class: 'dialog dialog-wide request-import-dialog' }, form);
    cancel.addEventListener('click', () => dlg.close());
    // Leaving the page (back, a link) closes the dialog with it.
    const leave = () => dlg.close();
    window.addEventListener('hashchange', leave);
    dlg.addEventListener('close', () => {
      window.removeEventListener('hashchange', leave);
      dlg.remove();
      resolve(result);
    });

    function draw() {
      const ok = preview && !(preview.errors || []).length && (preview.requests || []).length > 0;
      confirm.disabled = !ok;
    }

    function upload(dryRun) {
      const fd = new FormData();
      fd.append('file', file.files[0]);
      const qs = new URLSearchParams();
      if (unitCode) qs.set('unit', unitCode);
      if (dryRun) qs.set('dry_run', '1');
      if (submitNow.checked) qs.set('submit', '1');
      return api.upload('/requests/import?' + qs.toString(), fd);
    }

    async function read() {
      const chosen = file.files[0];
      replace(previewHost, h('p', { class: 'loading' }, '正在读取文件……'));
      try {
        const res = await upload(true);
        if (file.files[0] !== chosen) return;
        preview = res;
        replace(previewHost, previewOf(res));
      } catch (ex) {
        if (file.files[0] !== chosen) return;
        replace(previewHost);
        err.show(ex);
      }
      draw();
    }

    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      err.clear();
      try {
        if (!file.files.length) throw new FormError('请先选择填好的购置需求表（.xlsx 或 .csv）');
        if (!preview) throw new FormError('文件还在读取，请稍候');
        if ((preview.errors || []).length) throw new FormError('文件中有错误，请按上表修改后重新选择文件');
        confirm.disabled = true;
        result = await upload(false);
        dlg.close();
      } catch (ex) {
        if (ex && ex.status === 422) {
          // The file changed its meaning meanwhile (a card or category gone): read it again.
          await read();
          err.show('文件中有错误，没有导入任何需求。请按上表修改后重新选择文件。');
        } else {
          err.show(ex);
        }
        draw();
      }
    });

    draw();
    document.body.append(dlg);
    dlg.showModal();
  });
}

// standardsCell is a previewed request's standards check in a word or two.
function standardsCell(r) {
  const s = r.standards;
  if (!s) return h('span', { class: 'muted' }, '—');
  if (s.ok) return tag('符合', 'success');
  const findings = (s.findings || []).filter((f) => f.code !== 'no_standard');
  if (!findings.length) return h('span', { class: 'muted' }, '无适用标准');
  const t = tag(`${findings.length} 项超出标准`, 'warning');
  t.title = findings.map((f) => f.message).join('\n');
  return t;
}

// previewOf shows a dry run: the count, the mistakes by row and column, the requests found.
function previewOf(res) {
  const errors = res.errors || [];
  const reqs = res.requests || [];
  const head = errors.length
    ? h('div', { class: 'alert alert-error', role: 'alert' },
      `共读取 ${fmtInt(res.rows || 0)} 行，发现 ${fmtInt(errors.length)} 处错误，整个文件暂不能导入。请按下表在原文件中修改后重新选择文件。`)
    : h('div', { class: 'alert alert-success', role: 'status' },
      reqs.length ? `共读取 ${fmtInt(res.rows || reqs.length)} 行，可导入 ${fmtInt(reqs.length)} 项购置需求。核对无误后请点击“确认导入”。`
        : '文件中没有找到购置需求。请确认按模板填写，数据从表头下一行开始。');
  const ignored = res.ignored_columns || [];
  return h('div', null, head,
    ignored.length ? h('p', { class: 'muted small' }, `以下列与购置需求无关，不会导入：${ignored.join('、')}`) : null,
    errors.length ? h('div', { class: 'request-import-errors' },
      h('h3', { class: 'sub-title' }, '需要修改的地方'),
      dataTable({
        cls: 'import-error-table',
        columns: [
          { label: '行号', value: (x) => (x.row ? fmtInt(x.row) : '—'), num: true, cls: 'col-row' },
          { label: '列', value: (x) => x.column || '整行' },
          { label: '问题', value: (x) => x.message },
        ],
        rows: errors,
      })) : null,
    reqs.length ? h('div', null,
      h('h3', { class: 'sub-title' }, errors.length ? `读取无误的需求（${fmtInt(reqs.length)} 项）` : `将导入的购置需求（${fmtInt(reqs.length)} 项）`),
      dataTable({
        cls: 'import-request-table',
        columns: [
          { label: '行号', value: (r) => (r.row ? fmtInt(r.row) : ''), num: true, cls: 'col-row' },
          { label: '品目名称', value: (r) => r.name },
          { label: '资产分类', value: (r) => h('span', { title: r.category_code }, r.category_name || r.category_code) },
          { label: '数量', value: (r) => fmtInt(r.quantity), num: true },
          { label: '预算单价', value: (r) => fmtMoney(r.unit_price), num: true },
          { label: '需用日期', value: (r) => h('span', { class: 'nowrap' }, r.needed_by || '—') },
          { label: '最低成色', value: (r) => conditionWord(r.min_condition, r.min_condition_label) },
          { label: '配置标准', value: standardsCell },
        ],
        rows: reqs,
      })) : null);
}
