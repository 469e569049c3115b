// ui.js holds the few building blocks every page uses: page header, panels, tables, tags,
// empty states, form fields, dialogs, confirmations and notices. Pages compose these and do
// not invent their own, so that the product looks the same everywhere.

import { h, append, replace, uid } from './dom.js';
import { ApiError } from './api.js';

/** pageHeader is the top of a page: where the user is, a line on what it is for, actions. */
export function pageHeader(title, subtitle, ...actions) {
  return h('div', { class: 'page-header' },
    h('div', { class: 'page-heading' },
      h('h1', { class: 'page-title' }, title),
      subtitle ? h('p', { class: 'page-subtitle' }, subtitle) : null),
    actions.length ? h('div', { class: 'page-actions' }, actions) : null);
}

/** panel is a white box with an optional title bar, title-side actions and a body. */
export function panel({ title, actions, cls }, ...body) {
  return h('section', { class: ['panel', cls] },
    title ? h('div', { class: 'panel-head' },
      h('h2', { class: 'panel-title' }, title),
      actions ? h('div', { class: 'panel-actions' }, actions) : null) : null,
    h('div', { class: 'panel-body' }, body));
}

/** button makes a button; kind is primary, danger, link or plain (default). */
export function button(label, onclick, { kind = 'plain', type = 'button', small, action, disabled } = {}) {
  return h('button', {
    type, class: ['btn', 'btn-' + kind, small && 'btn-sm'], onclick, disabled,
    dataset: action ? { action } : undefined,
  }, label);
}

/** tag is a small coloured status label; the text carries the meaning, the colour helps. */
export function tag(text, tone = 'neutral') {
  return h('span', { class: ['tag', 'tag-' + tone] }, text);
}

/** emptyState says that there is nothing here yet, and what to do about it. */
export function emptyState(title, text, ...actions) {
  return emptyBlock('empty', title, text, actions);
}

/** emptyNote is a smaller empty state for a side panel or a secondary list. */
export function emptyNote(title, text, ...actions) {
  return emptyBlock('empty empty-compact', title, text, actions);
}

function emptyBlock(cls, title, text, actions) {
  return h('div', { class: cls },
    h('div', { class: 'empty-mark', 'aria-hidden': 'true' }),
    h('p', { class: 'empty-title' }, title),
    text ? h('p', { class: 'empty-text' }, text) : null,
    actions.length ? h('div', { class: 'empty-actions' }, actions) : null);
}

/** loading is a quiet placeholder while a request is under way. */
export function loading(text = '正在加载……') {
  return h('p', { class: 'loading' }, text);
}

/** errorBox shows a failed request's Chinese message where the page's content would be. */
export function errorBox(err) {
  return h('div', { class: 'alert alert-error', role: 'alert' }, messageOf(err));
}

/** FormError is a mistake found before asking the server; its message is shown as it is. */
export class FormError extends Error {}

/** messageOf is the text to show for an error. */
export function messageOf(err) {
  if (err instanceof ApiError || err instanceof FormError) return err.message;
  return '页面出错了，请刷新后重试' + (err && err.message ? `（${err.message}）` : '');
}

/**
 * dataTable renders rows as a dense table. columns: [{label, value(row) → node|text,
 * num (right-aligned), cls, width}]. empty is shown in place of the body when there are no rows.
 */
export function dataTable({ columns, rows, empty, rowKey, cls }) {
  const head = h('thead', null, h('tr', null,
    columns.map((c) => h('th', { class: [c.num && 'num', c.cls, c.width && 'w-' + c.width], scope: 'col' }, c.label))));
  const body = h('tbody', null, rows.map((r) => h('tr', { dataset: rowKey ? { key: String(rowKey(r)) } : undefined },
    columns.map((c) => h('td', { class: [c.num && 'num', c.cls] }, c.value(r))))));
  const table = h('table', { class: ['table', cls] }, head, body);
  if (!rows.length && empty) {
    body.append(h('tr', { class: 'table-empty' }, h('td', { colspan: String(columns.length) }, empty)));
  }
  return h('div', { class: 'table-wrap' }, table);
}

/** tableFooter is the line under a list: counts and totals. */
export function tableFooter(...parts) {
  return h('div', { class: 'table-footer' }, parts.filter((p) => p != null && p !== false).map((p) => h('span', null, p)));
}

/** toolbar is the row of filters and actions above a list. */
export function toolbar(left, right) {
  return h('div', { class: 'toolbar' },
    h('div', { class: 'toolbar-filters' }, left),
    h('div', { class: 'toolbar-actions' }, right));
}

/** searchBox is a filter input that calls oninput with the trimmed text. */
export function searchBox(placeholder, oninput) {
  return h('input', {
    type: 'search', class: 'input input-search', placeholder, 'aria-label': placeholder,
    oninput: (e) => oninput(e.target.value.trim()),
  });
}

