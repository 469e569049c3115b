// detail.js is one reassignment proposal (#/matching/proposals/{id}): the item offered and
// where it goes, where the proposal stands and what comes next, what the viewer may do now,
// the figures approval would book (finance, before approval), the source's objection and
// finance's comment, the transfer order once approved, and its history — every step with who
// took it and when, newest first. A unit's own idle item for its own request says so.

import { api } from '../../api.js';
import { h, append, replace } from '../../dom.js';
import { pageHeader, panel, definitionList, dataTable, errorBox, emptyNote, notify, messageOf, tag } from '../../ui.js';
import { fmtInt, fmtMoney } from '../../format.js';
import { fmtDateTime } from '../imports/view.js';
import { conditionTag } from '../pool/detail.js';
import { proposalStatuses, proposalTag, fmtScore } from '../requests/status.js';
import { breakdownList, holdCell } from '../requests/proposals.js';
import { actionButtons, transferLink, handoverHref, ownUnit, booksBlock } from './actions.js';
import { actionLabel, parseRecord, prettyRecord } from './words.js';

/** showProposal draws proposal id into root. */
export async function showProposal(root, { user }, id) {
  const back = h('a', { class: 'btn', href: '#/matching', dataset: { action: 'back' } }, '← 返回调剂');
  let p;
  try {
    p = await api.get('/proposals/' + id);
  } catch (err) {
    if (err && err.status === 401) throw err;
    append(root, pageHeader('调剂建议', null, back), panel({}, errorBox(err),
      err && err.status === 404 ? h('p', { class: 'panel-text' }, '这条调剂建议不存在，或与您的单位无关。请回到调剂页面重新查找。') : null));
    return;
  }
  const host = h('div', { class: 'proposal-detail', id: 'proposal-detail', dataset: { proposal: String(p.id) } });
  append(root, host);
  draw();

  async function refresh() {
    try {
      p = await api.get('/proposals/' + id);
    } catch (err) {
      notify(messageOf(err), 'error');
    }
    if (root.isConnected) draw();
  }

  function draw() {
    const own = user.unit ? user.unit.code : '';
    const requestLink = user.role !== 'clerk' || p.request_unit === own;
    const order = transferLink(p, '资产调拨单');
    if (order) order.classList.add('btn');
    replace(host,
      pageHeader(
        [h('span', null, p.asset_name || `调剂建议 #${p.id}`), h('span', { class: 'card-tags', id: 'proposal-status' }, proposalTag(p),
          p.objection ? tag('来源单位有异议', 'warning') : null)],
        [`调剂建议 #${p.id}`, ownUnit(p)
          ? `${p.source_unit_name || p.source_unit} · 本单位闲置资产再利用`
          : `${p.source_unit_name || p.source_unit} → ${p.request_unit_name || p.request_unit}`].join(' · '),
        back, order, actionButtons(p, { onDone: refresh, small: false })),
      nextStep(p, user),
      p.objection ? h('div', { class: 'alert alert-warning proposal-objection', role: 'note' },
        h('strong', null, '资产所属单位的异议：'), p.objection) : null,
      h('div', { class: 'grid grid-card' },
        panel({ title: '调剂的资产', cls: 'proposal-item' }, definitionList([
          ['资产名称', p.asset_name],
          ['资产编号', p.asset_no ? h('span', { class: 'mono' }, p.asset_no) : ''],
          ['资产分类', p.category_name || p.category_code || ''],
          ['品牌型号', [p.brand, p.model].filter(Boolean).join(' ')],
          ['完好程度', conditionTag(p.condition)],
          ['数量', `${fmtInt(p.quantity)} 件`],
          ['原值', fmtMoney(p.original_value)],
          ['净值', fmtMoney(p.net_value)],
          [ownUnit(p) ? '所属单位' : '调出单位', `${p.source_unit_name || ''}（${p.source_unit}）${p.source_area ? ' · ' + p.source_area : ''}`],
        ])),
        panel({ title: '购置需求与匹配', cls: 'proposal-match' }, definitionList([
          ['购置需求', requestLink
            ? h('a', { href: '#/requests/' + p.request_id, dataset: { action: 'open-request' } }, `${p.request_name || ''}（#${p.request_id}）`)
            : `${p.request_name || ''}（#${p.request_id}）`],
          ['调入单位', `${p.request_unit_name || ''}（${p.request_unit}）`],
          ['匹配度', `${fmtScore(p.score)} 分`],
          ['匹配理由', p.reasons || ''],
          ['得分构成', p.breakdown && p.breakdown.length ? breakdownList(p.breakdown) : ''],
          ['保留至', holdCell(p)],
          ['谢绝/驳回理由', p.reason || ''],
          ['审批意见', p.comment || ''],
        ]))),
      p.books ? panel({ title: '批准后入账', cls: 'proposal-books' }, booksBlock(p.books)) : null,
      panel({ title: '处理记录', cls: 'panel-flush proposal-history' }, historyTable(p.history || [])));
  }
}

