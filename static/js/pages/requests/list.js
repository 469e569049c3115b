// list.js draws 购置需求's list (#/requests): filters on top (status, and the unit for finance and
// administrators), the requests newest first in a dense table with how much of each is
// proposed, delivered and still lacking, the totals under it and 加载更多. A clerk files a new
// request here, one by the form or many from a spreadsheet. The filters live in the hash's
// query (#/requests?status=draft), rewritten in place as they change.

import { api } from '../../api.js';
import { h, append, replace } from '../../dom.js';
import {
  pageHeader, panel, button, dataTable, tableFooter, toolbar, select, emptyState, notify, messageOf, FormError,
} from '../../ui.js';
import { fmtInt, fmtMoney, fmtDate } from '../../format.js';
import { keysetLoader } from '../../keyset.js';
import { withCurrent, hashFilters } from '../../filters.js';
import { loadCategories } from '../assets/common.js';
import { requestStatuses, openStatuses, requestTag, budget, sumBudget } from './status.js';
import { openRequestDialog } from './form.js';
import { openImportDialog, templateHref } from './import.js';

// pageSize is how many requests one request brings; 加载更多 appends the next as many.
const pageSize = 50;
const filterKeys = ['unit', 'status'];

/** showList draws the list of requests into root; ctx.query carries the filters. */
export async function showList(root, { user, query, navigate }) {
  const clerk = user.role === 'clerk';
  if (clerk && !user.unit) {
    throw new FormError('您的账号还没有指定所属单位，请联系系统管理员');
  }
  const units = clerk ? [] : await api.get('/units').then((r) => r.items || []);
  const unitCode = clerk ? user.unit.code : '';

  const state = {};
  for (const k of filterKeys) state[k] = query.get(k) || '';
  let rows = [];
  let total = 0;
  let next = null;

  // --- filters ---
  const statusOptions = [{ value: '', label: '全部状态' }, { value: openStatuses, label: '待调剂（已提交、部分匹配、已匹配）' }]
    .concat(requestStatuses.map((s) => ({ value: s.value, label: s.label })));
  const statusSelect = select('status', withCurrent(statusOptions, state.status), state.status,
    { 'aria-label': '按状态筛选', id: 'request-status', onchange: (e) => set('status', e.target.value) });
  const unitSelect = clerk ? null : select('unit',
    withCurrent([{ value: '', label: '全部单位' }, ...units.map((u) => ({ value: u.code, label: `${u.name}（${u.code}）` }))], state.unit),
    state.unit, { 'aria-label': '按单位筛选', id: 'request-unit', onchange: (e) => set('unit', e.target.value) });
  const clearButton = button('清除筛选', clearFilters, { kind: 'link', action: 'clear-filters' });

  function anyFilter() {
    return filterKeys.some((k) => state[k]);
  }

  function clearFilters() {
    for (const k of filterKeys) state[k] = '';
    statusSelect.value = '';
    if (unitSelect) unitSelect.value = '';
    apply();
  }

  const filters = hashFilters({
    root, path: 'requests', keys: filterKeys, state,
    onApply: () => {
      clearButton.hidden = !anyFilter();
      load(false);
    },
  });
  const { set, apply } = filters;
  const filterQuery = filters.query;

  // --- the table ---
  const listHost = h('div', { class: 'request-list', id: 'request-list', 'aria-live': 'polite' });
  const load = keysetLoader({
    root, host: listHost, busyClass: 'list-busy',
    url: (more) => {
      const qs = filterQuery();
      qs.set('limit', String(pageSize));
      if (more && next) qs.set('after', next);
      return '/requests?' + qs.toString();
    },
    onPage: (res, more) => {
      rows = more ? rows.concat(res.items || []) : (res.items || []);
      total = res.total || 0;
      next = res.next || null;
      draw();
    },
  });

  const columns = [
    { label: '编号', value: (r) => h('span', { class: 'mono' }, `#${r.id}`), cls: 'col-no' },
    clerk ? null : { label: '单位', value: (r) => h('span', { class: 'nowrap', title: r.unit }, r.unit_name) },
    {
      label: '品目',
      value: (r) => h('div', { class: 'request-name-cell' },
        h('a', { href: '#/requests/' + r.id, class: 'request-link', dataset: { action: 'open-request' } }, r.name),
        h('span', { class: 'cell-sub', title: r.category_code }, r.category_name || r.category_code)),
    },
    { label: '数量', value: (r) => fmtInt(r.quantity), num: true },
    { label: '预算单价', value: (r) => fmtMoney(r.unit_price), num: true },
    { label: '预算金额', value: (r) => budget(r.quantity, r.unit_price), num: true },
    { label: h('span', { title: '调剂建议中已为这项需求保留的数量' }, '已有建议'), value: (r) => fmtInt(r.proposed_quantity || 0), num: true },
    { label: h('span', { title: '已通过调剂接收的数量' }, '已调剂'), value: (r) => fmtInt(r.fulfilled_quantity || 0), num: true },
    { label: h('span', { title: '既没有调剂建议、也没有调剂到位的数量' }, '尚缺'), value: outstandingCell, num: true },
    { label: '需用日期', value: (r) => h('span', { class: 'nowrap' }, r.needed_by || '—') },
    { label: '状态', value: requestTag },
    { label: '提交日期', value: (r) => h('span', { class: ['nowrap', !r.submitted_at && 'muted'] }, r.submitted_at ? fmtDate(r.submitted_at) : '未提交') },
  ].filter(Boolean);

  function outstandingCell(r) {
    const n = r.outstanding || 0;
    const open = ['submitted', 'partly_matched', 'matched'].includes(r.status);
    return h('span', { class: n > 0 && open ? 'num-short' : null }, fmtInt(n));
  }

  function draw() {
    if (!rows.length) {
      replace(listHost, emptyList());
      return;
    }
    const table = dataTable({ cls: 'request-table', columns, rows, rowKey: (r) => r.id });
    for (const tr of table.querySelectorAll('tbody tr[data-key]')) {
      tr.classList.add('row-link');
      tr.addEventListener('click', (e) => {
        if (!e.target.closest('a, button, input')) navigate('#/requests/' + tr.dataset.key);
      });
    }
    const shown = rows.length;
    const quantity = rows.reduce((s, r) => s + Number(r.quantity || 0), 0);
    const outstanding = rows.reduce((s, r) => s + Number(r.outstanding || 0), 0);
    const sums = `数量合计 ${fmtInt(quantity)} 件，尚缺 ${fmtInt(outstanding)} 件，预算合计 ${sumBudget(rows)}`;
    replace(listHost, table,
      tableFooter(
        `共 ${fmtInt(total)} 项需求`,
        shown < total ? `已显示 ${fmtInt(shown)} 项：${sums}` : sums),
      next ? h('div', { class: 'list-pager' },
        button(`加载更多（还有 ${fmtInt(Math.max(total - shown, 0))} 项）`, () => load(true), { action: 'load-more' })) : null);
  }

  function emptyList() {
    if (anyFilter()) {
      return emptyState('没有符合条件的购置需求', '请换个状态或单位，或清除筛选查看全部需求。',
        button('清除筛选', clearFilters, { kind: 'primary', action: 'clear-filters-empty' }));
    }
    if (clerk) {
      return emptyState('还没有购置需求',
        '需要添置资产时，先在这里登记购置需求：系统会先在闲置资产库中查找可调剂的资产，找不到时才进入购置审批。',
        button('新建购置需求', create, { kind: 'primary', action: 'create-request-empty' }),
        button('从表格导入', importMany, { action: 'import-requests-empty' }),
        h('a', { class: 'btn', href: templateHref, download: true, dataset: { action: 'request-template' } }, '下载模板'),
        h('a', { class: 'btn btn-link', href: '#/pool' }, '先看看闲置资产库'));
    }
    return emptyState('还没有购置需求', '各单位提交购置需求后会列在这里；已提交的需求会自动与闲置资产库匹配。');
  }

  // --- a clerk files requests ---
  async function create() {
    let cats;
    try {
      cats = await loadCategories();
    } catch (err) {
      notify(messageOf(err), 'error');
      return;
    }
    const req = await openRequestDialog({ cats, unitCode });
    if (!req) return;
    notify(req.status === 'draft' ? '购置需求已保存为草稿' : submittedNote(req));
    navigate('#/requests/' + req.id);
  }

  async function importMany() {
    const res = await openImportDialog({ unitCode });
    if (!res) return;
    const n = (res.requests || []).length;
    notify(res.submitted ? `已导入并提交 ${fmtInt(n)} 项购置需求` : `已导入 ${fmtInt(n)} 项购置需求（草稿）`);
    load(false);
  }

  append(root,
    pageHeader('购置需求', clerk
      ? `${user.unit.name}的购置需求：先调剂、后购置，提交后自动在闲置资产库中查找可调剂的资产`
      : '各单位的购置需求：调剂进度、配置标准核对结果，以及找不到可调剂资产时的购置依据',
    clerk ? button('新建购置需求', create, { kind: 'primary', action: 'create-request' }) : null,
    clerk ? button('从表格导入', importMany, { action: 'import-requests' }) : null),
    panel({ cls: 'panel-flush request-panel' },
      toolbar([statusSelect, unitSelect, clearButton], null),
      listHost));
  apply();
}

/** submittedNote says what a submission found, in one short sentence. */
export function submittedNote(req) {
  if (req.status === 'matched') return '购置需求已提交：已在闲置资产库中找到可调剂的资产，请查看调剂建议';
  if (req.status === 'partly_matched') return `购置需求已提交：找到部分可调剂的资产，尚缺 ${fmtInt(req.outstanding)} 件`;
  return '购置需求已提交，系统将在闲置资产库中查找可调剂的资产';
}
