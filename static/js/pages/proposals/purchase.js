// purchase.js is finance's decision on buying what reassignment could not supply (购置审批):
// the two buttons 批准购置 / 不批准购置, the dialog that asks for the comment (required when
// the purchase is refused, so that the unit learns why), and the decision as it is shown
// afterwards — who decided, when, for how many, and what they said. A request's page and the
// finance inbox both use it.

import { api } from '../../api.js';
import { h } from '../../dom.js';
import { button, field, openDialog, notify, tag, FormError } from '../../ui.js';
import { fmtInt } from '../../format.js';
import { fmtDateTime } from '../imports/view.js';
import { budget } from '../requests/status.js';
import { announceChange } from './actions.js';

/** canDecidePurchase says whether user may decide on buying for req now. */
export function canDecidePurchase(req, user) {
  return user.role === 'finance' && !req.purchase && (req.outstanding || 0) > 0 &&
    !['draft', 'withdrawn', 'purchase_approved', 'purchase_rejected'].includes(req.status);
}

/** purchaseButtons are 批准购置 and 不批准购置; onDone(updated request) follows a decision. */
export function purchaseButtons(req, { onDone, small = false } = {}) {
  return h('span', { class: 'purchase-actions' },
    button('批准购置', () => decidePurchase(req, 'approve', onDone), { kind: 'primary', small, action: 'purchase-approve' }),
    button('不批准购置', () => decidePurchase(req, 'reject', onDone), { small, action: 'purchase-reject' }));
}

/** decidePurchase asks for the comment and posts finance's decision on req. */
export async function decidePurchase(req, decision, onDone) {
  const approve = decision === 'approve';
  const comment = h('textarea', { class: 'input input-area', name: 'comment', rows: '3', maxlength: '1000',
    placeholder: approve ? '可不填' : '如：请先使用本单位闲置的同类资产' });
  const out = await openDialog({
    title: `${approve ? '批准购置' : '不批准购置'}：${req.name}`,
    name: 'purchase-' + decision,
    submitLabel: approve ? '批准购置' : '不批准购置',
    danger: !approve,
    body: [
      h('p', { class: 'dialog-note' }, approve
        ? `闲置资产库中没有可调剂的资产。批准后，${req.unit_name || '需求单位'}可以购置尚缺的 ${fmtInt(req.outstanding)} 件（预算 ${budget(req.outstanding, req.unit_price)}）。`
        : `不批准购置尚缺的 ${fmtInt(req.outstanding)} 件。需求单位会看到您的意见。`),
      field(approve ? '审批意见' : '不批准的理由', comment, { required: !approve, hint: approve ? '可不填；会记入这项需求和审计日志。' : null }),
    ],
    onSubmit: async () => {
      const text = comment.value.trim();
      if (!approve && !text) throw new FormError('请填写不批准的理由');
      return api.post(`/requests/${req.id}/purchase`, { decision, comment: text });
    },
  });
  if (!out) return undefined;
  notify(approve ? '已批准购置' : '已决定不批准购置');
  announceChange();
  if (onDone) await onDone(out);
  return out;
}

/** purchaseNote shows a decision made: the tag, who, when, how many and the comment. */
export function purchaseNote(purchase) {
  if (!purchase) return null;
  const who = [purchase.by_name, purchase.at ? fmtDateTime(purchase.at) : ''].filter(Boolean).join(' · ');
  return h('div', { class: 'purchase-decision', id: 'purchase-decision' },
    h('p', { class: 'purchase-decision-head' },
      tag(purchase.approved ? '已批准购置' : '未批准购置', purchase.approved ? 'info' : 'danger'),
      purchase.approved && purchase.quantity ? h('span', { class: 'purchase-decision-qty' }, `${fmtInt(purchase.quantity)} 件`) : null,
      who ? h('span', { class: 'muted small purchase-decision-who' }, who) : null),
    purchase.comment ? h('p', { class: 'purchase-decision-comment pre-line' }, purchase.comment) : null);
}
