// actions.js is what a user does to a reassignment proposal (调剂建议), the same wherever it
// is listed (a request's page, 调剂, 待办, the proposal's own page): the actions the API offers
// the viewer now become buttons; a button that needs words (a decline's reason, finance's
// comment, the cost of moving the item on receipt) asks for them in a dialog whose error
// stands inside it; then the move is posted, the navigation's counts are told, and the list
// is refreshed. Finance's approval dialog shows the figures the approval will book — the same
// the transfer order then carries — fetched from the proposal at the moment it opens; where the
// source's books disagree with the schedule it shows both and the difference, and 批准 waits
// for the approver to tick that they checked them (books_acknowledged). The receipt dialog says
// whether the cost entered is part of the item's cost or an expense. A unit's
// own idle item proposed for its own request (flow own_unit) has its own words: 确认再利用
// puts it back in use, with no hand-over, transfer order or approval. It also draws the marks
// a proposal carries on its way: the source unit's objection, and the transfer order (资产调拨单)
// once finance approved.

import { api } from '../../api.js';
import { h } from '../../dom.js';
import { button, field, openDialog, notify, tag, messageOf, FormError } from '../../ui.js';
import { fmtInt, fmtMoney, fmtDate } from '../../format.js';

/** inboxChanged is the window event that tells the navigation's counts to look again. */
export const inboxChanged = 'assetpool:inbox-changed';

/** announceChange tells the navigation that something waiting for someone may have moved. */
export function announceChange() {
  window.dispatchEvent(new Event(inboxChanged));
}

// How each action is asked for and said: the body key of its text, whether the text is
// required, the dialog's words, and the notice after it went through.
const kinds = {
  accept: {
    done: '已确认接收，等待财政审批',
  },
  decline: {
    key: 'reason', required: true, label: '谢绝理由', danger: true,
    intro: '谢绝后这件资产回到闲置资产库，系统会为这项需求继续寻找其他可调剂的资产。',
    placeholder: '如：型号不符合使用要求、距离太远不便搬运',
    done: '已谢绝这条调剂建议',
  },
  object: {
    key: 'reason', required: true, label: '异议理由',
    intro: '异议会送财政审批人，作为审批时的参考；调剂建议的状态不变。',
    placeholder: '如：这件资产已安排给本单位新进人员使用',
    done: '异议已提交，财政审批时会看到',
  },
  cancel: {
    key: 'reason', required: false, label: '取消原因', danger: true,
    intro: '取消后这件资产不再为这项需求保留。',
    done: '调剂建议已取消',
  },
  approve: {
    key: 'comment', required: false, label: '审批意见',
    intro: '批准后生成资产调拨单：资产按来源单位的账面净值转入需求单位，等待来源单位移交。',
    done: '已批准调剂，已生成资产调拨单',
  },
  reject: {
    key: 'comment', required: true, label: '驳回意见', danger: true,
    intro: '驳回后这件资产回到闲置资产库，需求单位会看到您的意见。',
    done: '已驳回这条调剂建议',
  },
  handover: {
    confirm: true,
    intro: '请在把资产实际交给需求单位之后确认移交。可先打印移交资产清单，随资产一起交接、签字。',
    done: '已确认移交，等待需求单位接收',
  },
  receive: {
    cost: true,
    intro: '确认已收到资产后入账：资产按调拨单上的价值记入本单位台账，节约金额同时记入。',
    done: '已接收入账，资产已记入本单位台账',
  },
};

// ownKinds are the words of a unit's own idle item for its own request, where they differ.
// approve and receive only meet own-unit proposals left accepted or approved by the old flow.
const ownKinds = {
  accept: {
    confirm: true,
    intro: '这是本单位自己的闲置资产。确认后资产恢复在用，直接满足这项需求：不需要财政审批，不需要移交，也不生成调拨单；卡片的编号、账面数字、使用人和存放地点不变，免于购置的金额记入节约。',
    done: '已确认再利用，资产已恢复在用',
  },
  decline: { ...kinds.decline, intro: '谢绝后这件资产留在本单位的闲置资产中，系统会为这项需求继续寻找其他可调剂的资产。' },
  cancel: { ...kinds.cancel, intro: '取消后这件资产不再为这项需求保留，仍在本单位的闲置资产中。' },
  approve: {
    ...kinds.approve,
    intro: '这是需求单位自己的闲置资产（流程调整前已确认）。批准后资产在本单位恢复在用，不生成调拨单，账面数字不变。',
    done: '已批准，资产已在本单位恢复在用',
  },
  receive: {
    confirm: true,
    intro: '这件本单位自己的资产在流程调整前已获批准、已恢复在用，不需要移交。确认后调剂完成，免于购置的金额记入节约。',
    done: '已确认再利用',
  },
};

