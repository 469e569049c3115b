// transfers.js is 调拨单 (#/transfers): the transfers finance approved (资产调拨单), each with the
// figures of the order — what moved, from which unit to which, the source's books (original
// value, accumulated depreciation, net value at the end of the month before the transfer, with
// 账账不符·已核对 where they differed from the schedule and finance acknowledged it) and what the
// receiving unit booked, with the cost of moving it (part of its cost, or an expense) — where it
// stands (待移交, 已移交·待接收, 已接收), and the printable order and its Excel copy. A clerk
// sees the transfers of their unit on either side and prints the hand-over list (移交资产清单)
// of what their unit still has to hand over; finance and the administrator see every unit,
// filtered by one. Under them, 节约: what the received transfers saved, against buying new,
// and what units saved by putting their own idle items back in use (no transfer order).

import { api } from '../api.js';
import { h, append, replace } from '../dom.js';
import {
  pageHeader, panel, dataTable, tableFooter, toolbar, select, emptyState, emptyNote, errorBox, button, tag, stats,
} from '../ui.js';
import { fmtInt, fmtMoney, fmtDate, fmtWan } from '../format.js';
import { withCurrent } from '../filters.js';
import { keysetLoader } from '../keyset.js';
import { handoverHref, orderHref } from './proposals/actions.js';

export const title = '调拨单';

// pageSize is how many transfers one request brings; 加载更多 appends the next as many.
const pageSize = 50;

