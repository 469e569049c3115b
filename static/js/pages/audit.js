// audit.js is 审计日志 (#/audit) for finance and the administrator: every change the system
// recorded — who did what to which thing of which unit, and when — newest first, filtered by
// the kind of thing and its number, unit, action, person and date range (the filters live in
// the hash's query). A row unfolds to the record before and after the change, indented for
// reading; 加载更多 brings older events.

import { api } from '../api.js';
import { h, append, replace } from '../dom.js';
import { pageHeader, panel, button, select, tableFooter, emptyState, toolbar } from '../ui.js';
import { fmtInt } from '../format.js';
import { debounced, withCurrent, hashFilters } from '../filters.js';
import { keysetLoader } from '../keyset.js';
import { fmtDateTime } from './imports/view.js';
import { entityLabels, actionLabels, actionLabel, entityLabel, prettyRecord, changedFields } from './proposals/words.js';

export const title = '审计日志';

// pageSize is how many events one request brings; 加载更多 appends the next as many.
const pageSize = 100;
const filterKeys = ['entity', 'entity_id', 'unit', 'action', 'actor', 'from', 'to'];
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

// entityPage is where an audited thing of a kind can be opened in the UI, for those who may.
const entityPage = {
  asset: (id) => '#/assets/' + id,
  request: (id) => '#/requests/' + id,
  proposal: (id, role) => (role === 'finance' ? '#/matching/proposals/' + id : null),
  import: (id) => '#/imports/' + id,
};