/** ownUnit reports whether p offers a unit's own idle item for the unit's own request. */
export function ownUnit(p) {
  return p.flow === 'own_unit' || (p.source_unit_id != null && p.source_unit_id === p.request_unit_id);
}

// kindOf is how an action on p is asked for and said.
function kindOf(p, action) {
  return (ownUnit(p) ? ownKinds[action] : null) || kinds[action] || {};
}

/**
 * actionBody is what an action posts, from the text or the cost typed in its dialog, and, for
 * an approval, whether the approver acknowledged the difference of the source's books.
 */
export function actionBody(action, text, cost, p = {}, acknowledged = false) {
  const k = kindOf(p, action);
  if (k.cost) return cost === '' || cost == null ? {} : { transfer_cost: Number(cost) };
  const body = k.key && text ? { [k.key]: text } : {};
  if (action === 'approve' && acknowledged) body.books_acknowledged = true;
  return body;
}

/** costPattern is a transfer cost as typed: yuan with at most two decimals, no sign. */
const costPattern = /^\d{1,13}(\.\d{1,2})?$/;

/**
 * actionButtons draws the actions offered on p (p.actions) as small buttons; after one went
 * through, onDone(updated proposal view) is called. Returns null when nothing is offered.
 */
export function actionButtons(p, { onDone, small = true } = {}) {
  const offers = p.actions || [];
  if (!offers.length) return null;
  return h('span', { class: 'proposal-actions' }, offers.map((o) => {
    const k = kindOf(p, o.action);
    const kind = o.action === 'accept' || o.action === 'approve' || o.action === 'receive' || o.action === 'handover'
      ? 'primary' : 'plain';
    const b = button(o.label || o.action, () => act(p, o, { onDone, trigger: b }), { kind, small, action: 'proposal-' + o.action });
    if (k.danger) b.classList.add('btn-quiet-danger');
    return b;
  }));
}

/**
 * act carries out one offered action on p: at once for a plain step (确认接收), after a dialog
 * for one that needs words or a confirmation. Resolves with the updated view, or undefined
 * when the user cancelled or the API refused (its message is shown).
 */
