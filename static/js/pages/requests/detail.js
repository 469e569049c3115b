// detail.js draws one purchase request (#/requests/{id}): its status and what comes next, the
// figures of its progress (proposed, delivered, still lacking), what was asked for, the
// configuration standards check, the proposals matching found with their scores and reasons,
// and — while something is still lacking — the 调剂查询记录: what the pool held, what was
// considered and why each candidate was not taken. Its clerk edits, submits or withdraws it.

import { api } from '../../api.js';
import { h, append, replace } from '../../dom.js';
import {
  pageHeader, panel, button, tag, definitionList, emptyNote, errorBox, notify, messageOf, confirmAction, stats,
  dataTable,
} from '../../ui.js';
import { fmtInt, fmtMoney } from '../../format.js';
import { fmtDateTime } from '../imports/view.js';
import { loadCategories } from '../assets/common.js';
import { requestTag, conditionWord, budget, fmtScore } from './status.js';
import { proposalTable } from './proposals.js';
import { openRequestDialog } from './form.js';
import { submittedNote } from './list.js';
import { canDecidePurchase, purchaseButtons, purchaseNote } from '../proposals/purchase.js';

/** showRequest draws request id into root. */
export async function showRequest(root, { user }, id) {
  const back = h('a', { class: 'btn', href: '#/requests', dataset: { action: 'back' } }, '← 返回购置需求');
  let req;
  let proposals;
  try {
    [req, proposals] = await Promise.all([
      api.get('/requests/' + id),
      api.get('/requests/' + id + '/proposals').then((r) => r.items || []),
    ]);
  } catch (err) {
    if (err && err.status === 401) throw err;
    append(root, pageHeader('购置需求', null, back), panel({}, errorBox(err),
      err && err.status === 404 ? h('p', { class: 'panel-text' }, '这项购置需求不存在，或不属于您可以查看的单位。请回到购置需求列表重新查找。') : null));
    return;
  }
  let replaced = await replacedCards(req.replaces);
  const host = h('div', { class: 'request-detail', id: 'request-detail', dataset: { request: String(req.id) } });
  append(root, host);
  draw();

  async function refresh() {
    try {
      [req, proposals] = await Promise.all([
        api.get('/requests/' + id),
        api.get('/requests/' + id + '/proposals').then((r) => r.items || []),
      ]);
      replaced = await replacedCards(req.replaces);
    } catch (err) {
      notify(messageOf(err), 'error');
    }
    if (root.isConnected) draw();
  }

  function draw() {
    const actions = [back];
    if (user.role === 'finance') {
      actions.push(h('a', { class: 'btn', href: '#/matching?request=' + req.id, dataset: { action: 'go-matching' } }, '在调剂中查看'));
    }
    if (req.can_edit) actions.push(button('编辑', edit, { action: 'edit-request' }));
    if (req.can_withdraw) actions.push(button('撤回', withdraw, { action: 'withdraw-request' }));
    if (req.can_submit) actions.push(button('提交', submit, { kind: 'primary', action: 'submit-request' }));

    replace(host,
      pageHeader(
        [h('span', { class: 'request-title' }, req.name), h('span', { class: 'card-tags', id: 'request-status' }, requestTag(req))],
        [`#${req.id}`, `${req.unit_name}（${req.unit}）`, req.category_name ? `${req.category_name}（${req.category_code}）` : req.category_code].join(' · '),
        ...actions),
      nextStep(),
      panel({ cls: 'request-progress' }, stats([
        ['需求数量', `${fmtInt(req.quantity)} 件`, `预算 ${budget(req.quantity, req.unit_price)}`],
        ['调剂建议', `${fmtInt(req.proposed_quantity || 0)} 件`, '已为这项需求保留的闲置资产'],
        ['已调剂到位', `${fmtInt(req.fulfilled_quantity || 0)} 件`, '已接收的调剂资产'],
        ['尚缺', `${fmtInt(req.outstanding || 0)} 件`, req.outstanding > 0 ? '没有可调剂的资产，需要购置' : '全部数量已有着落'],
      ])),
      h('div', { class: 'grid grid-card' },
        panel({ title: '需求内容', cls: 'request-info' }, h('div', { class: 'deflist-2' }, definitionList([
          ['品目名称', req.name],
          ['资产分类', req.category_name ? `${req.category_name}（${req.category_code}）` : req.category_code],
          ['数量', `${fmtInt(req.quantity)} 件`],
          ['预算单价', fmtMoney(req.unit_price)],
          ['预算金额', budget(req.quantity, req.unit_price)],
          ['需用日期', req.needed_by],
          ['最低可接受成色', conditionWord(req.min_condition, req.min_condition_label)],
          ['所属单位', `${req.unit_name}（${req.unit}）${req.unit_area ? ' · ' + req.unit_area : ''}`],
          ['创建时间', fmtDateTime(req.created_at)],
          ['提交时间', req.submitted_at ? fmtDateTime(req.submitted_at) : '未提交'],
        ])), h('div', { class: 'request-texts' }, definitionList([
          ['配置要求', req.requirements ? h('span', { class: 'pre-line' }, req.requirements) : ''],
          ['购置理由', req.reason ? h('span', { class: 'pre-line' }, req.reason) : ''],
          ['拟替换的资产', replacedList()],
        ]))),
        panel({ title: '配置标准核对', cls: 'request-standards' }, standardsBody())),
      panel({ title: `调剂建议${proposals.length ? `（${fmtInt(proposals.length)} 条）` : ''}`, cls: 'panel-flush request-proposals' },
        proposals.length ? h('p', { class: 'panel-note' },
          '按匹配度从高到低列出为这项需求保留的闲置资产。匹配理由说明为什么推荐，“得分构成”列出每一项得分。') : null,
        h('div', { id: 'request-proposals' }, proposalTable(proposals, {
          openReasons: proposals.length <= 3,
          assetLink: (p) => (user.role === 'clerk' && p.source_unit_id === p.request_unit_id ? '#/assets/' + p.asset_id : null),
          empty: proposalsEmpty(),
          onDone: refresh,
          detail: user.role !== 'admin',
        }))),
      purchasePanel(),
      noMatchPanel());
  }

  // nextStep says in one line where the request stands and what comes next.
  function nextStep() {
    const out = req.outstanding || 0;
    const texts = {
      draft: req.can_submit ? '这是草稿，其他人还看不到。核对无误后点击“提交”：系统会先在闲置资产库中查找可调剂的资产，并对照配置标准核对。' : '这是草稿，提交后才会进入调剂。',
      submitted: out > 0 ? '已提交。闲置资产库中暂时没有合适的资产：有新的闲置资产时会再次匹配；下方的调剂查询记录可作为购置审批的依据。' : '已提交，等待调剂匹配。',
      partly_matched: `已为部分数量找到可调剂的资产，尚缺 ${fmtInt(out)} 件。请核对下方的调剂建议；尚缺的部分可作为购置审批的依据。`,
      matched: '已为全部数量找到可调剂的资产。请核对下方的调剂建议，调剂建议经确认、财政审批后移交。',
      fulfilled: '已通过调剂全部满足，无需购置。',
      purchase_approved: '财政已批准购置尚缺的部分。',
      purchase_rejected: '财政未批准购置。',
      withdrawn: '这项需求已撤回，不再参与调剂。',
    };
    const tone = { partly_matched: 'warning', matched: 'success', fulfilled: 'success', purchase_rejected: 'warning' }[req.status] || 'info';
    const text = texts[req.status];
    return text ? h('div', { class: ['alert', 'alert-' + tone, 'request-next'], role: 'status' }, text) : null;
  }

  function replacedList() {
    if (!replaced.length) return '';
    return h('ul', { class: 'replaced-list' }, replaced.map((c) => h('li', null,
      c.asset_no
        ? [h('a', { href: '#/assets/' + c.id, class: 'mono' }, c.asset_no), ' ', c.name, c.acquired_on ? h('span', { class: 'cell-sub-inline' }, `取得于 ${c.acquired_on}`) : null]
        : h('span', { class: 'muted' }, `资产 #${c.id}`))));
  }

  function standardsBody() {
    const s = req.standards;
    if (!s) {
      return h('p', { class: 'panel-text' }, req.status === 'draft'
        ? '提交时会自动对照配置标准核对单价和数量（含本单位现有同类资产），结果显示在这里，供财政审批参考。'
        : '这项需求没有配置标准核对记录。');
    }
    const findings = s.findings || [];
    const std = s.standard;
    return h('div', { class: 'standards', id: 'request-standards' },
      s.ok
        ? h('p', { class: 'standards-ok' }, tag('符合配置标准', 'success'))
        : findings.length ? null : h('p', null, tag('未核对', 'neutral')),
      findings.length ? h('ul', { class: 'findings' }, findings.map((f) => h('li', { class: 'finding', dataset: { code: f.code || '' } },
        tag(findingLabels[f.code] || '需注意', f.code === 'no_standard' || f.code === 'no_staff' ? 'neutral' : 'warning'),
        h('span', { class: 'finding-text' }, f.message)))) : null,
      h('p', { class: 'muted small' },
        std ? `依据：${[std.jurisdiction, std.item_name].filter(Boolean).join(' · ')}${std.version ? `（第 ${std.version} 版）` : ''}；` : '',
        s.checked_at ? `核对于 ${fmtDateTime(s.checked_at)}` : ''),
      h('p', { class: 'muted small' }, '核对结果供参考，不影响提交；超出标准的部分由财政审批时决定。'));
  }

  function proposalsEmpty() {
    if (req.status === 'draft') return '提交需求后，系统会在闲置资产库中查找可调剂的资产，找到的会列在这里。';
    if (req.status === 'withdrawn') return '需求已撤回，没有调剂建议。';
    return '暂无调剂建议：闲置资产库中还没有符合这项需求的资产。有单位登记新的闲置资产后会再次匹配。';
  }

  // purchasePanel is finance's decision on buying what is still lacking: the buttons while
  // the 调剂查询记录 stands and nothing is decided, the decision (who, when, what) after.
  function purchasePanel() {
    if (req.purchase) {
      return panel({ title: '购置审批', cls: 'request-purchase' }, purchaseNote(req.purchase));
    }
    if (!canDecidePurchase(req, user) || !req.no_match) return null;
    return panel({ title: '购置审批', cls: 'request-purchase' },
      h('div', { class: 'purchase-ask', id: 'purchase-ask' },
        h('p', { class: 'panel-text' },
          `尚缺 ${fmtInt(req.outstanding)} 件，闲置资产库中没有可调剂的资产。请依据下方的调剂查询记录决定是否批准购置。`),
        purchaseButtons(req, { onDone: refresh })));
  }

  // noMatchPanel is the 调剂查询记录, shown while part of the request finds nothing to reuse.
  function noMatchPanel() {
    if (!(req.outstanding > 0) || req.status === 'draft' || req.status === 'withdrawn') return null;
    const nm = req.no_match;
    const title = '调剂查询记录';
    if (!nm) {
      return panel({ title, cls: 'request-nomatch' },
        emptyNote('还没有调剂查询记录', '匹配运行后，这里会记录查找了哪些闲置资产、每件候选资产为什么没有采用，作为购置审批的依据。'));
    }
    const candidates = nm.candidates || [];
    return panel({ title, cls: 'panel-flush request-nomatch', actions: h('span', { class: 'muted small' }, `查询于 ${fmtDateTime(nm.created_at)}`) },
      h('div', { class: 'nomatch-head', id: 'request-nomatch' },
        nm.summary ? h('p', { class: 'nomatch-summary' }, nm.summary) : null,
        h('dl', { class: 'nomatch-figures' },
          figure('闲置资产库', `${fmtInt(nm.pool_items || 0)} 项，${fmtInt(nm.pool_quantity || 0)} 件`),
          figure('本需求尚需', `${fmtInt(nm.wanted || 0)} 件`),
          figure('已提出建议', `${fmtInt(nm.proposed || 0)} 件`),
          figure('考察的候选资产', `${fmtInt(nm.considered || 0)} 项`))),
      dataTable({
        cls: 'nomatch-table',
        columns: [
          { label: '候选资产', value: (c) => h('div', null, h('span', null, c.name), h('span', { class: 'cell-sub mono' }, c.asset_no || '')) },
          { label: '所属单位', value: (c) => c.unit_name },
          { label: '数量', value: (c) => fmtInt(c.quantity), num: true },
          { label: '匹配度', value: (c) => (c.score == null || (c.outcome === 'rejected' && !c.score) ? '—' : fmtScore(c.score)), num: true },
          { label: '结果', value: (c) => outcomeTag(c.outcome) },
          { label: '原因', value: (c) => c.reason || '' },
        ],
        rows: candidates,
        rowKey: (c) => c.asset_id,
        empty: '闲置资产库中没有这一分类或相近分类的资产，没有可考察的候选资产。',
      }));
  }

  function figure(label, value) {
    return h('div', { class: 'nomatch-figure' }, h('dt', null, label), h('dd', null, value));
  }

  // --- the clerk's actions ---
  async function edit() {
    let cats;
    try {
      cats = await loadCategories();
    } catch (err) {
      notify(messageOf(err), 'error');
      return;
    }
    const saved = await openRequestDialog({ cats, unitCode: req.unit, req });
    if (saved) notify('已保存修改');
    await refresh();
  }

  async function submit() {
    for (const b of host.querySelectorAll('.page-actions button')) b.disabled = true;
    try {
      const out = await api.post('/requests/' + req.id + '/submit');
      notify(submittedNote(out));
    } catch (err) {
      notify(messageOf(err), 'error');
    }
    await refresh();
  }

  async function withdraw() {
    const done = await confirmAction({
      title: '撤回购置需求',
      message: `撤回“${req.name}”后，这项需求不再参与调剂匹配，为它保留的闲置资产将释放回闲置资产库。撤回后不能恢复，需要时请重新填报。确定撤回吗？`,
      confirmLabel: '撤回',
      onConfirm: () => api.post('/requests/' + req.id + '/withdraw'),
    });
    if (!done) return;
    notify('购置需求已撤回');
    await refresh();
  }
}

// outcomeTag says what became of a candidate the search considered.
function outcomeTag(outcome) {
  const o = { proposed: ['已提出建议', 'success'], taken: ['已分给其他需求', 'neutral'], rejected: ['不符合要求', 'warning'] }[outcome];
  return o ? tag(o[0], o[1]) : tag(outcome || '—', 'neutral');
}

// findingLabels name a standards finding in a tag; its message says the rest.
const findingLabels = {
  price_over_cap: '单价超标',
  quantity_over_cap: '数量超标',
  replaces_young: '替换资产未到年限',
  no_staff: '缺少编制人数',
  no_standard: '无适用标准',
};

// replacedCards reads the cards a request replaces, for their numbers and names; a card that
// cannot be read is shown by its id.
async function replacedCards(ids) {
  if (!ids || !ids.length) return [];
  const cards = await Promise.all(ids.map((cid) => api.get('/assets/' + cid).catch(() => ({ id: cid }))));
  return cards;
}
