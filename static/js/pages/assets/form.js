// form.js is the asset card's form: the editable fields with their checks, messages next to
// the field they are about, and the patch of what changed. The card page edits a card with it;
// 新增资产卡片 uses it in a dialog.

import { api } from '../../api.js';
import { h, replace, uid } from '../../dom.js';
import { openDialog, select, FormError } from '../../ui.js';
import {
  usages, conditions, categoryOptions, categoryNames, showValue, today, toFen, fenToYuan,
} from './common.js';

// fields of the form in the order it shows them. kind: text (default), int, money, date,
// category, usage, condition, area (several lines). stem is the word the server's messages
// use for the field, to put a message next to it.
const fields = [
  { key: 'asset_no', label: '资产编号', required: true, max: 64 },
  { key: 'name', label: '资产名称', required: true, max: 200 },
  { key: 'category_code', label: '资产分类', kind: 'category', required: true },
  { key: 'quantity', label: '数量', kind: 'int', required: true },
  { key: 'measure_unit', label: '计量单位', max: 16, placeholder: '台、套、件……' },
  { key: 'original_value', label: '原值（元）', stem: '原值', kind: 'money', required: true },
  { key: 'acquired_on', label: '取得日期', kind: 'date', required: true },
  { key: 'acquisition_method', label: '取得方式', max: 32, placeholder: '新购、调拨、捐赠……' },
  { key: 'usage_status', label: '使用状况', kind: 'usage', required: true },
  { key: 'condition', label: '完好程度', kind: 'condition', required: true },
  { key: 'idle_since', label: '闲置起始日', kind: 'date', idleOnly: true, editOnly: true, hint: '留空则记为今天' },
  {
    key: 'offered_quantity', label: '可调剂数量', kind: 'int', idleOnly: true, editOnly: true, manyOnly: true,
    hint: '提供给其他单位调剂的件数；0 表示整张卡片全部可调剂',
  },
  { key: 'department', label: '使用部门', max: 100 },
  { key: 'custodian', label: '使用人', max: 100 },
  { key: 'location', label: '存放地点', max: 200 },
  { key: 'brand', label: '品牌', max: 100 },
  { key: 'model', label: '规格型号', max: 200 },
  { key: 'serial_no', label: '序列号', max: 100 },
  { key: 'funding_source', label: '经费来源', max: 100 },
  { key: 'remarks', label: '备注', kind: 'area', max: 500, wide: true },
];

// asText is a stored value as the form's control holds it.
function asText(f, v) {
  if (v == null) return '';
  if (f.kind === 'money') {
    const fen = toFen(v);
    return Number.isNaN(fen) ? String(v) : fenToYuan(fen);
  }
  return String(v);
}

// same says whether the form's text t means the stored value v.
function same(f, t, v) {
  if (f.kind === 'money') return toFen(t) === toFen(v == null ? '' : v);
  if (f.kind === 'int') return String(Number(t)) === String(v == null ? 0 : v);
  return t === (v == null ? '' : String(v));
}

/**
 * assetForm builds the fields for card (the card being edited; null for a new one). It returns
 * {el, read(), check(), body(), patch(base), showErrors(map), showServerError(err), merge(base, fresh)}.
 */