/** field wraps a form control with its label, a required mark and a hint. */
export function field(label, control, { required, hint, cls } = {}) {
  if (!control.id) control.id = uid('field');
  return h('div', { class: ['field', cls] },
    h('label', { class: 'field-label', for: control.id }, label,
      required ? h('span', { class: 'req', 'aria-hidden': 'true' }, '*') : null),
    control,
    hint ? h('p', { class: 'field-hint' }, hint) : null);
}

/** input makes a text-like input; attrs go to the element. */
export function input(name, attrs = {}) {
  return h('input', { class: 'input', name, type: 'text', autocomplete: 'off', ...attrs });
}

/** select makes a drop-down from [{value, label}]. */
export function select(name, options, value, attrs = {}) {
  return h('select', { class: 'input', name, ...attrs, value: value == null ? '' : String(value) },
    options.map((o) => h('option', { value: String(o.value) }, o.label)));
}

/** formError is the place next to a form where the API's message appears. */
export function formError() {
  const el = h('div', { class: 'alert alert-error form-error', role: 'alert', hidden: true });
  return {
    el,
    show(err) { replace(el, typeof err === 'string' ? err : messageOf(err)); el.hidden = false; },
    clear() { el.hidden = true; el.replaceChildren(); },
  };
}

/**
 * openDialog shows a modal form. body is the fields; onSubmit(form) does the work and may
 * throw: its message is shown inside the dialog, next to the form, and the dialog stays open.
 * Returns a promise that resolves with onSubmit's result, or undefined when cancelled.
 */
export function openDialog({ title, body, submitLabel = '保存', danger = false, name, wide = false, onSubmit }) {
  return new Promise((resolve) => {
    const err = formError();
    const submit = h('button', { type: 'submit', class: ['btn', danger ? 'btn-danger' : 'btn-primary'], dataset: { action: 'submit' } }, submitLabel);
    const cancel = h('button', { type: 'button', class: 'btn btn-plain', dataset: { action: 'cancel' } }, '取消');
    const form = h('form', { class: 'dialog-form', novalidate: true, dataset: name ? { form: name } : undefined },
      h('div', { class: 'dialog-head' },
        h('h2', { class: 'dialog-title' }, title),
        h('button', { type: 'button', class: 'dialog-close', 'aria-label': '关闭', onclick: () => dlg.close() }, '×')),
      h('div', { class: 'dialog-body' }, body, err.el),
      h('div', { class: 'dialog-foot' }, cancel, submit));
    const dlg = h('dialog', { class: ['dialog', wide && 'dialog-wide'] }, form);
    let result;
    cancel.addEventListener('click', () => dlg.close());
    dlg.addEventListener('close', () => { dlg.remove(); resolve(result); });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      err.clear();
      submit.disabled = true;
      try {
        result = await onSubmit(form);
        dlg.close();
      } catch (ex) {
        err.show(ex);
        if (!(ex instanceof ApiError) && !(ex instanceof FormError)) console.warn(ex);
      } finally {
        submit.disabled = false;
      }
    });
    document.body.append(dlg);
    dlg.showModal();
    const first = form.querySelector('.dialog-body input:not([type=hidden]):not([readonly]), .dialog-body select');
    if (first) first.focus();
  });
}

/** confirmAction asks before something that cannot be undone, and shows its error in place. */
export function confirmAction({ title, message, confirmLabel = '删除', onConfirm }) {
  return openDialog({
    title, danger: true, submitLabel: confirmLabel, name: 'confirm',
    body: h('p', { class: 'confirm-text' }, message),
    onSubmit: async () => { await onConfirm(); return true; },
  });
}

let noticeHost = null;

/** notify shows a short message at the top of the screen that fades after a few seconds. */
export function notify(text, tone = 'success') {
  if (!noticeHost || !noticeHost.isConnected) {
    noticeHost = h('div', { class: 'notices', role: 'status', 'aria-live': 'polite' });
    document.body.append(noticeHost);
  }
  const el = h('div', { class: ['notice', 'notice-' + tone] }, text);
  noticeHost.append(el);
  setTimeout(() => el.classList.add('notice-out'), 3500);
  setTimeout(() => el.remove(), 4000);
}

/** formValues reads named controls of a form: text trimmed, checkboxes as booleans. */
export function formValues(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name) continue;
    if (el.type === 'checkbox') out[el.name] = el.checked;
    else if (el.type === 'file') out[el.name] = el.files;
    else if (el.type === 'password') out[el.name] = el.value;
    else out[el.name] = typeof el.value === 'string' ? el.value.trim() : el.value;
  }
  return out;
}

/** definitionList shows label/value pairs, e.g. a unit's details. */
export function definitionList(pairs) {
  return h('dl', { class: 'deflist' }, pairs.map(([k, v]) => [h('dt', null, k), h('dd', null, v === '' || v == null ? '—' : v)]));
}

/** stats shows a row of key figures: [label, value, note] each, numbers large and right where they belong. */
export function stats(items) {
  return h('div', { class: 'stats' }, items.map(([label, value, note]) =>
    h('div', { class: 'stat' },
      h('div', { class: 'stat-label' }, label),
      h('div', { class: 'stat-value' }, value),
      note ? h('div', { class: 'stat-note' }, note) : null)));
}

export { h, append, replace };
