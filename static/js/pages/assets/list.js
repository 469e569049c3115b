// list.js draws 资产台账's list: filters on top (the common ones always, the rest behind 更多筛选),
// the cards in a table sorted by any column, totals and 加载更多 under it, export at hand, and for
// a clerk row checkboxes with 标记为闲置 / 恢复在用 / 打印标签. The filters and the sort live in the
// hash's query; a change rewrites the hash in place (no new history entry per keystroke).

import { api } from '../../api.js';
import { h, append, replace } from '../../dom.js';
import {
  pageHeader, panel, button, dataTable, tableFooter, toolbar, searchBox, select, emptyState,
  notify, messageOf, FormError,
} from '../../ui.js';
import { fmtInt, fmtMoney } from '../../format.js';
import {
  usages, conditions, usageTag, conditionTag, loadCategories, categoryOptions, readFilters, filterQuery,
  filterKeys, rememberList, labelsHref,
} from './common.js';
import { openCreateDialog } from './form.js';
import { keysetLoader, totalsLine } from '../../keyset.js';
import { debounced, moreFilters } from '../../filters.js';

// pageSize is how many cards one request brings; 加载更多 appends the next as many.
const pageSize = 50;
const templateHref = '/api/v1/templates/assets.xlsx';

/** showList draws the register list into root; ctx.query carries the filters. */
export async function showList(root, { user, query, navigate }) {
  const clerk = user.role === 'clerk';
  if (clerk && !user.unit_id) {
    throw new FormError('您的账号还没有指定所属单位，请联系系统管理员');
  }
  const [cats, units] = await Promise.all([
    loadCategories(),
    clerk ? Promise.resolve([]) : api.get('/units').then((r) => r.items || []),
  ]);

  const state = readFilters(query);
  let rows = [];
  let total = 0;
  let sums = null;
  let next = null;
  const selected = new Set();

  // --- filters ---
  const search = searchBox('搜索资产编号、名称、型号、品牌、存放地点', debounced((v) => set('q', v)));
  search.value = state.q;
  search.id = 'asset-search';

  const withCurrent = (options, value) => (value && !options.some((o) => o.value === value)
    ? options.concat({ value, label: value.split(',').map((v) => (usages.concat(conditions).find((o) => o.value === v) || { label: v }).label).join('、') })
    : options);
  const unitSelect = clerk ? null : select('unit',
    withCurrent([{ value: '', label: '全部单位' }, ...units.map((u) => ({ value: u.code, label: `${u.name}（${u.code}）` }))], state.unit),
    state.unit, { 'aria-label': '按单位筛选', id: 'asset-unit', onchange: (e) => set('unit', e.target.value) });
  const categorySelect = select('category', withCurrent(categoryOptions(cats, '全部资产分类'), state.category), state.category,
    { 'aria-label': '按资产分类筛选', id: 'asset-category', class: 'input select-category', onchange: (e) => set('category', e.target.value) });
  const statusSelect = select('status', withCurrent([{ value: '', label: '全部使用状况' }, ...usages], state.status), state.status,
    { 'aria-label': '按使用状况筛选', id: 'asset-status', onchange: (e) => set('status', e.target.value) });
  const conditionSelect = select('condition', withCurrent([{ value: '', label: '全部完好程度' }, ...conditions], state.condition), state.condition,
    { 'aria-label': '按完好程度筛选', id: 'asset-condition', onchange: (e) => set('condition', e.target.value) });

  const more = moreFilters({ prefix: 'asset', state, set, text: [['department', '使用部门'], ['location', '存放地点'], ['custodian', '使用人']] });
  const clearButton = button('清除筛选', clearFilters, { kind: 'link', action: 'clear-filters' });
  const exportLink = h('a', { class: 'btn', download: true, dataset: { action: 'export' } }, '导出 Excel');

  function anyFilter() {
    return filterKeys.some((k) => state[k]);
  }

  function clearFilters() {
    for (const k of filterKeys) state[k] = '';
    search.value = '';
    for (const s of [unitSelect, categorySelect, statusSelect, conditionSelect]) if (s) s.value = '';
    more.clear();
    apply();
  }

  function set(key, value) {
    if (state[key] === value || !root.isConnected) return;
    state[key] = value;
    apply();
  }

  // apply writes the filters into the hash and the export link, then loads the first page.
  function apply() {
    const qs = filterQuery(state).toString();
    const hash = '#/assets' + (qs ? '?' + qs : '');
    if (location.hash !== hash && root.isConnected) history.replaceState(null, '', hash);
    rememberList(hash);
    const exportQs = filterQuery(state).toString();
    exportLink.href = '/api/v1/assets.xlsx' + (exportQs ? '?' + exportQs : '');
    clearButton.hidden = !anyFilter();
    more.draw();
    load(false);
  }

  // --- the table ---
  const listHost = h('div', { class: 'asset-list', id: 'asset-list' });
  const selectBar = h('div', { class: 'select-bar', hidden: !clerk });

  const load = keysetLoader({
    root, host: listHost, busyClass: 'list-busy',
    url: (more) => {
      const qs = filterQuery(state);
      qs.set('limit', String(pageSize));
      if (more && next) qs.set('after', next);
      return '/assets?' + qs.toString();
    },
    onPage: (res, more) => {
      rows = more ? rows.concat(res.items || []) : (res.items || []);
      if (!more) selected.clear();
      total = res.total || 0;
      if (!more) sums = null;
      next = res.next || null;
      draw();
    },
    totalsUrl: () => '/assets/totals?' + filterQuery(state).toString(),
    onTotals: (t) => { sums = t; draw(); },
  });

  // defaultSort is what the server sorts by when no sort is given: unit, then asset number.
  const defaultSort = clerk ? 'asset_no' : 'unit';
  function sortHead(label, key) {
    const cur = state.sort || defaultSort;
    const active = cur.replace(/^-/, '') === key;
    const desc = active && cur.startsWith('-');
    const b = h('button', {
      type: 'button', class: ['th-sort', active && 'th-sort-active'], dataset: { sort: key },
      title: active ? (desc ? '当前按此列降序，点击改为升序' : '当前按此列升序，点击改为降序') : '点击按此列排序',
      onclick: () => {
        state.sort = active && !desc ? '-' + key : key;
        if (state.sort === defaultSort && !clerk) state.sort = '';
        apply();
      },
    }, label, h('span', { class: 'th-sort-mark', 'aria-hidden': 'true' }, active ? (desc ? '↓' : '↑') : '↕'));
    return b;
  }

  function columns() {
    const cols = [];
    if (clerk) {
      const all = h('input', {
        type: 'checkbox', class: 'row-check', 'aria-label': '全选本页已显示的卡片', dataset: { action: 'select-all' },
        checked: rows.length > 0 && rows.every((r) => selected.has(r.id)),
        onchange: (e) => {
          for (const r of rows) if (e.target.checked) selected.add(r.id); else selected.delete(r.id);
          for (const cb of listHost.querySelectorAll('tbody input.row-check')) cb.checked = e.target.checked;
          drawSelectBar();
        },
      });
      if (!all.checked && rows.some((r) => selected.has(r.id))) all.indeterminate = true;
      cols.push({
        label: all, cls: 'col-check',
        value: (r) => h('input', {
          type: 'checkbox', class: 'row-check', checked: selected.has(r.id), 'aria-label': `选择 ${r.asset_no} ${r.name}`,
          dataset: { id: String(r.id) },
          onchange: (e) => {
            if (e.target.checked) selected.add(r.id); else selected.delete(r.id);
            const n = rows.filter((x) => selected.has(x.id)).length;
            all.checked = n === rows.length;
            all.indeterminate = n > 0 && n < rows.length;
            drawSelectBar();
          },
        }),
      });
    } else {
      cols.push({ label: sortHead('单位', 'unit'), value: (r) => h('span', { class: 'nowrap', title: r.unit_code }, r.unit_name) });
    }
    cols.push(
      { label: sortHead('资产编号', 'asset_no'), value: (r) => h('a', { href: '#/assets/' + r.id, class: 'mono asset-link' }, r.asset_no) },
      { label: sortHead('资产名称', 'name'), value: (r) => h('span', { class: 'asset-name' }, r.name) },
      { label: sortHead('资产分类', 'category_code'), value: (r) => h('span', { title: r.category_code }, r.category_name || r.category_code) },
      { label: sortHead('品牌型号', 'model'), value: (r) => [r.brand, r.model].filter(Boolean).join(' ') },
      { label: sortHead('数量', 'quantity'), value: (r) => `${fmtInt(r.quantity)}${r.measure_unit ? ' ' + r.measure_unit : ''}`, num: true },
      { label: sortHead('原值', 'original_value'), value: (r) => fmtMoney(r.original_value), num: true },
      { label: sortHead('取得日期', 'acquired_on'), value: (r) => h('span', { class: 'nowrap' }, r.acquired_on || '') },
      { label: sortHead('使用状况', 'usage_status'), value: (r) => usageTag(r.usage_status) },
      { label: sortHead('完好程度', 'condition'), value: (r) => conditionTag(r.condition) },
    );
    if (state.status === 'idle' || state.idle_from || state.idle_to || (state.sort || '').replace(/^-/, '') === 'idle_since') {
      cols.push({ label: sortHead('闲置起始日', 'idle_since'), value: (r) => h('span', { class: 'nowrap' }, r.idle_since || '') });
    }
    cols.push(
      { label: sortHead('使用部门', 'department'), value: (r) => r.department },
      { label: sortHead('使用人', 'custodian'), value: (r) => r.custodian },
      { label: sortHead('存放地点', 'location'), value: (r) => r.location },
    );
    return cols;
  }

  function draw() {
    drawSelectBar();
    if (!rows.length) {
      replace(listHost, emptyList());
      return;
    }
    const table = dataTable({ cls: 'asset-table', columns: columns(), rows, rowKey: (r) => r.id });
    for (const th of table.querySelectorAll('th')) {
      const b = th.querySelector('.th-sort-active');
      if (b) th.setAttribute('aria-sort', b.textContent.includes('↓') ? 'descending' : 'ascending');
    }
    for (const tr of table.querySelectorAll('tbody tr[data-key]')) {
      tr.classList.add('row-link');
      tr.addEventListener('click', (e) => {
        if (!e.target.closest('a, input, button, label')) navigate('#/assets/' + tr.dataset.key);
      });
    }
    const shown = rows.length;
    const pager = h('div', { class: 'list-pager' },
      next ? button(`加载更多（还有 ${fmtInt(Math.max(total - shown, 0))} 张）`, () => load(true), { action: 'load-more' }) : null,
      shown > pageSize ? button('回到第一页', () => { load(false); listHost.scrollIntoView({ block: 'start' }); }, { kind: 'link', action: 'first-page' }) : null);
    replace(listHost, table,
      tableFooter(
        totalsLine(total, sums, '张卡片'),
        shown < total ? `已显示 ${fmtInt(shown)} 张` : null),
      next || shown > pageSize ? pager : null);
  }

  function emptyList() {
    if (anyFilter()) {
      return emptyState('没有符合条件的资产', '请检查搜索词和筛选条件，或清除筛选后查看全部资产。',
        button('清除筛选', clearFilters, { kind: 'primary', action: 'clear-filters-empty' }));
    }
    if (clerk) {
      return emptyState('还没有导入资产台账',
        '下载模板 或 上传清查表：填好模板后上传，或直接上传本单位现有的资产清查表；零星购置的资产也可以逐张新增。',
        h('a', { class: 'btn', href: templateHref, download: true, dataset: { action: 'download-template' } }, '下载模板'),
        h('a', { class: 'btn btn-primary', href: '#/imports', dataset: { action: 'go-import' } }, '上传清查表'),
        button('新增资产卡片', createCard, { action: 'create-empty' }));
    }
    return emptyState('还没有任何资产卡片', '各单位导入资产台账后，全部资产卡片会列在这里。',
      h('a', { class: 'btn btn-primary', href: '#/imports' }, '去导入'));
  }

  // --- a clerk's actions on the selected cards ---
  function drawSelectBar() {
    if (!clerk) return;
    const ids = [...selected];
    const none = ids.length === 0;
    const labels = h('a', {
      class: ['btn', none && 'btn-disabled'], target: '_blank', rel: 'noopener', dataset: { action: 'print-labels' },
      href: none ? null : labelsHref(ids), 'aria-disabled': none ? 'true' : null,
    }, '打印标签');
    replace(selectBar,
      h('span', { class: 'select-count' }, none ? '勾选资产后可批量操作' : `已选 ${fmtInt(ids.length)} 张卡片`),
      button('标记为闲置', () => mark('idle'), { action: 'mark-idle', disabled: none }),
      button('恢复在用', () => mark('in_use'), { action: 'mark-in-use', disabled: none }),
      labels,
      none ? null : button('取消选择', () => { selected.clear(); draw(); }, { kind: 'link', action: 'clear-selection' }));
  }

  async function mark(status) {
    const ids = [...selected];
    if (!ids.length) return;
    for (const b of selectBar.querySelectorAll('button')) b.disabled = true;
    try {
      const out = await api.post('/assets/mark', { ids, usage_status: status });
      const word = status === 'idle' ? '闲置' : '在用';
      notify(out.updated ? `已将 ${fmtInt(out.updated)} 张卡片标记为${word}` : `所选卡片本来就是${word}，没有变化`);
      selected.clear();
      await load(false);
    } catch (err) {
      notify(messageOf(err), 'error');
      drawSelectBar();
    }
  }

  async function createCard() {
    const card = await openCreateDialog({ cats });
    if (card) navigate('#/assets/' + card.id);
  }

  append(root,
    pageHeader('资产台账', clerk
      ? `${user.unit ? user.unit.name : '本单位'}的资产卡片：查询、编辑、标记闲置、打印标签`
      : '全区各单位的资产卡片：查询、查看折旧与变动记录、导出',
    clerk ? button('新增资产卡片', createCard, { kind: 'primary', action: 'create-asset' }) : null,
    h('a', { class: 'btn', href: '#/imports' }, '导入清查表')),
    panel({ cls: 'panel-flush asset-register' },
      toolbar([search, unitSelect, categorySelect, statusSelect, conditionSelect, more.toggle, clearButton], exportLink),
      more.panel,
      selectBar,
      listHost));
  apply();
}