export async function render(root, { user, query }) {
  const clerk = user.role === 'clerk';
  const own = clerk && user.unit ? user.unit.code : '';
  const units = clerk ? [] : await api.get('/units').then((r) => r.items || []);
  let unit = clerk ? own : (query.get('unit') || '');
  let rows = [];
  let total = 0;
  let next = null;

  // --- filters (finance, admin) ---
  const unitSelect = clerk ? null : select('unit',
    withCurrent([{ value: '', label: '全部单位' }, ...units.map((u) => ({ value: u.code, label: `${u.name}（${u.code}）` }))], unit),
    unit, {
      'aria-label': '按单位筛选（调出或调入）', title: '调出或调入的单位', id: 'transfer-unit',
      onchange: (e) => {
        unit = e.target.value;
        const hash = '#/transfers' + (unit ? '?unit=' + encodeURIComponent(unit) : '');
        if (location.hash !== hash) history.replaceState(null, '', hash);
        apply();
      },
    });
  const handoverHost = h('span', { class: 'transfer-handover' });

  // --- the transfers ---
  const listHost = h('div', { class: 'transfer-list', id: 'transfer-list', 'aria-live': 'polite' });
  const load = keysetLoader({
    root, host: listHost, busyClass: 'list-busy',
    url: (more) => {
      const qs = new URLSearchParams({ limit: String(pageSize) });
      if (unit) qs.set('unit', unit);
      if (more && next) qs.set('after', next);
      return '/transfers?' + qs.toString();
    },
    onPage: (res, more) => {
      rows = more ? rows.concat(res.items || []) : (res.items || []);
      total = res.total || 0;
      next = res.next || null;
      draw();
    },
  });

  const columns = [
    {
      label: '调拨单号',
      value: (t) => h('div', null,
        h('a', { class: 'mono transfer-no', href: orderHref(t.id), target: '_blank', rel: 'noopener', dataset: { action: 'open-order' } }, t.no),
        h('span', { class: 'cell-sub' }, fmtDate(t.date))),
    },
    {
      label: '资产',
      value: (t) => h('div', { class: 'transfer-asset' },
        h('span', { class: 'transfer-asset-name' }, t.name),
        h('span', { class: 'cell-sub' },
          h('span', { class: 'mono' }, t.asset_no || ''),
          t.new_asset_no && t.new_asset_no !== t.asset_no ? [' → ', h('span', { class: 'mono', title: '调入单位的资产编号' }, t.new_asset_no)] : null,
          t.model ? ' · ' + t.model : null),
        t.first_acquired_on ? h('span', { class: 'cell-sub', title: '资产最初取得的日期；使用年限和已使用时间从此日起算' }, `原始取得日期 ${t.first_acquired_on}`) : null),
    },
    { label: '调出单位', value: (t) => unitName(t.source_unit_name, t.source_unit, clerk && t.source_unit === own ? '调出' : null) },
    { label: '调入单位', value: (t) => unitName(t.receiving_unit_name, t.receiving_unit, clerk && t.receiving_unit === own ? '调入' : null) },
    { label: '数量', value: (t) => fmtInt(t.quantity), num: true },
    { label: '原值', value: (t) => fmtMoney(t.original_value), num: true },
    { label: '累计折旧', value: (t) => fmtMoney(t.accumulated_depreciation), num: true },
    { label: '净值', value: netCell, num: true },
    { label: h('span', { title: '调入单位入账的价值：来源单位的账面净值；已提足折旧的按原值入账' }, '入账价值'), value: bookedCell, num: true },
    { label: '批准人', value: (t) => h('span', { class: 'nowrap' }, t.approver_name || '—') },
    { label: '状态', value: stateCell },
    {
      label: '单据',
      cls: 'col-actions',
      value: (t) => h('span', { class: 'transfer-docs' },
        h('a', { href: orderHref(t.id), target: '_blank', rel: 'noopener', dataset: { action: 'order-html' } }, '调拨单'),
        h('a', { href: `/api/v1/transfers/${t.id}/order.xlsx`, download: true, dataset: { action: 'order-xlsx' } }, 'Excel'),
        t.proposal_id && user.role !== 'admin' ? h('a', { href: '#/matching/proposals/' + t.proposal_id, dataset: { action: 'open-proposal' } }, '调剂建议') : null),
    },
  ];

  function draw() {
    drawHandover();
    if (!rows.length) {
      replace(listHost, unit && !clerk
        ? emptyState('这个单位还没有调拨单', '请换个单位，或选择“全部单位”。',
          button('全部单位', () => { unitSelect.value = ''; unitSelect.dispatchEvent(new Event('change')); }, { kind: 'primary', action: 'all-units' }))
        : emptyState('还没有调拨单', clerk
          ? '本单位的需求确认接收调剂建议、财政批准后，会生成资产调拨单并列在这里；本单位调出的资产也一样。'
          : '财政批准调剂后，每次调拨都会生成资产调拨单并列在这里。',
        h('a', { class: 'btn', href: clerk ? '#/inbox' : '#/matching', dataset: { action: 'go-work' } }, clerk ? '查看待办' : '查看调剂建议')));
      return;
    }
    const shown = rows.length;
    const pieces = rows.reduce((s, t) => s + Number(t.quantity || 0), 0);
    replace(listHost,
      dataTable({ cls: 'transfer-table', columns, rows, rowKey: (t) => t.id }),
      tableFooter(`共 ${fmtInt(total)} 张调拨单`,
        `${shown < total ? `已显示 ${fmtInt(shown)} 张：` : ''}${fmtInt(pieces)} 件，净值合计 ${sumMoney(rows, 'net_value')}，入账价值合计 ${sumMoney(rows, 'booked_value')}`),
      next ? h('div', { class: 'list-pager' },
        button(`加载更多（还有 ${fmtInt(Math.max(total - shown, 0))} 张）`, () => load(true), { action: 'load-more' })) : null);
  }

  // drawHandover offers the hand-over list of the unit a clerk belongs to, or the one finance chose.
  function drawHandover() {
    replace(handoverHost, unit
      ? h('a', { class: 'btn', href: handoverHref(unit), target: '_blank', rel: 'noopener', dataset: { action: 'handover-list' } },
        clerk ? '本单位移交资产清单' : '该单位移交资产清单')
      : null);
  }

  // --- savings ---
  const savingsHost = h('div', { class: 'savings', id: 'savings', 'aria-live': 'polite' });
  let savingsSeq = 0;
  async function loadSavings() {
    const mine = ++savingsSeq;
    let res;
    try {
      res = await api.get('/savings' + (unit ? '?unit=' + encodeURIComponent(unit) : ''));
    } catch (err) {
      if (mine !== savingsSeq || !root.isConnected) return;
      replace(savingsHost, h('div', { class: 'list-error' }, errorBox(err)));
      return;
    }
    if (mine !== savingsSeq || !root.isConnected) return;
    drawSavings(res);
  }

  function drawSavings(res) {
    const items = res.items || [];
    if (!items.length) {
      replace(savingsHost, emptyNote('还没有节约记录', '需求单位确认接收入账后，这次调剂节约的金额（本应购置的价格减去调剂费用）会记在这里；本单位闲置资产确认再利用的，免于购置的金额也记在这里。'));
      return;
    }
    replace(savingsHost,
      h('div', { class: 'savings-figures' }, stats([
        ['节约金额合计', fmtMoney(res.total_amount), fmtWan(res.total_amount) || null],
        ['调剂到位', `${fmtInt(res.total_quantity)} 件`, '已接收入账、免于购置的数量'],
        ['节约记录', `${fmtInt(items.length)} 条`, clerk ? '本单位接收的调剂' : (unit ? '该单位接收的调剂' : '各单位接收的调剂')],
      ])),
      dataTable({
        cls: 'savings-table',
        columns: [
          { label: '日期', value: (s) => h('span', { class: 'nowrap' }, fmtDate(s.created_at)) },
          clerk ? null : { label: '单位', value: (s) => h('span', { class: 'nowrap' }, s.unit_name || '') },
          {
            label: '购置需求',
            value: (s) => h('div', null,
              h('a', { href: '#/requests/' + s.request_id, dataset: { action: 'open-request' } }, s.request_name || `需求 #${s.request_id}`),
              h('span', { class: 'cell-sub' }, `#${s.request_id}`)),
          },
          { label: '数量', value: (s) => fmtInt(s.quantity), num: true },
          { label: '预算单价', value: (s) => fmtMoney(s.unit_price), num: true },
          { label: h('span', { title: '配置标准的单价上限；没有适用标准时为 —' }, '标准上限'), value: (s) => (Number(s.cap) > 0 ? fmtMoney(s.cap) : '—'), num: true },
          { label: h('span', { title: '本应购置的金额：预算单价与标准上限中较低者 × 数量' }, '免于购置'), value: (s) => fmtMoney(s.avoided), num: true },
          { label: '调剂费用', value: (s) => fmtMoney(s.transfer_cost), num: true },
          { label: '节约金额', value: (s) => h('strong', null, fmtMoney(s.amount)), num: true },
          { label: '计算方法', value: (s) => h('span', { class: 'savings-method' }, s.method || ''), cls: 'col-method' },
          {
            label: '调拨单',
            // A unit's own idle item back in use moved nowhere: no transfer order to open.
            value: (s) => (s.transfer_id
              ? h('a', { href: orderHref(s.transfer_id), target: '_blank', rel: 'noopener', dataset: { action: 'open-order' } }, '调拨单')
              : h('span', { class: 'muted nowrap saving-own', title: '本单位闲置资产再利用，不生成调拨单' }, '本单位再利用')),
          },
        ].filter(Boolean),
        rows: items,
        rowKey: (s) => s.id,
      }),
      tableFooter(`共 ${fmtInt(items.length)} 条`, `${fmtInt(res.total_quantity)} 件`, `节约金额合计 ${fmtMoney(res.total_amount)}`));
  }

  function apply() {
    load(false);
    loadSavings();
  }

  append(root,
    pageHeader('调拨单', clerk
      ? `${user.unit ? user.unit.name : '本单位'}调出和调入资产的调拨单：移交、接收的进度，打印调拨单和移交资产清单`
      : '财政批准的每次调拨：调出、调入单位，调拨时的账面价值和入账价值，移交和接收的进度',
    handoverHost),
    panel({ title: '资产调拨单', cls: 'panel-flush transfer-panel' },
      unitSelect ? toolbar([unitSelect], null) : null,
      listHost),
    panel({ title: '节约', cls: 'panel-flush savings-panel' }, savingsHost));
  apply();
}