export function assetForm(card, cats) {
  const editing = !!card;
  const names = categoryNames(cats);
  const controls = {};
  const boxes = {};
  const errors = {};
  const notes = {};
  const shown = fields.filter((f) => editing || !f.editOnly);
  const boxList = shown.map((f) => {
    const id = uid('asset-' + f.key);
    const value = asText(f, card ? card[f.key] : defaults[f.key]);
    let control;
    if (f.kind === 'category') {
      const opts = categoryOptions(cats, '请选择资产分类');
      if (value && !names[value]) opts.push({ value, label: value });
      control = select(f.key, opts, value, { id });
    } else if (f.kind === 'usage') {
      control = select(f.key, usages, value, { id, onchange: toggleIdle });
    } else if (f.kind === 'condition') {
      control = select(f.key, conditions, value, { id });
    } else if (f.kind === 'area') {
      control = h('textarea', { class: 'input input-area', name: f.key, id, rows: '2', maxlength: String(f.max), value });
    } else {
      control = h('input', {
        class: 'input', name: f.key, id, autocomplete: 'off', value, placeholder: f.placeholder,
        type: f.kind === 'date' ? 'date' : 'text',
        inputmode: f.kind === 'int' ? 'numeric' : f.kind === 'money' ? 'decimal' : null,
        maxlength: f.max ? String(f.max) : null,
        max: f.kind === 'date' ? today() : null,
        oninput: f.key === 'quantity' ? toggleIdle : null,
      });
    }
    controls[f.key] = control;
    errors[f.key] = h('p', { class: 'field-error', id: id + '-error', role: 'alert', hidden: true });
    notes[f.key] = h('p', { class: 'field-note', hidden: true });
    control.setAttribute('aria-describedby', id + '-error');
    const box = h('div', { class: ['field', f.wide && 'field-wide'], dataset: { field: f.key } },
      h('label', { class: 'field-label', for: id }, f.label, f.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, '*') : null),
      control,
      f.hint ? h('p', { class: 'field-hint' }, f.hint) : null,
      notes[f.key],
      errors[f.key]);
    boxes[f.key] = box;
    return box;
  });
  const el = h('div', { class: 'form-grid asset-form' }, boxList);

  // Idle-only fields show while the form says 闲置; the offer only for a card of several pieces.
  function toggleIdle() {
    const idle = controls.usage_status.value === 'idle';
    const many = Number(controls.quantity.value) > 1;
    for (const f of shown) {
      if (!f.idleOnly) continue;
      boxes[f.key].hidden = !idle || (f.manyOnly && !many && !(card && card.offered_quantity));
    }
  }
  toggleIdle();

  function read() {
    const out = {};
    for (const f of shown) out[f.key] = controls[f.key].value.trim();
    return out;
  }

  function showErrors(map) {
    let first = null;
    for (const f of shown) {
      const msg = map[f.key];
      errors[f.key].hidden = !msg;
      replace(errors[f.key], msg || '');
      controls[f.key].classList.toggle('input-invalid', !!msg);
      controls[f.key].setAttribute('aria-invalid', msg ? 'true' : 'false');
      if (msg && !first && !boxes[f.key].hidden) first = controls[f.key];
    }
    if (first) first.focus();
    return !!first || Object.keys(map).length > 0;
  }

  // check finds the mistakes that need no server: {field: message}.
  function check() {
    const v = read();
    const bad = {};
    for (const f of shown) {
      if (boxes[f.key].hidden) continue;
      const t = v[f.key];
      if (!t) {
        if (f.required) bad[f.key] = `请填写${f.stem || f.label}`;
        continue;
      }
      if (f.kind === 'int' && !/^\d+$/.test(t)) bad[f.key] = `${f.label}应为整数`;
      if (f.kind === 'money' && Number.isNaN(toFen(t))) bad[f.key] = '原值应为金额，如 5000 或 1234.50（最多两位小数）';
      if (f.kind === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(t)) bad[f.key] = `${f.label}应为日期 YYYY-MM-DD`;
    }
    if (!bad.quantity && v.quantity && Number(v.quantity) < 1) bad.quantity = '数量至少为 1';
    if (!bad.acquired_on && v.acquired_on && v.acquired_on > today()) bad.acquired_on = '取得日期不能晚于今天';
    if (!bad.idle_since && v.idle_since && v.idle_since > today()) bad.idle_since = '闲置起始日不能晚于今天';
    if (!bad.offered_quantity && v.offered_quantity && !boxes.offered_quantity.hidden && Number(v.offered_quantity) > Number(v.quantity)) {
      bad.offered_quantity = `可调剂数量不能超过数量 ${v.quantity}`;
    }
    showErrors(bad);
    return Object.keys(bad).length === 0;
  }

  // body is the JSON of the form for POST: every filled field.
  function body() {
    const v = read();
    const out = {};
    for (const f of shown) {
      const t = v[f.key];
      if (t === '' && f.kind !== undefined && f.kind !== 'area') continue;
      out[f.key] = f.kind === 'int' ? Number(t) : f.kind === 'money' ? fenToYuan(toFen(t)) : t;
    }
    return out;
  }

  // patch is what differs from base for PATCH; idle-only fields go only while 闲置.
  function patch(base) {
    const v = read();
    const out = {};
    const idle = v.usage_status === 'idle';
    for (const f of shown) {
      if (f.idleOnly && (!idle || boxes[f.key].hidden)) continue;
      const t = v[f.key];
      if (same(f, t, base[f.key])) continue;
      if (f.kind === 'int') out[f.key] = Number(t || 0);
      else if (f.kind === 'money') out[f.key] = fenToYuan(toFen(t));
      else if (f.kind === 'date') out[f.key] = t || null;
      else out[f.key] = t;
    }
    return out;
  }

  // showServerError puts the server's message next to the field it names, if it names one.
  function showServerError(err) {
    const msg = err && err.message ? err.message : '';
    const byLength = [...shown].sort((a, b) => (b.stem || b.label).length - (a.stem || a.label).length);
    const f = byLength.find((x) => msg.includes(x.stem || x.label) && !boxes[x.key].hidden);
    if (!f) return false;
    showErrors({ [f.key]: msg });
    return true;
  }

  // merge brings in what someone else saved meanwhile (base → fresh): a field the user left
  // alone takes the new value, a field both changed keeps the user's text; both are noted
  // under the field. It returns the labels of each kind.
  function merge(base, fresh) {
    const adopted = [];
    const clashes = [];
    for (const f of shown) {
      const was = base[f.key];
      const now = fresh[f.key];
      const theirs = f.kind === 'money' ? toFen(was == null ? '' : was) !== toFen(now == null ? '' : now)
        : String(was == null ? '' : was) !== String(now == null ? '' : now);
      const mine = !same(f, controls[f.key].value.trim(), was);
      notes[f.key].hidden = !theirs;
      boxes[f.key].classList.toggle('field-changed', theirs);
      if (!theirs) continue;
      const shownNow = showValue(f.key, now, names) || '（空）';
      if (mine) {
        replace(notes[f.key], `他人已改为：${shownNow}；保存时以您填写的为准`);
        clashes.push(f.label);
      } else {
        controls[f.key].value = asText(f, now);
        replace(notes[f.key], `已采用他人的修改：${shownNow}`);
        adopted.push(f.label);
      }
    }
    toggleIdle();
    return { adopted, clashes };
  }

  return { el, read, check, body, patch, showErrors, showServerError, merge, controls };
}

const defaults = { quantity: 1, usage_status: 'in_use', condition: 'usable' };

/** openCreateDialog asks for a new card of the clerk's own unit; resolves with it, or undefined. */
export function openCreateDialog({ cats }) {
  const form = assetForm(null, cats);
  return openDialog({
    title: '新增资产卡片', name: 'create-asset', submitLabel: '新增', wide: true,
    body: [h('p', { class: 'dialog-note' }, '零星购置、未随清查表导入的资产可在这里逐张登记；批量登记请用“导入”。'), form.el],
    onSubmit: async () => {
      if (!form.check()) throw new FormError('请按提示修改标红的栏目');
      try {
        return await api.post('/assets', form.body());
      } catch (err) {
        form.showServerError(err);
        throw err;
      }
    },
  });
}