export async function render(root, { user, query }) {
  const units = await api.get('/units').then((r) => r.items || []);
  const unitsById = new Map(units.map((u) => [u.id, u]));
  const state = {};
  for (const k of filterKeys) state[k] = query.get(k) || '';
  let rows = [];
  let next = null;

  // --- filters ---
  const entitySelect = select('entity',
    withCurrent([{ value: '', label: '全部对象' }, ...Object.entries(entityLabels).map(([value, label]) => ({ value, label }))], state.entity),
    state.entity, { 'aria-label': '按对象筛选', id: 'audit-entity', onchange: (e) => set('entity', e.target.value) });
  const entityIdInput = textFilter('entity_id', '对象编号', { id: 'audit-entity-id', cls: 'input-audit-id', inputmode: 'numeric' });
  const unitSelect = select('unit',
    withCurrent([{ value: '', label: '全部单位' }, ...units.map((u) => ({ value: u.code, label: `${u.name}（${u.code}）` }))], state.unit),
    state.unit, { 'aria-label': '按单位筛选', id: 'audit-unit', onchange: (e) => set('unit', e.target.value) });
  const actionList = h('datalist', { id: 'audit-actions' },
    Object.entries(actionLabels).map(([value, label]) => h('option', { value }, label)));
  const actionInput = textFilter('action', '操作，如 proposal.approve', { id: 'audit-action', list: 'audit-actions', cls: 'input-audit-action' });
  const actorInput = textFilter('actor', '操作人用户名', { id: 'audit-actor', cls: 'input-audit-actor' });
  const fromInput = dateFilter('from', '起始日期', 'audit-from');
  const toInput = dateFilter('to', '截止日期', 'audit-to');
  const dateError = h('span', { class: 'field-error', role: 'alert', hidden: true }, '起始日期不能晚于截止日期');
  const clearButton = button('清除筛选', clearFilters, { kind: 'link', action: 'clear-filters' });

  function textFilter(key, placeholder, { id, cls, inputmode, list } = {}) {
    return h('input', {
      type: 'search', class: ['input', cls], id, name: key, placeholder, 'aria-label': placeholder, autocomplete: 'off',
      inputmode, list, value: state[key],
      oninput: debounced((e) => set(key, e.target.value.trim())),
      onchange: (e) => set(key, e.target.value.trim()),
    });
  }

  function dateFilter(key, label, id) {
    return h('input', {
      type: 'date', class: 'input input-audit-date', id, name: key, 'aria-label': label, title: label, value: state[key],
      onchange: (e) => set(key, datePattern.test(e.target.value) ? e.target.value : ''),
    });
  }

  function anyFilter() {
    return filterKeys.some((k) => state[k]);
  }

  function clearFilters() {
    for (const k of filterKeys) state[k] = '';
    for (const el of [entitySelect, entityIdInput, unitSelect, actionInput, actorInput, fromInput, toInput]) el.value = '';
    apply();
  }

  const filters = hashFilters({
    root, path: 'audit', keys: filterKeys, state,
    onApply: () => {
      clearButton.hidden = !anyFilter();
      const badRange = state.from && state.to && state.from > state.to;
      dateError.hidden = !badRange;
      if (badRange) {
        replace(listHost, emptyState('日期范围有误', '起始日期不能晚于截止日期，请重新选择。'));
        return;
      }
      load(false);
    },
  });
  const { set, apply } = filters;
  const filterQuery = filters.query;

  // --- the events ---
  const listHost = h('div', { class: 'audit-list', id: 'audit-list', 'aria-live': 'polite' });
  const load = keysetLoader({
    root, host: listHost, busyClass: 'list-busy',
    url: (more) => {
      const qs = filterQuery();
      qs.set('limit', String(pageSize));
      if (more && next) qs.set('after', next);
      return '/audit?' + qs.toString();
    },
    onPage: (res, more) => {
      rows = more ? rows.concat(res.items || []) : (res.items || []);
      next = res.next || null;
      draw();
    },
  });

  function draw() {
    if (!rows.length) {
      replace(listHost, anyFilter()
        ? emptyState('没有符合条件的记录', '请放宽筛选条件，或清除筛选查看全部记录。',
          button('清除筛选', clearFilters, { kind: 'primary', action: 'clear-filters-empty' }))
        : emptyState('还没有审计记录', '导入、修改资产卡片、提交需求、审批调剂等每一次变更都会记录在这里。'));
      return;
    }
    const body = h('tbody');
    for (const e of rows) {
      const detail = h('tr', { class: 'audit-detail', hidden: true },
        h('td', { colspan: '7' }, recordView(e)));
      const toggle = button('展开', () => {
        detail.hidden = !detail.hidden;
        replace(toggle, detail.hidden ? '展开' : '收起');
        toggle.setAttribute('aria-expanded', String(!detail.hidden));
      }, { kind: 'link', action: 'toggle-record' });
      toggle.setAttribute('aria-expanded', 'false');
      const hasRecord = e.before != null && e.before !== '' || e.after != null && e.after !== '';
      append(body,
        h('tr', { dataset: { key: String(e.id) } },
          h('td', { class: 'nowrap' }, fmtDateTime(e.at)),
          h('td', { class: 'nowrap' }, e.actor || '系统'),
          h('td', null, h('span', null, actionLabel(e.action)), h('span', { class: 'cell-sub mono' }, e.action)),
          h('td', { class: 'nowrap' }, entityLabel(e.entity)),
          h('td', { class: 'mono' }, entityCell(e)),
          h('td', null, unitCell(e.unit_id)),
          h('td', { class: 'col-actions' }, hasRecord ? toggle : h('span', { class: 'muted' }, '—'))),
        detail);
    }
    const table = h('table', { class: 'table audit-table' },
      h('thead', null, h('tr', null, ['时间', '操作人', '操作', '对象', '编号', '单位', '变更内容'].map((l) => h('th', { scope: 'col' }, l)))),
      body);
    replace(listHost, h('div', { class: 'table-wrap' }, table),
      tableFooter(`已显示 ${fmtInt(rows.length)} 条记录`, next ? '还有更早的记录' : '已到最早的记录'),
      next ? h('div', { class: 'list-pager' }, button('加载更多', () => load(true), { action: 'load-more' })) : null);
  }

  function entityCell(e) {
    const to = entityPage[e.entity];
    const href = to && /^\d+$/.test(String(e.entity_id || '')) ? to(e.entity_id, user.role) : null;
    return href ? h('a', { href }, e.entity_id) : (e.entity_id || '—');
  }

  function unitCell(id) {
    if (id == null) return h('span', { class: 'muted' }, '—');
    const u = unitsById.get(id);
    return u ? h('span', { class: 'nowrap', title: u.code }, u.name) : `#${id}`;
  }

  append(root,
    pageHeader('审计日志', '系统记录的每一次变更：谁、在什么时候、对什么做了什么，以及变更前后的内容'),
    panel({ cls: 'panel-flush audit-panel' },
      toolbar([entitySelect, entityIdInput, unitSelect, actionInput, actionList, actorInput,
        h('span', { class: 'range audit-range' }, h('span', { class: 'range-sep' }, '日期'), fromInput, h('span', { class: 'range-sep' }, '至'), toInput),
        dateError, clearButton], null),
      listHost));
  apply();
}

// recordView shows the record before and after a change: the fields that changed first, then
// both records side by side, indented.
function recordView(e) {
  const before = prettyRecord(e.before);
  const after = prettyRecord(e.after);
  const changed = changedFields(e.before, e.after);
  return h('div', { class: 'record-view' }, changed.length ? changesTable(changed) : null, h('div', { class: 'record-diff' },
    h('div', null, h('p', { class: 'record-label' }, '变更前'),
      before ? h('pre', { class: 'record-json' }, before) : h('p', { class: 'muted small' }, '（无）')),
    h('div', null, h('p', { class: 'record-label' }, '变更后'),
      after ? h('pre', { class: 'record-json' }, after) : h('p', { class: 'muted small' }, '（无）'))));
}

// changesTable lists the fields a change touched, each with its value before and after.
function changesTable(changed) {
  return h('table', { class: 'record-changes' },
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, '变更的字段'), h('th', { scope: 'col' }, '变更前'), h('th', { scope: 'col' }, '变更后'))),
    h('tbody', null, changed.map((c) => h('tr', null,
      h('td', { class: 'mono' }, c.key),
      h('td', { class: 'record-old' }, c.before || h('span', { class: 'muted' }, '（空）')),
      h('td', { class: 'record-new' }, c.after || h('span', { class: 'muted' }, '（空）'))))));
}
