// form.js is the purchase request's form (新建购置需求, and 编辑 of a draft) in a dialog: what is
// needed (category from the category tree, name, requirements), how many at what budgeted
// price, by when and why, the worst condition the unit would accept, and optionally the cards
// of the unit's own register the new items replace, found by searching the register. A
// message stands next to the field it is about; a new request can be submitted at once.

import { api, ApiError } from '../../api.js';
import { h, replace, uid } from '../../dom.js';
import { openDialog, select, FormError, button } from '../../ui.js';
import { categoryOptions, categoryNames, today, toFen, fenToYuan } from '../assets/common.js';
import { debounced } from '../../filters.js';
import { minConditions } from './status.js';

// fields of the form in the order it shows them. stem is the word the server's messages use for
// the field, so that its message lands next to it.
const fields = [
  { key: 'category_code', label: '资产分类', kind: 'category', required: true },
  { key: 'name', label: '品目名称', required: true, max: 200, placeholder: '如：台式计算机' },
  { key: 'quantity', label: '数量', kind: 'int', required: true },
  { key: 'unit_price', label: '预算单价（元）', stem: '预算单价', kind: 'money', required: true, placeholder: '如 4500' },
  { key: 'needed_by', label: '需用日期', kind: 'date' },
  { key: 'min_condition', label: '最低可接受成色', kind: 'condition', required: true },
  { key: 'requirements', label: '配置要求', kind: 'area', max: 2000, wide: true, placeholder: '规格、型号、最低配置等，调剂时据此判断闲置资产是否合用' },
  { key: 'reason', label: '购置理由', kind: 'area', max: 1000, wide: true, placeholder: '如：新进人员 2 名，现有设备不足' },
];

// asText is a stored value as the form's control holds it.
function asText(f, v) {
  if (v == null) return '';
  if (f.kind === 'money') {
    const fen = toFen(String(v));
    return Number.isNaN(fen) ? String(v) : fenToYuan(fen);
  }
  return String(v);
}

/**
 * requestForm builds the fields for req (the draft being edited; null for a new one) of the
 * unit with code unitCode. It returns {el, check(), body(), patch(base), showServerError(err)}.
 */