export async function act(p, offer, { onDone, trigger } = {}) {
  const action = offer.action;
  const k = kindOf(p, action);
  const post = (body) => api.post(`/proposals/${p.id}/${action}`, body);
  let out;
  // The figures approval books are read afresh when the dialog opens, so that the approver
  // sees what the transfer order will carry, not a figure from when the list was loaded.
  let books = null;
  // The receipt's dialog says how the cost is booked, which depends on the transfer's books.
  let transfer = null;
  if ((action === 'approve' || (action === 'receive' && p.transfer_id != null)) && !ownUnit(p)) {
    if (trigger) trigger.disabled = true;
    try {
      if (action === 'approve') books = (await api.get('/proposals/' + p.id)).books || null;
      else transfer = await api.get('/transfers/' + p.transfer_id);
    } catch (err) {
      notify(messageOf(err), 'error');
      return undefined;
    } finally {
      if (trigger && trigger.isConnected) trigger.disabled = false;
    }
  }
  if (!k.key && !k.cost && !k.confirm) {
    if (trigger) trigger.disabled = true;
    try {
      out = await post({});
    } catch (err) {
      notify(messageOf(err), 'error');
      if (trigger && trigger.isConnected) trigger.disabled = false;
      // A conflict means the proposal moved on meanwhile (another user, an expired hold):
      // show it as it stands now.
      if (err && err.status === 409 && onDone) await onDone(undefined);
      return undefined;
    }
  } else {
    const ack = books && books.disagrees ? acknowledgement() : null;
    const pending = openDialog({
      title: `${offer.label || action}：${p.asset_name || '调剂建议'}`,
      name: 'proposal-' + action,
      submitLabel: offer.label || '确定',
      danger: !!k.danger,
      wide: !!books,
      body: dialogBody(p, offer, k, books, transfer, ack),
      onSubmit: async (form) => {
        let text = '';
        let cost = '';
        if (k.key) {
          text = form.elements.text.value.trim();
          if (k.required && !text) throw new FormError(`请填写${offer.reason || k.label}`);
        }
        if (k.cost) {
          cost = form.elements.transfer_cost.value.trim().replace(/[,，¥元\s]/g, '');
          if (cost !== '' && !costPattern.test(cost)) throw new FormError('调剂费用应为金额，如 200 或 150.50；没有费用请留空');
        }
        if (ack && !ack.box.checked) throw new FormError('请先核对账面差异，勾选“已核对账面差异，按调出单位账面价值入账”');
        return post(actionBody(action, text, cost, p, !!(ack && ack.box.checked)));
      },
    });
    // 批准 waits for the tick: the dialog is in the page once openDialog has been called.
    if (ack) ack.sync();
    out = await pending;
    if (!out) return undefined;
  }
  notify(k.done || '已处理');
  announceChange();
  if (onDone) await onDone(out);
  return out;
}

// acknowledgement is the approver's tick that they checked the difference of the source's
// books from the schedule; 批准 stays disabled until it is ticked.
function acknowledgement() {
  const box = h('input', { type: 'checkbox', name: 'books_acknowledged', id: 'approve-books-ack', onchange: () => sync() });
  const el = h('div', { class: 'field field-check approve-ack' },
    h('label', { class: 'check' }, box,
      h('span', null, '已核对账面差异，按调出单位账面价值入账'),
      h('span', { class: 'field-hint' }, '批准记录这一确认，调拨单上注明“财政审批人已核对账面差异”。')));
  function sync() {
    const submit = box.form && box.form.querySelector('button[data-action="submit"]');
    if (submit) submit.disabled = !box.checked;
  }
  return { box, el, sync };
}

// costBooking says how the receiving unit books the cost entered on receipt (准则第3号 第十条):
// part of the item's cost, or, for an item booked fully depreciated, an expense.
function costBooking(t) {
  if (Number(t.net_value) > 0) {
    return `运输、搬运等费用计入调入资产的成本：这件资产按 ${fmtMoney(t.booked_value)} 入账，费用加到原值上${Number(t.life_months) > 0 ? `，在剩余 ${fmtInt(t.life_months)} 个月内按月计提折旧（月折旧额随之增加）` : ''}。`;
  }
  return `这件资产调入时已提足折旧（按原值 ${fmtMoney(t.booked_value)} 入账，累计折旧等额）：运输、搬运等费用不计入资产成本，计入当期费用（其他费用）。`;
}

// dialogBody is what the dialog of an action shows: the item in one line, what happens next,
// the figures an approval books (with the acknowledgement where the books disagree), and the
// field the action needs.
function dialogBody(p, offer, k, books, transfer, ack) {
  const parts = [summaryLine(p, !books)];
  if (k.intro) parts.push(h('p', { class: 'dialog-note' }, k.intro));
  if (books) parts.push(booksBlock(books));
  if (ack) parts.push(ack.el);
  if (offer.action === 'handover' && p.source_unit) {
    parts.push(h('p', { class: 'dialog-note' },
      h('a', { href: handoverHref(p.source_unit), target: '_blank', rel: 'noopener', dataset: { action: 'handover-list' } }, '打印移交资产清单')));
  }
  if (k.key) {
    const label = offer.reason || k.label;
    const area = h('textarea', { class: 'input input-area', name: 'text', rows: '3', maxlength: '1000', placeholder: k.placeholder || '' });
    parts.push(field(label, area, { required: k.required, hint: k.required ? null : '可不填' }));
  }
  if (k.cost) {
    const cost = h('input', {
      class: 'input input-money', name: 'transfer_cost', type: 'text', inputmode: 'decimal', autocomplete: 'off', placeholder: '0.00',
    });
    parts.push(field('调剂费用（元）', cost, { hint: '搬运、运输、维修等为这次调剂实际花费的金额，从节约金额中扣除；没有请留空。' }));
    if (transfer) parts.push(h('p', { class: 'dialog-note receive-cost-booking', id: 'receive-cost-booking' }, costBooking(transfer)));
  }
  return parts;
}

