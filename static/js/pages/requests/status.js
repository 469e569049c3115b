// status.js holds the words of purchase requests (购置需求) and reassignment proposals (调剂建议)
// as the UI shows them: each status with its tag tone, the conditions a request may accept,
// and how an amount in yuan is multiplied without going through floating point.

import { h } from '../../dom.js';
import { fmtMoney } from '../../format.js';
import { toFen, fenToYuan } from '../assets/common.js';

/** requestStatuses are a request's statuses in the order of its life, with tag tones (ux.md). */
export const requestStatuses = [
  { value: 'draft', label: '草稿', tone: 'neutral' },
  { value: 'submitted', label: '已提交', tone: 'info' },
  { value: 'partly_matched', label: '部分匹配', tone: 'warning' },
  { value: 'matched', label: '已匹配', tone: 'success' },
  { value: 'fulfilled', label: '已调剂满足', tone: 'success' },
  { value: 'purchase_approved', label: '已批准购置', tone: 'info' },
  { value: 'purchase_rejected', label: '未批准购置', tone: 'danger' },
  { value: 'withdrawn', label: '已撤回', tone: 'neutral' },
];

/** openStatuses are the statuses matching still works on: the 待调剂 filter. */
export const openStatuses = 'submitted,partly_matched,matched';

/** proposalStatuses are a proposal's statuses with tag tones (ux.md). */
export const proposalStatuses = [
  { value: 'proposed', label: '待确认', tone: 'warning' },
  { value: 'accepted', label: '已确认·待审批', tone: 'info' },
  { value: 'approved', label: '已批准·待移交', tone: 'info' },
  { value: 'handed_over', label: '已移交·待接收', tone: 'info' },
  { value: 'received', label: '已接收', tone: 'success' },
  { value: 'declined', label: '已谢绝', tone: 'neutral' },
  { value: 'rejected', label: '已驳回', tone: 'danger' },
  { value: 'cancelled', label: '已取消', tone: 'neutral' },
  { value: 'expired', label: '已过期', tone: 'neutral' },
];

/** liveProposal says whether a proposal in status still holds its item (its hold matters). */
export function liveProposal(status) {
  return ['proposed', 'accepted', 'approved', 'handed_over'].includes(status);
}

/** minConditions are what a request may accept at worst, best first, with what each means. */
export const minConditions = [
  { value: 'new', label: '全新', hint: '只接受全新的资产' },
  { value: 'usable', label: '完好', hint: '接受完好可用或全新的资产' },
  { value: 'repairable', label: '需维修', hint: '维修后可用的资产也接受' },
];

function statusTag(list, value, label, kind) {
  const o = list.find((s) => s.value === value);
  return h('span', { class: ['tag', 'tag-' + (o ? o.tone : 'neutral')], dataset: { [kind]: value || '' } },
    label || (o ? o.label : value || '—'));
}

/** requestTag is a request's status as a tag with its text: 草稿, 已匹配 … */
export function requestTag(r) {
  return statusTag(requestStatuses, r.status, r.status_label, 'status');
}

/** proposalTag is a proposal's status as a tag with its text: 待确认, 已接收 … */
export function proposalTag(p) {
  return statusTag(proposalStatuses, p.status, p.status_label, 'status');
}

/** conditionWord is a lowest acceptable condition in words: 完好 (及以上). */
export function conditionWord(value, label) {
  const o = minConditions.find((c) => c.value === value);
  const word = label || (o ? o.label : value || '');
  return value === 'new' ? word : word ? `${word}及以上` : '';
}

/** budget is quantity × unit price as ¥ text; '' when the price is unknown. */
export function budget(quantity, unitPrice) {
  const fen = toFen(unitPrice == null ? '' : String(unitPrice));
  if (Number.isNaN(fen)) return '';
  return fmtMoney(fenToYuan(fen * Number(quantity || 0)));
}

/** sumBudget adds up quantity × unit price of rows, in fen; returns ¥ text. */
export function sumBudget(rows) {
  let fen = 0;
  for (const r of rows) {
    const f = toFen(r.unit_price == null ? '' : String(r.unit_price));
    if (!Number.isNaN(f)) fen += f * Number(r.quantity || 0);
  }
  return fmtMoney(fenToYuan(fen));
}

/** fmtScore writes a score out of 100 with its one decimal: 86.5. */
export function fmtScore(score) {
  if (score == null || score === '') return '—';
  return (Math.round(Number(score) * 10) / 10).toFixed(1);
}

/** fmtPoints writes a part's points without a useless .0: 40, 12.5. */
export function fmtPoints(n) {
  const v = Math.round(Number(n || 0) * 10) / 10;
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}
