// proposals.js draws reassignment proposals (调剂建议) the same way wherever they appear — on a
// request's page and on 调剂: the idle item offered, where it comes from, its score with the
// reasons in one sentence and, beside it, how the score is made up (each part's phrase and its
// points out of the part's weight), its status and how long the item stays held.

import { h } from '../../dom.js';
import { dataTable, tag } from '../../ui.js';
import { fmtInt, fmtMoney } from '../../format.js';
import { fmtDateTime } from '../imports/view.js';
import { conditionTag } from '../pool/detail.js';
import { proposalTag, liveProposal, fmtScore, fmtPoints } from './status.js';
import { actionsCell, objectionMark, endNote } from '../proposals/actions.js';

/** selfTag marks a proposal of the requester's own idle item. */
export function selfTag() {
  const t = tag('本单位已有闲置同类资产', 'info');
  t.classList.add('self-match');
  t.title = '这件闲置资产属于提出需求的单位自己，先用好本单位的闲置资产';
  return t;
}

/** breakdownList is a proposal's score made up: each part's label, phrase and points/weight. */
export function breakdownList(parts) {
  return h('ul', { class: 'score-parts' }, (parts || []).map((b) => h('li', { class: 'score-part', dataset: { part: b.key || '' } },
    h('span', { class: 'score-part-label' }, b.label || b.key),
    h('span', { class: 'score-part-text' }, b.text || ''),
    h('span', { class: 'score-part-points', title: `得 ${fmtPoints(b.points)} 分，满分 ${fmtPoints(b.weight)} 分` },
      `${fmtPoints(b.points)}/${fmtPoints(b.weight)}`))));
}

/**
 * reasonsCell is the reasons sentence with the score's parts under it: folded behind 得分构成
 * in a long list, or shown at once when open is set (a request's own few proposals).
 */
export function reasonsCell(p, { open = false } = {}) {
  const parts = p.breakdown && p.breakdown.length ? breakdownList(p.breakdown) : null;
  return h('div', { class: 'proposal-reasons' },
    h('p', { class: 'proposal-reason' }, p.reasons || '—'),
    parts ? h('details', { class: 'score-details', open },
      h('summary', null, '得分构成'), parts) : null);
}

/** scoreCell is the score out of 100 with a thin bar under it; the number carries the meaning. */
export function scoreCell(p) {
  const v = Math.max(0, Math.min(100, Number(p.score || 0)));
  const meter = h('meter', { class: 'score-meter', min: '0', max: '100', low: '50', high: '80', optimum: '100', value: String(v), 'aria-hidden': 'true' });
  return h('div', { class: 'score-cell', title: '匹配度满分 100 分' },
    h('span', { class: 'score-value' }, fmtScore(p.score)), meter);
}

/** holdCell says until when a live proposal holds its item; a dash once it has ended. */
export function holdCell(p) {
  if (!p.hold_until || !liveProposal(p.status)) return h('span', { class: 'muted' }, '—');
  return h('span', { class: 'nowrap', title: '到期前未获批准的建议会过期，资产重新回到闲置资产库' }, fmtDateTime(p.hold_until));
}

/** ownTag marks a unit's own idle item of a related kind (not the very item) for its own request. */
function ownTag() {
  const t = tag('本单位闲置资产', 'info');
  t.classList.add('own-unit');
  t.title = '这件闲置资产属于提出需求的单位自己：确认再利用即恢复在用，不需要财政审批和移交';
  return t;
}

/** assetCell is the offered item: name, number, brand and model, the self-match or own-unit tag. */
export function assetCell(p, { link } = {}) {
  const sub = [p.asset_no, [p.brand, p.model].filter(Boolean).join(' ')].filter(Boolean);
  return h('div', { class: 'proposal-asset' },
    link ? h('a', { class: 'proposal-asset-name', href: link }, p.asset_name) : h('span', { class: 'proposal-asset-name' }, p.asset_name),
    h('span', { class: 'cell-sub' }, h('span', { class: 'mono' }, sub[0] || ''), sub[1] ? ' · ' + sub[1] : null,
      p.category_name ? ' · ' + p.category_name : null),
    p.self_match ? h('span', { class: 'cell-tags' }, selfTag())
      : p.flow === 'own_unit' ? h('span', { class: 'cell-tags' }, ownTag()) : null);
}

/** unitCell is a unit's name with its area under it. */
export function unitCell(name, area, code) {
  return h('div', { class: 'proposal-unit' },
    h('span', { class: 'nowrap', title: code || null }, name || code || ''),
    area ? h('span', { class: 'cell-sub' }, area) : null);
}

/** requestCell names the request a proposal is for; linked when the viewer may open it. */
export function requestCell(p, { link = true, unit = true } = {}) {
  const name = p.request_name || `需求 #${p.request_id}`;
  return h('div', { class: 'proposal-request' },
    link ? h('a', { href: '#/requests/' + p.request_id, dataset: { action: 'open-request' } }, name) : h('span', null, name),
    h('span', { class: 'cell-sub' }, `#${p.request_id}`, unit && p.request_unit_name ? ' · ' + p.request_unit_name : null));
}

/** statusCell is a proposal's status tag, with the source's objection and why it ended under it. */
export function statusCell(p) {
  const mark = objectionMark(p);
  const note = endNote(p);
  return h('div', { class: 'proposal-status' }, proposalTag(p),
    mark ? h('span', { class: 'cell-tags' }, mark) : null, note);
}

/**
 * proposalTable is a dense table of proposals. show picks the optional columns: request (which
 * request, for lists of many), source (where the item comes from), value (net and original),
 * hold (until when the item is held).
 * assetLink(p) may give the item a link; openReasons unfolds every score's parts. With onDone
 * a last column offers the viewer's actions (onDone(updated) refreshes after one), the
 * transfer order and, unless detail is false, the proposal's own page.
 */
export function proposalTable(rows, { show = {}, empty, assetLink, openReasons = false, requestLink = () => true, cls, onDone, detail = true } = {}) {
  const { request = false, source = true, value = true, hold = true } = show;
  const columns = [];
  if (request) columns.push({ label: '购置需求', value: (p) => requestCell(p, { link: requestLink(p) }) });
  columns.push({ label: '闲置资产', value: (p) => assetCell(p, { link: assetLink ? assetLink(p) : null }) });
  if (source) columns.push({ label: '来源单位', value: (p) => unitCell(p.source_unit_name, p.source_area, p.source_unit) });
  columns.push(
    { label: '完好程度', value: (p) => conditionTag(p.condition) },
    { label: '数量', value: (p) => fmtInt(p.quantity), num: true },
  );
  if (value) columns.push({ label: '净值', value: (p) => fmtMoney(p.net_value), num: true });
  columns.push(
    { label: '匹配度', value: scoreCell, num: true },
    { label: '匹配理由', value: (p) => reasonsCell(p, { open: openReasons }), cls: 'col-reasons' },
    { label: '状态', value: statusCell },
  );
  if (hold) columns.push({ label: '保留至', value: holdCell });
  if (onDone) columns.push({ label: '操作', value: (p) => actionsCell(p, { onDone, detail }), cls: 'col-actions' });
  return dataTable({ cls: ['proposal-table', cls].filter(Boolean).join(' '), columns, rows, empty, rowKey: (p) => p.id });
}
