// pool.js is 闲置资产库, the idle pool: every unit's idle items that are fit to be reassigned,
// for any signed-in user to look through before asking to buy. Filters on top (the common ones
// always, ranges behind 更多筛选), the items in a dense table sorted by any column, totals and
// 加载更多 under it, the idle register (闲置资产登记册) to export. A row opens the item with its
// photos (pool/detail.js); #/pool/12 opens item 12 directly. The filters and the sort live in
// the hash's query (#/pool?q=椅&condition=new), rewritten in place as they change.

import { api } from '../api.js';
import { h, append, replace } from '../dom.js';
import {
  pageHeader, panel, button, dataTable, tableFooter, toolbar, searchBox, select, emptyState, notify,
  messageOf,
} from '../ui.js';
import { fmtInt, fmtMoney } from '../format.js';
import { loadCategories, categoryOptions } from './assets/common.js';
import { debounced, withCurrent, moreFilters } from '../filters.js';
import { keysetLoader, totalsLine } from '../keyset.js';
import {
  conditions, conditionTag, ownTag, fmtAge, remainingCell, brandModel, quantityText, showItem,
} from './pool/detail.js';

export const title = '闲置资产库';

// pageSize is how many items one request brings; 加载更多 appends the next as many.
const pageSize = 50;
// filterKeys are the filters in the order the hash and the export link write them.
const filterKeys = ['unit', 'q', 'category', 'condition', 'year_from', 'year_to', 'value_min', 'value_max', 'idle_from', 'idle_to'];
// defaultSort is the server's order when none is given: the most recently idle first.
const defaultSort = '-idle_since';

