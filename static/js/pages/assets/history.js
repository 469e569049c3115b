// history.js writes a card's audit events as 变动记录: newest first, each with what happened in
// words, who and when, and the fields it changed as "原值：¥1,000.00 → ¥1,200.00".

import { h } from '../../dom.js';
import { emptyNote } from '../../ui.js';
import { fieldLabels, showValue, fmtDateTime } from './common.js';

const actionLabels = {
  'asset.create': '新增资产卡片',
  'asset.update': '修改资产卡片',
  'asset.status': '变更使用状况',
  'asset.photo_add': '上传照片',
  'asset.photo_delete': '删除照片',
  'asset.check_confirm': '核实：确认无误',
  'asset.check_dismiss': '核实：暂不处理',
  'asset.transfer_out': '调剂调出',
  'asset.transfer_in': '调剂调入',
  'asset.reuse': '本单位闲置资产再利用',
  'asset.books_adjust': '账务调整',
  'asset.capitalise_cost': '调剂费用计入资产成本',
};

const booksModes = { stated: '按单位财务账的数', schedule: '按取得日期计算' };

function parse(s) {
  if (!s) return null;
  try {
    const v = JSON.parse(s);
    return v && typeof v === 'object' ? v : null;
  } catch {
    return null;
  }
}

function changeValue(text, cls) {
  return text === '' || text == null ? h('span', { class: 'change-empty' }, '（空）') : h('span', { class: cls }, text);
}

function changeLine(label, oldText, newText) {
  return h('li', null,
    h('span', { class: 'change-label' }, label), '：',
    changeValue(oldText, 'change-old'), h('span', { class: 'change-arrow', 'aria-label': '改为' }, ' → '),
    changeValue(newText, 'change-new'));
}

// fieldChanges lists the card fields that differ between before and after, in the card's order.
function fieldChanges(before, after, names) {
  const b = before || {};
  const a = after || {};
  const out = [];
  for (const [k, label] of Object.entries(fieldLabels)) {
    if (!(k in b) && !(k in a)) continue;
    const o = showValue(k, b[k], names);
    const n = showValue(k, a[k], names);
    if (o !== n) out.push(changeLine(label, o, n));
  }
  return out;
}

function importLink(rec) {
  const where = rec.row ? `第 ${rec.row} 行` : '';
  return [h('a', { href: '#/imports/' + rec.import_id }, `导入记录 #${rec.import_id}`), where ? ' ' + where : ''];
}

// describe returns [label, details] of one event.
function describe(ev, names) {
  const before = parse(ev.before);
  const after = parse(ev.after);
  if (ev.action === 'asset.import') {
    if (before && before.import_id) {
      const changes = (before.changes || []).map((c) => changeLine(c.label || fieldLabels[c.field] || c.field, c.old, c.new));
      return ['导入清查表：更新', [h('p', { class: 'timeline-text' }, '由 ', importLink(before), ' 更新'), changes.length ? h('ul', { class: 'change-list' }, changes) : null]];
    }
    if (after && after.import_id) {
      return ['导入清查表：新建', h('p', { class: 'timeline-text' }, '由 ', importLink(after), ' 新建')];
    }
    return ['导入清查表', null];
  }
  if (ev.action === 'asset.create') {
    const a = after || {};
    const bits = [a.asset_no && `资产编号 ${a.asset_no}`, a.original_value != null && `原值 ${showValue('original_value', a.original_value)}`].filter(Boolean);
    return ['新增资产卡片', bits.length ? h('p', { class: 'timeline-text' }, '手工登记：' + bits.join('，')) : null];
  }
  if (ev.action === 'asset.books_adjust') return ['账务调整', booksAdjustment(before || {}, after || {})];
  const label = actionLabels[ev.action] || ev.action;
  if (ev.action.startsWith('asset.photo')) return [label, null];
  const changes = fieldChanges(before, after, names);
  return [label, changes.length ? h('ul', { class: 'change-list' }, changes) : null];
}

// booksAdjustment is what a correction of the books changed: the way, the unit's stated figures
// and their day, the books they gave that day, and the reason.
function booksAdjustment(b, a) {
  const stated = (r) => (r.book_depreciation != null || r.book_net_value != null
    ? `累计折旧 ${showValue('book_depreciation', r.book_depreciation)}，净值 ${showValue('book_net_value', r.book_net_value)}${r.book_date ? `（截至 ${r.book_date}）` : ''}`
    : '未填报（按取得日期计算）');
  const lines = [
    changeLine('单位账面数', stated(b), stated(a)),
    changeLine('账面累计折旧', showValue('book_depreciation', b.accumulated_depreciation), showValue('book_depreciation', a.accumulated_depreciation)),
    changeLine('账面净值', showValue('book_net_value', b.net_value), showValue('book_net_value', a.net_value)),
  ];
  return [
    h('p', { class: 'timeline-text' }, `调整方式：${booksModes[a.mode] || a.mode || ''}${a.disagrees ? '（调整后仍与按取得日期计算的数不符）' : ''}`),
    h('ul', { class: 'change-list' }, lines),
    a.reason ? h('p', { class: 'timeline-text books-adjust-reason' }, '调整原因：' + a.reason) : null,
  ];
}

function actorName(actor, user) {
  if (!actor || actor === 'system') return '系统';
  if (user && actor === user.username) return `${user.display_name || actor}（本人）`;
  return actor;
}

/** historyList is the timeline of events (newest first) for the card page. */
export function historyList(events, { names, user }) {
  if (!events.length) return emptyNote('还没有变动记录', '导入、修改、标记闲置和调剂都会记在这里。');
  return h('ol', { class: 'timeline' }, events.map((ev) => {
    const [label, details] = describe(ev, names);
    return h('li', { class: 'timeline-item', dataset: { action: ev.action } },
      h('div', { class: 'timeline-head' },
        h('span', { class: 'timeline-action' }, label),
        h('span', { class: 'timeline-meta' }, `${fmtDateTime(ev.at)} · ${actorName(ev.actor, user)}`)),
      details);
  }));
}
