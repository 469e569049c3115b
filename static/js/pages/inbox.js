// inbox.js is 待办 (#/inbox): what waits for the signed-in user, section by section as GET
// /inbox gives it, each item with its actions at hand. A clerk sees the proposals to confirm,
// the unit's idle items other units chose, what to hand over and what to receive, and (to read,
// not counted as waiting) what a full matching run changed of its proposals; finance sees
// the reassignments to approve, the source units' objections and the purchases to decide.
// After any action the whole inbox is read again, and the navigation's counts follow.

import { api } from '../api.js';
import { h, append, replace } from '../dom.js';
import { pageHeader, panel, dataTable, emptyNote, errorBox, tableFooter, loading } from '../ui.js';
import { fmtInt, fmtMoney } from '../format.js';
import { requestTag, budget } from './requests/status.js';
import { proposalTable } from './requests/proposals.js';
import { handoverHref } from './proposals/actions.js';
import { purchaseButtons, canDecidePurchase } from './proposals/purchase.js';

export const title = '待办';

// What each section is for and what an empty one says; the API gives the titles.
const notes = {
  to_accept: ['需求单位确认：这些闲置资产是为本单位的购置需求找到的，请确认接收或谢绝；本单位自己的闲置资产确认再利用后即恢复在用，不需要审批和移交。', '没有待确认的调剂建议', '本单位提交购置需求后，系统找到的可调剂资产会先列在这里，等您确认。'],
  chosen: ['本单位的闲置资产被其他单位的需求选中。确有用途不能调出的，可以提出异议，由财政审批时参考。', '本单位的闲置资产暂未被选中', '被其他单位的购置需求选中的闲置资产会列在这里。'],
  to_hand_over: ['财政已批准调剂。把资产交给需求单位后，请确认移交；可先打印移交资产清单。', '没有待移交的资产', '财政批准调剂后，需要本单位移交的资产会列在这里。'],
  to_receive: ['对方单位已移交。收到资产后请确认接收入账，有搬运等调剂费用的一并填写。', '没有待接收的资产', '对方单位确认移交后，等待本单位接收的资产会列在这里。'],
  adjusted: ['财政运行全局匹配时，为使全区调剂总分最高，调整了下列本单位的调剂建议（近 7 天）：取消或减少数量的原因写在每条建议里，新的建议列在“待确认的调剂建议”中。', '近 7 天没有被调整的调剂建议', '财政运行全局匹配时，被调整的本单位调剂建议会在这里列出 7 天。'],
  to_approve: ['需求单位已确认接收，等待您审批。批准后生成资产调拨单。', '没有待审批的调剂', '需求单位确认接收调剂建议后，会列在这里等您审批。'],
  objections: ['资产所属单位对这些调剂提出了异议，审批前请先阅读。', '没有异议', '资产所属单位对调剂提出异议时，会列在这里。'],
  purchases: ['这些需求在闲置资产库中找不到可调剂的资产。请打开需求，依据调剂查询记录决定是否批准购置。', '没有待决定的购置', '找不到可调剂资产的购置需求会列在这里，等您决定是否批准购置。'],
};