// summaryLine names the item, how many, its value (unless the approval's figures follow) and
// the two units, so that the dialog says what it is about.
function summaryLine(p, withValue = true) {
  const own = ownUnit(p);
  return h('dl', { class: 'proposal-summary' },
    pair('资产', [p.asset_name, p.asset_no ? h('span', { class: 'mono cell-sub-inline' }, p.asset_no) : null]),
    pair('数量', `${fmtInt(p.quantity)} 件`),
    withValue && p.net_value != null ? pair('净值', fmtMoney(p.net_value)) : null,
    own ? pair('所属单位', `${p.source_unit_name || p.source_unit || ''}（本单位闲置资产再利用）`) : pair('调出单位', p.source_unit_name || p.source_unit || ''),
    own ? null : pair('调入单位', p.request_unit_name || p.request_unit || ''),
    pair('购置需求', p.request_name ? `${p.request_name}（#${p.request_id}）` : `#${p.request_id}`));
}

function pair(k, v, figure) {
  return h('div', { class: 'proposal-summary-row' }, h('dt', null, k), h('dd', figure ? { dataset: { figure } } : null, v));
}

/**
 * booksBlock shows the figures approving a reassignment books (the proposal's books from the
 * API): the source's original value, accumulated depreciation and net value at the end of
 * last month, what the receiver books and over how many months, and why it is last month's
 * figure. The transfer order carries the same numbers.
 */
export function booksBlock(b) {
  const asOf = fmtDate(b.as_of);
  const fully = Number(b.booked_depreciation) > 0;
  let why;
  if (fully) {
    why = `该资产截至上月末（${asOf}）已提足折旧：调入单位按原值 ${fmtMoney(b.booked_value)} 入账，同时登记累计折旧 ${fmtMoney(b.booked_depreciation)}，不再计提折旧。`;
  } else if (Number(b.life_months) > 0) {
    why = `为什么是上月末的数字：资产在本月调出，按“当月减少当月不提”，调出单位本月起不再计提折旧，账面净值停在上月末（${asOf}）；调入单位按这一净值入账，按“当月增加当月计提”，自本月起在剩余 ${fmtInt(b.life_months)} 个月内按月计提折旧。`;
  } else {
    why = `该类资产不计提折旧：调入单位按原值 ${fmtMoney(b.booked_value)} 入账。`;
  }
  return h('section', { class: 'approve-books', id: 'approve-books' },
    b.disagrees ? booksDifference(b, asOf) : null,
    h('h3', { class: 'approve-books-title' }, '批准后入账（与资产调拨单一致）'),
    h('dl', { class: 'proposal-summary approve-books-figures' },
      pair('原值', fmtMoney(b.original_value), 'original_value'),
      pair(`累计折旧（截至 ${asOf}）`, fmtMoney(b.accumulated_depreciation), 'accumulated_depreciation'),
      pair(`净值（截至 ${asOf}）`, fmtMoney(b.net_value), 'net_value'),
      pair('调入单位入账价值', fmtMoney(b.booked_value), 'booked_value'),
      fully ? pair('同时登记累计折旧', fmtMoney(b.booked_depreciation), 'booked_depreciation') : null,
      pair('剩余使用年限', Number(b.life_months) > 0 ? `${fmtInt(b.life_months)} 个月（自本月起计提折旧）` : '不再计提折旧', 'life_months')),
    h('p', { class: 'dialog-note approve-books-why' }, why));
}

