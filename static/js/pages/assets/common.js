// common.js holds what the register list, the asset card and its form share: the words for
// usage status and condition with their tags, the card's field labels, the category table as a
// drop-down, the list's filters as they travel in the hash, and how a stored value is shown.

import { api } from '../../api.js';
import { treeOrder } from '../../categories.js';
import { h } from '../../dom.js';
import { tag } from '../../ui.js';
import { fmtMoney } from '../../format.js';

export { fmtDateTime } from '../imports/view.js';

/** usages are the usage statuses (使用状况) in display order, with their tag tones. */
export const usages = [
  { value: 'in_use', label: '在用', tone: 'success' },
  { value: 'idle', label: '闲置', tone: 'warning' },
  { value: 'leased', label: '出租', tone: 'info' },
  { value: 'lent', label: '出借', tone: 'info' },
  { value: 'pending_disposal', label: '待处置', tone: 'danger' },
  { value: 'under_repair', label: '维修中', tone: 'warning' },
  { value: 'other', label: '其他', tone: 'neutral' },
];

/** conditions are the conditions (完好程度), best first, with their tag tones. */
export const conditions = [
  { value: 'new', label: '全新', tone: 'info' },
  { value: 'usable', label: '完好', tone: 'success' },
  { value: 'repairable', label: '需维修', tone: 'warning' },
  { value: 'salvage', label: '仅残值', tone: 'danger' },
  { value: 'scrap', label: '报废', tone: 'danger' },
];

const byValue = (list) => Object.fromEntries(list.map((o) => [o.value, o]));
const usageBy = byValue(usages);
const conditionBy = byValue(conditions);

export function usageLabel(v) {
  return usageBy[v] ? usageBy[v].label : v || '';
}

export function conditionLabel(v) {
  return conditionBy[v] ? conditionBy[v].label : v || '';
}

/** usageTag is a usage status as a tag with its text: 在用, 闲置 … */
export function usageTag(v) {
  const o = usageBy[v];
  return h('span', { class: 'tag tag-' + (o ? o.tone : 'neutral'), dataset: { usage: v || '' } }, o ? o.label : v || '—');
}

/** conditionTag is a condition as a tag with its text: 全新, 完好 … */
export function conditionTag(v) {
  const o = conditionBy[v];
  return h('span', { class: 'tag tag-' + (o ? o.tone : 'neutral'), dataset: { condition: v || '' } }, o ? o.label : v || '—');
}

/** poolTag says whether an idle card stands in the idle pool (闲置资产库). */
export function poolTag(card) {
  if (card.in_pool) return tag('在闲置资产库中', 'info');
  if (card.usage_status === 'idle') {
    const t = tag('未进入闲置资产库', 'neutral');
    t.title = `完好程度为“${conditionLabel(card.condition)}”的闲置资产不提供给其他单位调剂`;
    return t;
  }
  return null;
}

/** fieldLabels are the card's fields as the UI and the change history name them. */
export const fieldLabels = {
  asset_no: '资产编号',
  name: '资产名称',
  category_code: '资产分类',
  quantity: '数量',
  measure_unit: '计量单位',
  original_value: '原值',
  acquired_on: '取得日期',
  acquisition_method: '取得方式',
  book_depreciation: '清查表累计折旧',
  book_net_value: '清查表净值',
  usage_status: '使用状况',
  condition: '完好程度',
  department: '使用部门',
  custodian: '使用人',
  location: '存放地点',
  model: '规格型号',
  brand: '品牌',
  serial_no: '序列号',
  funding_source: '经费来源',
  remarks: '备注',
  idle_since: '闲置起始日',
  offered_quantity: '可调剂数量',
  unit_id: '所属单位',
};

const moneyFields = new Set(['original_value', 'book_depreciation', 'book_net_value']);

/**
 * showValue writes a stored field value as the card shows it: money as ¥1,000.00, codes as
 * their Chinese words, a category with its name; '' for nothing.
 */
export function showValue(key, v, catNames = {}) {
  if (v == null || v === '') return '';
  if (moneyFields.has(key)) return fmtMoney(v);
  if (key === 'usage_status') return usageLabel(v);
  if (key === 'condition') return conditionLabel(v);
  if (key === 'category_code') return catNames[v] ? `${v} ${catNames[v]}` : String(v);
  if (key === 'offered_quantity' && Number(v) === 0) return '0（整张卡片）';
  return String(v);
}

let categoriesOnce = null;

/** loadCategories returns the category table in tree order (each class right after its parent). */
export function loadCategories() {
  if (!categoriesOnce) {
    categoriesOnce = api.get('/categories').then((r) => treeOrder(r.items || []))
      .catch((err) => { categoriesOnce = null; throw err; });
  }
  return categoriesOnce;
}

/** categoryNames maps each category code to its name. */
export function categoryNames(cats) {
  return Object.fromEntries(cats.map((c) => [c.code, c.name]));
}

/** categoryOptions are the categories for a drop-down, indented by level; first is the blank choice. */
export function categoryOptions(cats, blank) {
  return [{ value: '', label: blank }].concat(cats.map((c) => ({
    value: c.code, label: '\u3000'.repeat(Math.min(c.depth, 5)) + `${c.name}（${c.code}）`,
  })));
}

// --- the list's filters, as they travel in the hash: #/assets?q=打印&status=idle ---

/** filterKeys are the list's filters in the order the hash and the export link write them. */
export const filterKeys = ['unit', 'q', 'category', 'status', 'condition', 'department', 'location', 'custodian',
  'year_from', 'year_to', 'value_min', 'value_max', 'idle_from', 'idle_to'];

/** readFilters reads the filters and the sort from the hash's query. */
export function readFilters(query) {
  const out = { sort: (query && query.get('sort')) || '' };
  for (const k of filterKeys) out[k] = (query && query.get(k)) || '';
  return out;
}

/** filterQuery is the query string of state: its set filters and the sort, unless withSort is false. */
export function filterQuery(state, withSort = true) {
  const qs = new URLSearchParams();
  for (const k of filterKeys) if (state[k]) qs.set(k, state[k]);
  if (withSort && state.sort) qs.set('sort', state.sort);
  return qs;
}

const listKey = 'assetpool.asset-list';

/** rememberList keeps the list's hash, so that the card's "back" returns to the same filters. */
export function rememberList(hash) {
  try {
    sessionStorage.setItem(listKey, hash);
  } catch {
    // Private windows may refuse storage; "back" then opens the list unfiltered.
  }
}

/** listHash is the hash of the list as the user left it. */
export function listHash() {
  try {
    const v = sessionStorage.getItem(listKey);
    if (v && v.startsWith('#/assets')) return v;
  } catch {
    // see rememberList
  }
  return '#/assets';
}

/** labelsHref is the printable A4 label sheet of the given cards. */
export function labelsHref(ids) {
  return '/api/v1/labels.html?ids=' + ids.join(',');
}

/** today is the local date as YYYY-MM-DD. */
export function today() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** toFen reads a yuan amount the user typed ("1,234.5", "¥80") as whole fen; NaN when it is none. */
export function toFen(s) {
  const t = String(s == null ? '' : s).replace(/[,，\s¥￥]/g, '');
  const m = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(t);
  if (!m) return NaN;
  return Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0'));
}

/** fenToYuan writes fen as the API's yuan text: 123456 → "1234.56". */
export function fenToYuan(fen) {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}
