// finance.js is 调剂 for the finance approver: 运行匹配 matches every open purchase request
// against the whole idle pool and says what it did (proposals made, requests matched, holds
// that ran out and were released); the last runs under it; then every proposal with filters
// (status, unit, request), its score and its reasons. The filters live in the hash's query
// (#/matching?request=12), rewritten in place as they change.

import { api } from '../../api.js';
import { h, append, replace } from '../../dom.js';
import {
  pageHeader, panel, button, dataTable, tableFooter, toolbar, select, emptyState, emptyNote, errorBox,
} from '../../ui.js';
import { fmtInt } from '../../format.js';
import { keysetLoader } from '../../keyset.js';
import { debounced, withCurrent, hashFilters } from '../../filters.js';
import { fmtDateTime } from '../imports/view.js';
import { proposalStatuses } from '../requests/status.js';
import { proposalTable } from '../requests/proposals.js';

// pageSize is how many proposals one request brings; 加载更多 appends the next as many.
const pageSize = 50;
// runsShown is how many of the last runs the page lists.
const runsShown = 5;
const filterKeys = ['status', 'unit', 'request'];
const liveStatuses = 'proposed,accepted,approved,handed_over';


/** showFinance draws the finance approver's 调剂 into root. */
export async function showFinance(root, { user, query }) {
  const canRun = user.role === 'finance';
  const units = await api.get('/units').then((r) => r.items || []);

  const state = {};
  for (const k of filterKeys) state[k] = query.get(k) || '';
  let rows = [];
  let total = 0;
  let next = null;

  // --- run matching ---
  const resultHost = h('div', { id: 'match-result', 'aria-live': 'polite' });
  const runButton = canRun ? button('运行匹配', run, { kind: 'primary', action: 'run-matching' }) : null;

  async function run() {
    runButton.disabled = true;
    replace(runButton, '正在匹配……');
    replace(resultHost);
    try {
      const res = await api.post('/matching/run');
      replace(resultHost, h('div', { class: 'alert alert-success match-result', role: 'status' },
        h('strong', null, `匹配完成：${fmtInt(res.proposals)} 条调剂建议，${fmtInt(res.requests_matched)} 项需求获得匹配，过期释放 ${fmtInt(res.expired)} 项。`),
        h('span', { class: 'match-result-note' },
          `本次查看了闲置资产 ${fmtInt(res.pool_items)} 项、待匹配需求 ${fmtInt(res.open_requests)} 项，用时 ${fmtSeconds(res.seconds)}。`,
          res.proposals ? '新的建议已列在下方，等待提出需求的单位确认。' : '没有新的建议：待匹配的需求在闲置资产库中暂时找不到合适的资产。')));
      await Promise.all([loadRuns(), load(false)]);
    } catch (err) {
      replace(resultHost, errorBox(err));
    } finally {
      runButton.disabled = false;
      replace(runButton, '运行匹配');
    }
  }

  // --- last runs ---
  const runsHost = h('div', { id: 'match-runs' });
  async function loadRuns() {
    let items;
    try {
      items = (await api.get('/matching/runs?limit=' + runsShown)).items || [];
    } catch (err) {
      replace(runsHost, h('div', { class: 'list-error' }, errorBox(err)));
      return;
    }
    if (!root.isConnected) return;
    if (!items.length) {
      replace(runsHost, emptyNote('还没有运行过匹配', canRun
        ? '点击右上角“运行匹配”，为所有已提交的购置需求在闲置资产库中查找可调剂的资产。各单位提交需求时也会自动匹配。'
        : '财政审批人运行匹配或各单位提交需求后，这里会记录每次匹配的结果。'));
      return;
    }
    replace(runsHost, dataTable({
      cls: 'runs-table',
      columns: [
        { label: '开始时间', value: (r) => h('span', { class: 'nowrap' }, fmtDateTime(r.started_at)) },
        { label: '方式', value: (r) => r.trigger_label || '' },
        { label: '闲置资产', value: (r) => fmtInt(r.pool_items), num: true },
        { label: '待匹配需求', value: (r) => fmtInt(r.open_requests), num: true },
        { label: '调剂建议', value: (r) => fmtInt(r.proposals), num: true },
        { label: '获得匹配的需求', value: (r) => fmtInt(r.requests_matched), num: true },
        { label: '过期释放', value: (r) => fmtInt(r.expired), num: true },
        { label: '用时', value: (r) => duration(r), num: true },
      ],
      rows: items,
      rowKey: (r) => r.id,
    }));
  }

  // --- proposals: filters ---
  const statusOptions = [{ value: '', label: '全部状态' }, { value: liveStatuses, label: '进行中（待确认至待接收）' }]
    .concat(proposalStatuses.map((s) => ({ value: s.value, label: s.label })));
  const statusSelect = select('status', withCurrent(statusOptions, state.status), state.status,
    { 'aria-label': '按状态筛选', id: 'proposal-status', onchange: (e) => set('status', e.target.value) });
  const unitSelect = select('unit',
    withCurrent([{ value: '', label: '全部单位' }, ...units.map((u) => ({ value: u.code, label: `${u.name}（${u.code}）` }))], state.unit),
    state.unit, { 'aria-label': '按单位筛选（需求单位或来源单位）', title: '提出需求的单位或提供资产的单位', id: 'proposal-unit', onchange: (e) => set('unit', e.target.value) });
  const requestInput = h('input', {
    type: 'search', class: 'input input-request-no', id: 'proposal-request', inputmode: 'numeric', autocomplete: 'off',
    placeholder: '需求编号', 'aria-label': '按购置需求编号筛选', value: state.request,
    oninput: debounced(() => {
      const v = requestInput.value.trim().replace(/^#/, '');
      const bad = v !== '' && !/^\d+$/.test(v);
      requestInput.classList.toggle('input-invalid', bad);
      requestInput.setAttribute('aria-invalid', bad ? 'true' : 'false');
      requestError.hidden = !bad;
      if (!bad) set('request', v);
    }),
  });
  const requestError = h('span', { class: 'field-error', role: 'alert', hidden: true }, '需求编号应为数字，如 12');
  const clearButton = button('清除筛选', clearFilters, { kind: 'link', action: 'clear-filters' });

  function anyFilter() {
    return filterKeys.some((k) => state[k]);
  }

  function clearFilters() {
    for (const k of filterKeys) state[k] = '';
    statusSelect.value = '';
    unitSelect.value = '';
    requestInput.value = '';
    requestError.hidden = true;
    requestInput.classList.remove('input-invalid');
    apply();
  }

  const filters = hashFilters({
    root, path: 'matching', keys: filterKeys, state,
    onApply: () => {
      clearButton.hidden = !anyFilter();
      load(false);
    },
  });
  const { set, apply } = filters;
  const filterQuery = filters.query;

  // --- proposals: the table ---
  const listHost = h('div', { class: 'proposal-list', id: 'proposal-list', 'aria-live': 'polite' });
  const load = keysetLoader({
    root, host: listHost, busyClass: 'list-busy',
    url: (more) => {
      const qs = filterQuery();
      qs.set('limit', String(pageSize));
      if (more && next) qs.set('after', next);
      return '/proposals?' + qs.toString();
    },
    onPage: (res, more) => {
      rows = more ? rows.concat(res.items || []) : (res.items || []);
      total = res.total || 0;
      next = res.next || null;
      draw();
    },
  });

  function draw() {
    if (!rows.length) {
      replace(listHost, anyFilter()
        ? emptyState('没有符合条件的调剂建议', '请换个状态、单位或需求编号，或清除筛选查看全部建议。',
          button('清除筛选', clearFilters, { kind: 'primary', action: 'clear-filters-empty' }))
        : emptyState('还没有调剂建议', canRun
          ? '各单位提交购置需求后会自动匹配；也可以点击“运行匹配”，为所有待匹配的需求在闲置资产库中查找。'
          : '各单位提交购置需求、运行匹配后，调剂建议会列在这里。',
        runButton ? button('运行匹配', run, { action: 'run-matching-empty' }) : null));
      return;
    }
    const shown = rows.length;
    const pieces = rows.reduce((s, p) => s + Number(p.quantity || 0), 0);
    replace(listHost,
      proposalTable(rows, { show: { request: true }, onDone: () => load(false) }),
      tableFooter(`共 ${fmtInt(total)} 条调剂建议`,
        shown < total ? `已显示 ${fmtInt(shown)} 条，${fmtInt(pieces)} 件` : `${fmtInt(pieces)} 件`),
      next ? h('div', { class: 'list-pager' },
        button(`加载更多（还有 ${fmtInt(Math.max(total - shown, 0))} 条）`, () => load(true), { action: 'load-more' })) : null);
  }

  append(root,
    pageHeader('调剂', '为各单位的购置需求在闲置资产库中寻找可调剂的资产：运行匹配，查看每条调剂建议的匹配度和理由', runButton),
    resultHost,
    panel({ title: '最近的匹配', cls: 'panel-flush match-runs' }, runsHost),
    panel({ title: '调剂建议', cls: 'panel-flush proposal-panel' },
      toolbar([statusSelect, unitSelect, requestInput, requestError, clearButton], null),
      listHost));
  loadRuns();
  apply();
}

// fmtSeconds writes a run's time: 0.4 秒, 12 秒.
function fmtSeconds(s) {
  const v = Number(s || 0);
  return v < 10 ? `${v.toFixed(1)} 秒` : `${Math.round(v)} 秒`;
}

// duration is how long a run took, from its start and end.
function duration(r) {
  if (!r.started_at || !r.finished_at) return '—';
  const ms = new Date(r.finished_at) - new Date(r.started_at);
  return Number.isFinite(ms) ? fmtSeconds(Math.max(0, ms) / 1000) : '—';
}