function requestForm(req, cats, unitCode) {
  const names = categoryNames(cats);
  const controls = {};
  const errors = {};
  const boxes = fields.map((f) => {
    const id = uid('request-' + f.key);
    const value = asText(f, req ? req[f.key] : defaults[f.key]);
    let control;
    if (f.kind === 'category') {
      const opts = categoryOptions(cats, '请选择资产分类');
      if (value && !names[value]) opts.push({ value, label: value });
      control = select(f.key, opts, value, { id, onchange: categoryChosen });
    } else if (f.kind === 'condition') {
      control = select(f.key, minConditions.map((c) => ({ value: c.value, label: `${c.label}（${c.hint}）` })), value, { id });
    } else if (f.kind === 'area') {
      control = h('textarea', {
        class: 'input input-area', name: f.key, id, rows: '2', maxlength: String(f.max), value, placeholder: f.placeholder,
      });
    } else {
      control = h('input', {
        class: 'input', name: f.key, id, autocomplete: 'off', value, placeholder: f.placeholder,
        type: f.kind === 'date' ? 'date' : 'text',
        inputmode: f.kind === 'int' ? 'numeric' : f.kind === 'money' ? 'decimal' : null,
        maxlength: f.max ? String(f.max) : null,
        min: f.kind === 'date' && !req ? today() : null,
      });
    }
    controls[f.key] = control;
    errors[f.key] = h('p', { class: 'field-error', id: id + '-error', role: 'alert', hidden: true });
    control.setAttribute('aria-describedby', id + '-error');
    // A corrected field drops its message at once.
    const fixed = () => {
      if (errors[f.key].hidden) return;
      errors[f.key].hidden = true;
      control.classList.remove('input-invalid');
      control.setAttribute('aria-invalid', 'false');
    };
    control.addEventListener('input', fixed);
    control.addEventListener('change', fixed);
    return h('div', { class: ['field', f.wide && 'field-wide'], dataset: { field: f.key } },
      h('label', { class: 'field-label', for: id }, f.label, f.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, '*') : null),
      control,
      errors[f.key]);
  });

  // A chosen category names the item when the clerk has not named it yet, and shows the
  // register's cards of that category to replace.
  let autoName = !req;
  controls.name.addEventListener('input', () => { autoName = !controls.name.value.trim(); });
  function categoryChosen() {
    const code = controls.category_code.value;
    if (autoName && names[code]) controls.name.value = names[code];
    picker.category(code);
  }

  const picker = replacesPicker(unitCode, req ? req.replaces || [] : [], req ? req.category_code : '');
  const pickerError = h('p', { class: 'field-error', role: 'alert', hidden: true });
  errors.replaces = pickerError;
  const el = h('div', { class: 'form-grid request-form' }, boxes,
    h('div', { class: 'field field-wide', dataset: { field: 'replaces' } },
      h('span', { class: 'field-label', id: picker.labelId }, '拟替换的资产（可不选）'),
      picker.el,
      h('p', { class: 'field-hint' }, '新购的资产用来替换本单位哪些旧资产：在本单位台账中按编号或名称查找后添加。'),
      pickerError));

  function read() {
    const out = {};
    for (const f of fields) out[f.key] = controls[f.key].value.trim();
    return out;
  }

  function showErrors(map) {
    let first = null;
    for (const key of Object.keys(errors)) {
      const msg = map[key];
      errors[key].hidden = !msg;
      replace(errors[key], msg || '');
      if (controls[key]) {
        controls[key].classList.toggle('input-invalid', !!msg);
        controls[key].setAttribute('aria-invalid', msg ? 'true' : 'false');
        if (msg && !first) first = controls[key];
      }
    }
    if (first) first.focus();
  }

  // check finds the mistakes that need no server.
  function check() {
    const v = read();
    const bad = {};
    for (const f of fields) {
      const t = v[f.key];
      if (!t) {
        if (f.required) bad[f.key] = f.kind === 'category' ? '请选择资产分类' : `请填写${f.stem || f.label}`;
        continue;
      }
      if (f.kind === 'int' && !/^\d+$/.test(t)) bad[f.key] = `${f.label}应为正整数`;
      if (f.kind === 'money' && Number.isNaN(toFen(t))) bad[f.key] = '预算单价应为金额，如 4500 或 4500.50（最多两位小数）';
      if (f.kind === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(t)) bad[f.key] = `${f.label}应为日期 YYYY-MM-DD`;
    }
    if (!bad.quantity && v.quantity && Number(v.quantity) < 1) bad.quantity = '数量至少为 1';
    if (!bad.quantity && Number(v.quantity) > 100000) bad.quantity = '数量过大（最多 100000）';
    if (!bad.needed_by && v.needed_by && !req && v.needed_by < today()) bad.needed_by = '需用日期不能早于今天';
    showErrors(bad);
    return Object.keys(bad).length === 0;
  }

  function value(f, t) {
    if (f.kind === 'int') return Number(t);
    if (f.kind === 'money') return fenToYuan(toFen(t));
    if (f.kind === 'date') return t || null;
    return t;
  }

  // body is the JSON of a new request.
  function body() {
    const v = read();
    const out = { unit: unitCode };
    for (const f of fields) out[f.key] = value(f, v[f.key]);
    out.replaces = picker.ids();
    return out;
  }

  // patch is what differs from base, with base's version.
  function patch(base) {
    const v = read();
    const out = { version: base.version };
    for (const f of fields) {
      const was = asText(f, base[f.key]);
      if (v[f.key] !== was) out[f.key] = value(f, v[f.key]);
    }
    const ids = picker.ids();
    const before = (base.replaces || []).slice().sort((a, b) => a - b).join(',');
    if (ids.slice().sort((a, b) => a - b).join(',') !== before) out.replaces = ids;
    return out;
  }

  // showServerError puts the server's message next to the field it names, if it names one.
  function showServerError(err) {
    const msg = err && err.message ? err.message : '';
    if (msg.includes('替换')) {
      showErrors({ replaces: msg });
      return true;
    }
    const f = [...fields].sort((a, b) => (b.stem || b.label).length - (a.stem || a.label).length)
      .find((x) => msg.includes(x.stem || x.label) || (x.key === 'min_condition' && msg.includes('成色')));
    if (!f) return false;
    showErrors({ [f.key]: msg });
    return true;
  }

  return { el, check, body, patch, showServerError, controls };
}

const defaults = { quantity: 1, min_condition: 'usable' };

// pickLimit is how many of the register's cards one search shows.
const pickLimit = 8;

/**
 * replacesPicker chooses cards of the unit's register: a search box, what it finds (the cards
 * of the chosen category before anything is typed), and the chosen cards with 移除.
 */