export async function render(root, { user }) {
  const clerk = user.role === 'clerk';
  const host = h('div', { class: 'inbox', id: 'inbox' }, loading());
  append(root,
    pageHeader('待办', clerk
      ? `${user.unit ? user.unit.name : '本单位'}需要处理的调剂事项：确认、异议、移交和接收`
      : '需要您处理的事项：审批调剂、阅读异议、决定购置'),
    host);

  async function load() {
    let res;
    try {
      res = await api.get('/inbox');
    } catch (err) {
      if (err && err.status === 401) throw err;
      if (root.isConnected) replace(host, errorBox(err));
      return;
    }
    if (!root.isConnected) return;
    draw(res);
  }

  function draw(res) {
    const sections = res.sections || [];
    const total = res.total || 0;
    replace(host,
      h('div', { class: ['alert', total ? 'alert-info' : 'alert-success', 'inbox-summary'], role: 'status', id: 'inbox-summary' },
        total ? `共 ${fmtInt(total)} 项待办。` : '暂无待办事项，都处理完了。',
        h('span', { class: 'inbox-jump' }, sections.map((s) => h('a', { href: '#', dataset: { jump: s.key }, onclick: (e) => {
          e.preventDefault();
          const el = document.getElementById('inbox-' + s.key);
          if (el) (el.closest('.panel') || el).scrollIntoView({ block: 'start' });
        } }, s.title, h('span', { class: ['inbox-jump-count', sectionCount(s) ? 'has' : null] }, fmtInt(sectionCount(s))))))),
      sections.map((s) => section(s)));
  }

  function section(s) {
    const [note, emptyTitle, emptyText] = notes[s.key] || ['', '暂无事项', ''];
    const n = sectionCount(s);
    const actions = [];
    if (s.key === 'to_hand_over' && clerk && user.unit && n) {
      actions.push(h('a', { class: 'btn btn-sm', href: handoverHref(user.unit.code), target: '_blank', rel: 'noopener', dataset: { action: 'handover-list' } }, '打印移交资产清单'));
    }
    const body = s.key === 'purchases' ? purchasesBody(s.requests || [], emptyTitle, emptyText) : proposalsBody(s, emptyTitle, emptyText);
    return panel({
      title: [s.title, h('span', { class: 'panel-count' }, `${fmtInt(n)} 项`)],
      cls: ['panel-flush', 'inbox-section', 'inbox-' + s.key].join(' '),
      actions: actions.length ? actions : null,
    }, n && note ? h('p', { class: 'panel-note' }, note) : null, body);
  }

  function proposalsBody(s, emptyTitle, emptyText) {
    const items = s.items || [];
    if (!items.length) return h('div', { id: 'inbox-' + s.key, class: 'inbox-body' }, emptyNote(emptyTitle, emptyText));
    const own = user.unit ? user.unit.code : '';
    const pieces = items.reduce((sum, p) => sum + Number(p.quantity || 0), 0);
    return h('div', { id: 'inbox-' + s.key, class: 'inbox-body' },
      proposalTable(items, {
        show: { request: true, source: !(clerk && (s.key === 'chosen' || s.key === 'to_hand_over')), hold: s.key === 'to_accept' || s.key === 'to_approve' },
        requestLink: (p) => !clerk || p.request_unit === own,
        assetLink: (p) => (clerk && p.source_unit === own && p.transfer_id == null ? '#/assets/' + p.asset_id : null),
        onDone: load,
      }),
      tableFooter(`${fmtInt(items.length)} 条`, `${fmtInt(pieces)} 件`));
  }

  function purchasesBody(rows, emptyTitle, emptyText) {
    if (!rows.length) return h('div', { id: 'inbox-purchases', class: 'inbox-body' }, emptyNote(emptyTitle, emptyText));
    return h('div', { id: 'inbox-purchases', class: 'inbox-body' },
      dataTable({
        cls: 'request-table inbox-purchase-table',
        columns: [
          { label: '编号', value: (r) => h('span', { class: 'mono' }, `#${r.id}`), cls: 'col-no' },
          { label: '单位', value: (r) => h('span', { class: 'nowrap', title: r.unit }, r.unit_name) },
          {
            label: '品目',
            value: (r) => h('div', { class: 'request-name-cell' },
              h('a', { href: '#/requests/' + r.id, class: 'request-link', dataset: { action: 'open-request' } }, r.name),
              h('span', { class: 'cell-sub', title: r.category_code }, r.category_name || r.category_code)),
          },
          { label: '需求数量', value: (r) => fmtInt(r.quantity), num: true },
          { label: '尚缺', value: (r) => h('span', { class: 'num-short' }, fmtInt(r.outstanding || 0)), num: true },
          { label: '预算单价', value: (r) => fmtMoney(r.unit_price), num: true },
          { label: '尚缺部分预算', value: (r) => budget(r.outstanding || 0, r.unit_price), num: true },
          { label: '状态', value: requestTag },
          {
            label: '操作',
            cls: 'col-actions',
            value: (r) => h('div', { class: 'proposal-actions-cell' },
              h('a', { class: 'btn btn-sm', href: '#/requests/' + r.id, dataset: { action: 'read-record' } }, '查看调剂查询记录'),
              canDecidePurchase(r, user) ? purchaseButtons(r, { onDone: load, small: true }) : null),
          },
        ],
        rows,
        rowKey: (r) => r.id,
      }),
      tableFooter(`${fmtInt(rows.length)} 项需求`));
  }

  await load();
}

// sectionCount is a section's count as the API gives it, else its length.
function sectionCount(s) {
  if (s.count != null) return Number(s.count);
  return (s.items || s.requests || []).length;
}