// nextStep says in one line where the proposal stands and who acts next, from the viewer's side.
function nextStep(p, user) {
  const mine = (p.actions || []).map((a) => a.label).join('、');
  const texts = {
    proposed: '等待需求单位确认是否接收这件资产；确认后送财政审批。',
    accepted: '需求单位已确认接收，等待财政审批。',
    approved: '财政已批准调剂并生成资产调拨单，等待资产所属单位移交资产。',
    handed_over: '资产所属单位已移交，等待需求单位确认接收入账。',
    received: '需求单位已接收入账，调剂完成。',
    declined: '需求单位谢绝了这件资产，资产已回到闲置资产库。',
    rejected: '财政驳回了这次调剂，资产已回到闲置资产库。',
    cancelled: '调剂建议已取消，资产已回到闲置资产库。',
    expired: '保留期内没有完成审批，建议已过期，资产已回到闲置资产库。',
  };
  // A unit's own idle item for its own request: back in use on the clerk's confirmation.
  const ownTexts = {
    proposed: '这是本单位自己的闲置资产：本单位资产管理员确认再利用后，资产恢复在用，直接满足这项需求；不需要财政审批、移交，也不生成调拨单。',
    accepted: '本单位已确认（流程调整前），等待财政审批；批准后资产在本单位恢复在用，不生成调拨单。',
    approved: '财政已批准（流程调整前），资产已恢复在用，不需要移交；请本单位资产管理员确认再利用，完成这次调剂。',
    received: '本单位闲置资产已恢复在用，满足了这项需求，调剂完成。',
    declined: '本单位谢绝了用这件资产满足这项需求，资产仍在闲置资产库。',
    rejected: '财政驳回了这次再利用，资产仍在闲置资产库。',
    cancelled: '调剂建议已取消，资产仍在闲置资产库。',
  };
  const text = (ownUnit(p) && ownTexts[p.status]) || texts[p.status];
  if (!text) return null;
  const tone = { received: 'success', rejected: 'warning', declined: 'info' }[p.status] || 'info';
  const extra = [];
  if (mine) extra.push(`您现在可以：${mine}。`);
  if (p.status === 'approved' && !ownUnit(p) && user.role === 'clerk' && user.unit && user.unit.code === p.source_unit) {
    extra.push(h('a', { href: handoverHref(p.source_unit), target: '_blank', rel: 'noopener', dataset: { action: 'handover-list' } }, '打印移交资产清单'));
  }
  return h('div', { class: ['alert', 'alert-' + tone, 'proposal-next'], role: 'status' }, text, extra.length ? ' ' : null, extra);
}

const statusLabel = (v) => (proposalStatuses.find((s) => s.value === v) || {}).label || v;

// historyTable lists the audit events of a proposal: when, who, what, the status it moved
// between and the words that came with it; the records themselves fold under 查看记录.
function historyTable(events) {
  if (!events.length) return emptyNote('还没有处理记录', '需求单位确认、财政审批、移交和接收时，每一步都会记在这里。');
  return dataTable({
    cls: 'history-table',
    columns: [
      { label: '时间', value: (e) => h('span', { class: 'nowrap' }, fmtDateTime(e.at)) },
      { label: '操作人', value: (e) => e.actor || '系统' },
      { label: '操作', value: (e) => actionLabel(e.action) },
      { label: '状态', value: statusChange },
      { label: '说明', value: words },
      { label: '记录', value: recordCell },
    ],
    rows: events,
    rowKey: (e) => e.id || e.at,
  });
}

function statusChange(e) {
  const b = parseRecord(e.before);
  const a = parseRecord(e.after);
  const from = b && typeof b === 'object' ? b.status : '';
  const to = a && typeof a === 'object' ? a.status : '';
  if (!from && !to) return h('span', { class: 'muted' }, '—');
  if (from && to && from !== to) return h('span', { class: 'nowrap' }, `${statusLabel(from)} → ${statusLabel(to)}`);
  return h('span', { class: 'nowrap' }, statusLabel(to || from));
}

// words are the texts an event carried: a reason, an objection, a comment, a transfer cost.
function words(e) {
  const a = parseRecord(e.after);
  const b = parseRecord(e.before);
  if (!a || typeof a !== 'object') return '';
  const out = [];
  const changed = (k) => a[k] && (!b || typeof b !== 'object' || b[k] !== a[k]);
  if (changed('objection')) out.push(`异议：${a.objection}`);
  if (changed('reason')) out.push(`理由：${a.reason}`);
  if (changed('comment')) out.push(`意见：${a.comment}`);
  if (a.transfer_cost != null && Number(a.transfer_cost) > 0) out.push(`调剂费用：${fmtMoney(a.transfer_cost)}`);
  return out.length ? h('span', { class: 'pre-line' }, out.join('\n')) : '';
}

function recordCell(e) {
  const before = prettyRecord(e.before);
  const after = prettyRecord(e.after);
  if (!before && !after) return h('span', { class: 'muted' }, '—');
  return h('details', { class: 'record-details' }, h('summary', null, '查看记录'),
    h('div', { class: 'record-diff' },
      before ? h('div', null, h('p', { class: 'record-label' }, '变更前'), h('pre', { class: 'record-json' }, before)) : null,
      after ? h('div', null, h('p', { class: 'record-label' }, '变更后'), h('pre', { class: 'record-json' }, after)) : null));
}