function replacesPicker(unitCode, initial, initialCategory) {
  const chosen = new Map(); // id → card (or {id} until it is read)
  const labelId = uid('replaces');
  let category = initialCategory || '';
  let seq = 0;
  const chosenList = h('ul', { class: 'pick-chosen', id: 'request-replaces', 'aria-labelledby': labelId });
  const found = h('div', { class: 'pick-found', 'aria-live': 'polite' });
  const search = h('input', {
    type: 'search', class: 'input', id: 'request-replace-search', autocomplete: 'off',
    placeholder: '按资产编号、名称查找本单位台账', 'aria-labelledby': labelId,
    // Enter in a dialog's field would submit the whole request.
    onkeydown: (e) => { if (e.key === 'Enter') { e.preventDefault(); find(); } },
    oninput: debounced(() => find(), 300),
  });

  function cardLine(c) {
    return [h('span', { class: 'mono' }, c.asset_no || `#${c.id}`), ' ', c.name || '',
      c.acquired_on ? h('span', { class: 'cell-sub-inline' }, `取得于 ${c.acquired_on}`) : null];
  }

  function drawChosen() {
    replace(chosenList, [...chosen.values()].map((c) => h('li', { class: 'pick-item', dataset: { id: String(c.id) } },
      h('span', { class: 'pick-text' }, cardLine(c)),
      button('移除', () => { chosen.delete(c.id); drawChosen(); find(); }, { kind: 'link', small: true, action: 'remove-replace' }))));
    chosenList.hidden = chosen.size === 0;
  }

  async function find() {
    const q = search.value.trim();
    const mine = ++seq;
    if (!q && !category) {
      replace(found, h('p', { class: 'muted small' }, '输入资产编号或名称查找；选好资产分类后，这里会列出本单位同类的资产。'));
      return;
    }
    const qs = new URLSearchParams({ limit: String(pickLimit) });
    if (unitCode) qs.set('unit', unitCode);
    if (q) qs.set('q', q); else qs.set('category', category);
    let res;
    try {
      res = await api.get('/assets?' + qs.toString());
    } catch (err) {
      if (mine === seq) replace(found, h('p', { class: 'field-error' }, err instanceof ApiError ? err.message : '查找失败，请重试'));
      return;
    }
    if (mine !== seq) return;
    const items = (res.items || []).filter((c) => !chosen.has(c.id));
    if (!items.length) {
      replace(found, h('p', { class: 'muted small' }, q ? `本单位台账中没有找到“${q}”` : '本单位台账中没有这一分类的资产，可输入编号或名称查找'));
      return;
    }
    replace(found,
      h('ul', { class: 'pick-list' }, items.map((c) => h('li', { class: 'pick-item', dataset: { id: String(c.id) } },
        h('span', { class: 'pick-text' }, cardLine(c)),
        button('添加', () => { chosen.set(c.id, c); drawChosen(); find(); }, { small: true, action: 'add-replace' })))),
      res.total > items.length && q ? h('p', { class: 'muted small' }, `共找到 ${res.total} 张，只列出前 ${items.length} 张；请输入更完整的编号或名称`) : null);
  }

  for (const id of initial) chosen.set(id, { id });
  drawChosen();
  // The cards of a draft being edited are read for their numbers and names.
  Promise.all(initial.map((id) => api.get('/assets/' + id).catch(() => null))).then((cards) => {
    for (const c of cards) if (c && chosen.has(c.id)) chosen.set(c.id, c);
    drawChosen();
  });
  find();

  return {
    el: h('div', { class: 'pick' }, chosenList, search, found),
    labelId,
    ids: () => [...chosen.keys()],
    category: (code) => { category = code; if (!search.value.trim()) find(); },
  };
}

/**
 * openRequestDialog asks for a new request of the clerk's unit, or the changes of a draft
 * (req). A new one may be submitted at once (the default). Resolves with the saved request,
 * or undefined when cancelled.
 */
export function openRequestDialog({ cats, unitCode, req = null }) {
  const form = requestForm(req, cats, unitCode);
  const submitNow = req ? null : h('input', {
    type: 'checkbox', name: 'submit', id: 'request-submit-now', checked: true,
    onchange: (e) => {
      const b = e.target.form && e.target.form.querySelector('button[data-action="submit"]');
      if (b) b.textContent = e.target.checked ? '提交需求' : '保存草稿';
    },
  });
  const body = [
    h('p', { class: 'dialog-note' }, req
      ? '草稿提交前可以随时修改；提交后将按这些内容在闲置资产库中查找可调剂的资产。'
      : '提交后，系统先在闲置资产库中查找可调剂的资产，并对照配置标准核对；找不到可调剂的资产时才进入购置审批。'),
    form.el,
    submitNow ? h('div', { class: 'field field-check' },
      h('label', { class: 'check', for: submitNow.id }, submitNow, h('span', null, '保存后立即提交'),
        h('span', { class: 'field-hint' }, '不勾选则保存为草稿，之后可在需求页面修改、提交。'))) : null,
  ];
  return openDialog({
    title: req ? '编辑购置需求' : '新建购置需求', name: req ? 'edit-request' : 'create-request', wide: true,
    submitLabel: req ? '保存修改' : '提交需求',
    body,
    onSubmit: async () => {
      if (!form.check()) throw new FormError('请按提示修改标红的栏目');
      try {
        if (req) {
          const patch = form.patch(req);
          if (Object.keys(patch).length === 1) return req; // nothing changed
          return await api.patch('/requests/' + req.id, patch);
        }
        return await api.post('/requests', { ...form.body(), submit: submitNow.checked });
      } catch (err) {
        if (err instanceof ApiError && err.status === 409) {
          throw new ApiError(409, err.code, `${err.message.replace(/[。.]+$/, '')}。请关闭对话框，页面会载入最新的内容后再修改。`);
        }
        form.showServerError(err);
        throw err;
      }
    },
  });
}