export async function render(root, { user, params, query }) {
  const idParam = params[0];
  if (idParam !== undefined && !/^\d+$/.test(idParam)) {
    location.replace('#/pool');
    return;
  }
  const clerk = user.role === 'clerk';
  const ownUnit = user.unit || null;
  const [cats, units] = await Promise.all([
    loadCategories().catch(() => []),
    clerk ? Promise.resolve([]) : api.get('/units').then((r) => r.items || []),
  ]);

  const state = { sort: query.get('sort') || '' };
  for (const k of filterKeys) state[k] = query.get(k) || '';
  let rows = [];
  let total = 0;
  let sums = null;
  let next = null;
  let everAny = null; // whether the pool holds anything at all, learnt from an unfiltered answer
  // itemHash: the address names an item (#/pool/12) that stays there until the item is closed.
  let itemHash = idParam !== undefined;

  // --- filters ---
  const search = searchBox('搜索资产名称、编号、型号、品牌', debounced((v) => set('q', v)));
  search.value = state.q;
  search.id = 'pool-search';

  // Finance and administrators choose any unit; a clerk only learns their own unit from the
  // API, so they choose between the whole district and their own unit.
  const unitOptions = clerk
    ? [{ value: '', label: '全部单位' }].concat(ownUnit ? [{ value: ownUnit.code, label: `本单位（${ownUnit.name}）` }] : [])
    : [{ value: '', label: '全部单位' }].concat(units.map((u) => ({ value: u.code, label: `${u.name}（${u.code}）` })));
  const unitSelect = select('unit', withCurrent(unitOptions, state.unit), state.unit,
    { 'aria-label': '按单位筛选', id: 'pool-unit', onchange: (e) => set('unit', e.target.value) });
  const categorySelect = select('category', withCurrent(categoryOptions(cats, '全部资产分类'), state.category), state.category,
    { 'aria-label': '按资产分类筛选', id: 'pool-category', class: 'input select-category', onchange: (e) => set('category', e.target.value) });
  const conditionSelect = select('condition',
    withCurrent([{ value: '', label: '全部完好程度' }, ...conditions.map((c) => ({ value: c.value, label: c.label }))], state.condition),
    state.condition, { 'aria-label': '按完好程度筛选', id: 'pool-condition', onchange: (e) => set('condition', e.target.value) });

  const more = moreFilters({ prefix: 'pool', state, set });
  const clearButton = button('清除筛选', clearFilters, { kind: 'link', action: 'clear-filters' });

  // The idle register: of the items the filters select, or of one unit, or of the district.
  const exportLink = h('a', { class: 'btn', download: true, dataset: { action: 'export' } }, '导出闲置资产登记册');
  const exportOwn = clerk && ownUnit
    ? h('a', { class: 'btn', download: true, href: '/api/v1/pool.xlsx?unit=' + encodeURIComponent(ownUnit.code), dataset: { action: 'export-own' } }, '导出本单位登记册')
    : null;

  function anyFilter() {
    return filterKeys.some((k) => state[k]);
  }

  function clearFilters() {
    for (const k of filterKeys) state[k] = '';
    search.value = '';
    for (const s of [unitSelect, categorySelect, conditionSelect]) s.value = '';
    more.clear();
    apply();
  }

  function set(key, value) {
    if (state[key] === value) return;
    state[key] = value;
    apply();
  }

  function filterQuery(withSort) {
    const qs = new URLSearchParams();
    for (const k of filterKeys) if (state[k]) qs.set(k, state[k]);
    if (withSort && state.sort) qs.set('sort', state.sort);
    return qs;
  }

  // listHash is the page's address with its filters (no item open).
  function listHash() {
    const qs = filterQuery(true).toString();
    return '#/pool' + (qs ? '?' + qs : '');
  }

  // apply writes the filters into the hash and the export link, then loads the first page.
  function apply() {
    const hash = listHash();
    if (root.isConnected && location.hash !== hash && !itemHash) history.replaceState(null, '', hash);
    const qs = filterQuery(false).toString();
    exportLink.href = '/api/v1/pool.xlsx' + (qs ? '?' + qs : '');
    exportLink.title = anyFilter() ? '导出符合当前筛选条件的闲置资产' : '导出全区的闲置资产';
    clearButton.hidden = !anyFilter();
    more.draw();
    load(false);
  }

  // --- the table ---
  const listHost = h('div', { class: 'pool-list', id: 'pool-list', 'aria-live': 'polite' });

  const load = keysetLoader({
    root, host: listHost, busyClass: 'pool-busy',
    url: (more) => {
      const qs = filterQuery(true);
      qs.set('limit', String(pageSize));
      if (more && next) qs.set('after', next);
      return '/pool?' + qs.toString();
    },
    onPage: (res, more) => {
      rows = more ? rows.concat(res.items || []) : (res.items || []);
      total = res.total || 0;
      if (!more) sums = null;
      next = res.next || null;
      if (!anyFilter()) everAny = total > 0;
      draw();
    },
    totalsUrl: () => '/pool/totals?' + filterQuery(true).toString(),
    onTotals: (t) => { sums = t; draw(); },
  });

  function sortHead(label, key) {
    const cur = state.sort || defaultSort;
    const active = cur.replace(/^-/, '') === key;
    const desc = active && cur.startsWith('-');
    return h('button', {
      type: 'button', class: ['th-sort', active && 'th-sort-active'], dataset: { sort: key },
      title: active ? (desc ? '当前按此列降序，点击改为升序' : '当前按此列升序，点击改为降序') : '点击按此列排序',
      onclick: () => {
        state.sort = active && !desc ? '-' + key : key;
        if (state.sort === defaultSort) state.sort = '';
        apply();
      },
    }, label, h('span', { class: 'th-sort-mark', 'aria-hidden': 'true' }, active ? (desc ? '↓' : '↑') : '↕'));
  }

  function photoCell(r) {
    const p = (r.photos || [])[0];
    if (!p) return h('span', { class: 'pool-nophoto', title: '没有照片' }, '—');
    return h('button', {
      type: 'button', class: 'pool-thumb-btn', dataset: { action: 'open-photo' },
      'aria-label': `查看“${r.name}”的照片${r.photos.length > 1 ? `（共 ${r.photos.length} 张）` : ''}`,
      onclick: () => open(r),
    }, h('img', { class: 'pool-thumb', src: p.url, alt: '', loading: 'lazy' }),
    r.photos.length > 1 ? h('span', { class: 'pool-thumb-count' }, String(r.photos.length)) : null);
  }

  const columns = [
    { label: '照片', cls: 'pool-col-photo', value: photoCell },
    {
      label: sortHead('资产名称', 'name'),
      value: (r) => h('div', { class: 'pool-name-cell' },
        h('button', { type: 'button', class: 'pool-name', dataset: { action: 'open-item' }, onclick: () => open(r) }, r.name),
        h('span', { class: 'pool-sub' }, h('span', { class: 'mono' }, r.asset_no), brandModel(r) ? ' · ' + brandModel(r) : null)),
    },
    { label: sortHead('资产分类', 'category_code'), value: (r) => h('span', { title: r.category_code }, r.category_name || r.category_code) },
    {
      label: sortHead('所属单位', 'unit'),
      value: (r) => h('div', { class: 'pool-unit-cell' },
        h('span', { class: 'pool-unit-name', title: r.unit_code }, r.unit_name), r.own ? ownTag() : null,
        r.area ? h('span', { class: 'pool-sub' }, r.area) : null),
    },
    { label: sortHead('数量', 'quantity'), value: quantityText, num: true },
    { label: sortHead('原值', 'original_value'), value: (r) => fmtMoney(r.original_value), num: true },
    { label: '净值', value: (r) => fmtMoney(r.net_value), num: true },
    {
      label: sortHead('取得日期', 'acquired_on'),
      value: (r) => h('div', { class: 'nowrap' }, r.acquired_on || '',
        h('span', { class: 'pool-sub' }, '已使用 ' + fmtAge(r.age_months))),
    },
    { label: h('span', { title: '按资产分类的最低使用年限计算' }, '剩余年限'), value: (r) => remainingCell(r.remaining_months) },
    { label: sortHead('完好程度', 'condition'), value: (r) => conditionTag(r.condition) },
    { label: sortHead('闲置起始日', 'idle_since'), value: (r) => h('span', { class: 'nowrap' }, r.idle_since || '') },
  ];

  function draw() {
    if (!rows.length) {
      replace(listHost, emptyList());
      return;
    }
    const table = dataTable({ cls: 'pool-table', columns, rows, rowKey: (r) => r.id });
    for (const th of table.querySelectorAll('th')) {
      const b = th.querySelector('.th-sort-active');
      if (b) th.setAttribute('aria-sort', b.textContent.includes('↓') ? 'descending' : 'ascending');
    }
    const byId = new Map(rows.map((r) => [String(r.id), r]));
    for (const tr of table.querySelectorAll('tbody tr[data-key]')) {
      tr.classList.add('row-link');
      tr.addEventListener('click', (e) => {
        if (!e.target.closest('a, button, input')) open(byId.get(tr.dataset.key));
      });
    }
    const shown = rows.length;
    const pager = next || shown > pageSize ? h('div', { class: 'list-pager' },
      next ? button(`加载更多（还有 ${fmtInt(Math.max(total - shown, 0))} 项）`, () => load(true), { action: 'load-more' }) : null,
      shown > pageSize ? button('回到第一页', () => { load(false); listHost.scrollIntoView({ block: 'start' }); }, { kind: 'link', action: 'first-page' }) : null) : null;
    replace(listHost, table,
      tableFooter(
        totalsLine(total, sums, '项'),
        shown < total ? `已显示 ${fmtInt(shown)} 项` : null),
      pager);
  }

  function emptyList() {
    if (anyFilter() && everAny !== false) {
      return emptyState('没有符合条件的闲置资产', '请换个搜索词或放宽筛选条件，也可以清除筛选查看全部闲置资产。',
        button('清除筛选', clearFilters, { kind: 'primary', action: 'clear-filters-empty' }));
    }
    return emptyState('闲置资产库暂无资产', '各单位把闲置资产标记为闲置后会出现在这里。',
      clerk ? h('a', { class: 'btn btn-primary', href: '#/assets', dataset: { action: 'go-register' } }, '到资产台账标记闲置') : null);
  }

  // --- one item ---
  let dialogOpen = false;
  function open(item, { fromHash = false } = {}) {
    if (!item || dialogOpen) return;
    dialogOpen = true;
    showItem(item, {
      onClose: () => {
        dialogOpen = false;
        // #/pool/12 becomes the list again once the item is closed, without a reload.
        if (fromHash) {
          itemHash = false;
          if (root.isConnected && location.hash.startsWith('#/pool/')) history.replaceState(null, '', listHash());
        }
      },
    });
  }

  append(root,
    pageHeader('闲置资产库', '全区各单位可供调剂的闲置资产：需要添置物品时，先在这里查找'),
    panel({ cls: 'panel-flush pool-panel' },
      toolbar([search, unitSelect, categorySelect, conditionSelect, more.toggle, clearButton], [exportOwn, exportLink]),
      more.panel,
      listHost),
    h('p', { class: 'muted small pool-footnote' },
      '闲置资产库只显示调剂所需的信息，不显示使用人、使用部门和存放地点。数量和金额是各单位提供调剂的部分；剩余使用年限按资产分类的最低使用年限计算。'));
  apply();

  if (idParam !== undefined) {
    try {
      open(await api.get('/pool/' + idParam), { fromHash: true });
    } catch (err) {
      notify(messageOf(err), 'error');
      itemHash = false;
      if (root.isConnected) history.replaceState(null, '', listHash());
    }
  }
}