// booksDifference shows, where the source's books differ from the schedule by more than a
// month's charge (账账不符), both figures side by side and the difference.
function booksDifference(b, asOf) {
  const diff = Number(b.difference || 0);
  const amount = fmtMoney(String(b.difference).replace('-', ''));
  const row = (label, book, schedule, key) => h('tr', null, h('th', { scope: 'row' }, label),
    h('td', { class: 'num', dataset: { figure: 'books-' + key } }, fmtMoney(book)),
    h('td', { class: 'num', dataset: { figure: 'schedule-' + key } }, fmtMoney(schedule)));
  return h('div', { class: 'approve-books-check', id: 'approve-books-check' },
    h('h3', { class: 'approve-books-title' }, '账面与按取得日期计算的数不符 ', tag('账账不符', 'warning')),
    h('table', { class: 'table approve-books-compare' },
      h('thead', null, h('tr', null, h('th', null, `截至 ${asOf}`), h('th', { class: 'num' }, '账面（调出单位）'), h('th', { class: 'num' }, '按取得日期计算'))),
      h('tbody', null,
        row('累计折旧', b.accumulated_depreciation, b.schedule_accumulated_depreciation, 'accumulated'),
        row('净值', b.net_value, b.schedule_net_value, 'net'))),
    h('p', { class: 'dialog-note' }, '差额：账面累计折旧比按取得日期计算的', diff > 0 ? '多' : '少', ' ',
      h('strong', { dataset: { figure: 'difference' } }, amount),
      '，超过一个月的折旧额。调拨按调出单位的账面价值入账（以单位财务账为准）；请核对两组数字，必要时先请调出单位做账务调整。'));
}

/** handoverHref is the printable 移交资产清单 of a unit's items waiting to be handed over. */
export function handoverHref(unitCode) {
  return '/api/v1/transfers/handover.html?unit=' + encodeURIComponent(unitCode);
}

/** orderHref is the printable 资产调拨单 of a transfer. */
export function orderHref(transferId) {
  return `/api/v1/transfers/${transferId}/order.html`;
}

/** transferLink opens the transfer order of an approved proposal in a new tab; null before. */
export function transferLink(p, text = '调拨单') {
  if (p.transfer_id == null) return null;
  return h('a', {
    class: 'transfer-link', href: orderHref(p.transfer_id), target: '_blank', rel: 'noopener',
    title: '打开资产调拨单（可打印）', dataset: { action: 'open-order' },
  }, text);
}

/** objectionMark is the source unit's objection as a warning tag with its text; null if none. */
export function objectionMark(p) {
  if (!p.objection) return null;
  const t = tag('来源单位有异议', 'warning');
  t.classList.add('objection-tag');
  t.title = p.objection;
  return h('span', { class: 'objection' }, t, h('span', { class: 'objection-text' }, p.objection));
}

/** endNote is why a proposal ended or what finance said, in one short line; null if nothing. */
export function endNote(p) {
  const bits = [];
  // A full matching run may have reduced a live proposal; its reason says so.
  if (p.reason && (['declined', 'rejected', 'cancelled', 'expired'].includes(p.status) || p.reason.startsWith('全局匹配调整'))) bits.push(['理由', p.reason]);
  if (p.comment) bits.push(['审批意见', p.comment]);
  if (!bits.length) return null;
  return h('span', { class: 'proposal-note' }, bits.map(([k, v]) => h('span', { class: 'proposal-note-line' }, `${k}：${v}`)));
}

/** detailHref is the address of a proposal's own page with its history. */
export function detailHref(p) {
  return '#/matching/proposals/' + p.id;
}

/**
 * actionsCell is the last cell of a proposal row: the buttons offered, the transfer order once
 * there is one, and the way to the proposal's page (unless detail is false).
 */
export function actionsCell(p, { onDone, detail = true } = {}) {
  const buttons = actionButtons(p, { onDone });
  const links = [
    transferLink(p),
    detail ? h('a', { class: 'proposal-detail-link', href: detailHref(p), dataset: { action: 'open-proposal' } }, '详情') : null,
  ].filter(Boolean);
  if (!buttons && !links.length) return h('span', { class: 'muted' }, '—');
  return h('div', { class: 'proposal-actions-cell' }, buttons, links.length ? h('span', { class: 'proposal-links' }, links) : null);
}