// unitName is a unit in a cell, with 调出/调入 for the viewer's own unit.
function unitName(name, code, own) {
  return h('div', { class: 'transfer-unit' },
    h('span', { class: 'nowrap', title: code || null }, name || code || ''),
    own ? h('span', { class: 'cell-tags' }, tag('本单位' + own, 'info')) : null);
}

// netCell is the source's net book value, marked 账账不符 where its books differed from the
// schedule (the schedule's figures in the tag's title) and finance acknowledged it.
function netCell(t) {
  if (!t.books_disagree) return fmtMoney(t.net_value);
  const mark = tag(t.books_acknowledged ? '账账不符·已核对' : '账账不符', 'warning');
  mark.title = `按取得日期计算：累计折旧 ${fmtMoney(t.schedule_accumulated_depreciation)}，净值 ${fmtMoney(t.schedule_net_value)}${t.books_acknowledged ? '；财政审批人已核对账面差异' : ''}`;
  return h('div', { class: 'transfer-books' }, fmtMoney(t.net_value), h('span', { class: 'cell-tags' }, mark));
}

// bookedCell is what the receiver booked, with the cost of moving the item once received: part
// of the item's cost, or, for an item booked fully depreciated, an expense.
function bookedCell(t) {
  let cost = null;
  if (Number(t.cost_capitalised) > 0) cost = `另计入成本 ${fmtMoney(t.cost_capitalised)}（运输等费用）`;
  else if (Number(t.cost_expensed) > 0) cost = `运输等费用 ${fmtMoney(t.cost_expensed)} 计入当期费用`;
  return cost ? h('div', null, fmtMoney(t.booked_value), h('span', { class: 'cell-sub nowrap' }, cost)) : fmtMoney(t.booked_value);
}

// stateCell says where a transfer stands, from its hand-over and receipt times.
function stateCell(t) {
  if (t.received_at) {
    return h('div', null, tag('已接收', 'success'), h('span', { class: 'cell-sub nowrap' }, fmtDate(t.received_at)));
  }
  if (t.handed_over_at) {
    return h('div', null, tag('已移交·待接收', 'info'), h('span', { class: 'cell-sub nowrap' }, fmtDate(t.handed_over_at)));
  }
  return tag('待移交', 'warning');
}

// sumMoney adds a money field of rows in fen (signs kept) and writes it as ¥ text.
function sumMoney(rows, key) {
  let fen = 0;
  for (const r of rows) {
    const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(String(r[key] == null ? '0' : r[key]).trim());
    if (!m) continue;
    const v = Number(m[2]) * 100 + Number((m[3] || '').padEnd(2, '0'));
    fen += m[1] ? -v : v;
  }
  const neg = fen < 0;
  const a = Math.abs(fen);
  return fmtMoney(`${neg ? '-' : ''}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`);
}
