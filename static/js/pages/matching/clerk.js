// clerk.js is 调剂 for a unit's clerk: the proposals that involve their unit, in both
// directions — 我单位的需求获得的建议 (idle items offered for the unit's own requests, its own
// idle items first among them) and 我单位被选中的闲置资产 (the unit's idle items other units'
// requests were given). A status filter on top applies to both; it lives in the hash's query.

import { api } from '../../api.js';
import { h, append, replace } from '../../dom.js';
import { pageHeader, panel, button, select, emptyNote, tableFooter, errorBox, FormError } from '../../ui.js';
import { fmtInt } from '../../format.js';
import { withCurrent } from '../../filters.js';
import { proposalStatuses } from '../requests/status.js';
import { proposalTable } from '../requests/proposals.js';

// pageSize is how many proposals one request brings; a unit rarely has more.
const pageSize = 200;
const liveStatuses = 'proposed,accepted,approved,handed_over';

/** showClerk draws a clerk's 调剂 into root. */
export async function showClerk(root, { user, query }) {
  if (!user.unit) {
    throw new FormError('您的账号还没有指定所属单位，请联系系统管理员');
  }
  const own = user.unit.code;
  let status = query.has('status') ? query.get('status') : liveStatuses;
  let rows = [];
  let total = 0;
  let next = null;
  let seq = 0;

  const statusOptions = [{ value: liveStatuses, label: '进行中（待确认至待接收）' }, { value: '', label: '全部状态' }]
    .concat(proposalStatuses.map((s) => ({ value: s.value, label: s.label })));
  const statusSelect = select('status', withCurrent(statusOptions, status), status, {
    'aria-label': '按状态筛选', id: 'proposal-status',
    onchange: (e) => {
      status = e.target.value;
      const hash = '#/matching' + (status === liveStatuses ? '' : '?status=' + encodeURIComponent(status));
      if (location.hash !== hash) history.replaceState(null, '', hash);
      load(false);
    },
  });

  const forUs = h('div', { id: 'proposals-for-us', 'aria-live': 'polite' });
  const fromUs = h('div', { id: 'proposals-from-us', 'aria-live': 'polite' });
  const forUsPanel = panel({ title: '我单位的需求获得的建议', cls: 'panel-flush proposals-for-us' }, forUs);
  const fromUsPanel = panel({ title: '我单位被选中的闲置资产', cls: 'panel-flush proposals-from-us' }, fromUs);
  const pager = h('div');

  async function load(more) {
    const mine = ++seq;
    const qs = new URLSearchParams({ limit: String(pageSize) });
    if (status) qs.set('status', status);
    if (more && next) qs.set('after', next);
    let res;
    try {
      res = await api.get('/proposals?' + qs.toString());
    } catch (err) {
      if (mine !== seq || !root.isConnected) return;
      replace(forUs, h('div', { class: 'list-error' }, errorBox(err)));
      replace(fromUs);
      return;
    }
    if (mine !== seq || !root.isConnected) return;
    rows = more ? rows.concat(res.items || []) : (res.items || []);
    total = res.total || 0;
    next = res.next || null;
    draw();
  }

  function title(p, text, n) {
    replace(p.querySelector('.panel-title'), text, n ? h('span', { class: 'panel-count' }, `${fmtInt(n)} 条`) : null);
  }

  function draw() {
    // A self match is the unit's own idle item for its own request: it belongs with the requests.
    const mineRows = rows.filter((p) => p.request_unit === own);
    const theirRows = rows.filter((p) => p.request_unit !== own && p.source_unit === own);
    const filtered = status !== '' && status !== liveStatuses;
    title(forUsPanel, '我单位的需求获得的建议', mineRows.length);
    title(fromUsPanel, '我单位被选中的闲置资产', theirRows.length);
    replace(forUs, mineRows.length
      ? [proposalTable(mineRows, {
        show: { request: true },
        assetLink: (p) => (p.source_unit === own ? '#/assets/' + p.asset_id : null),
        onDone: () => load(false),
      }), tableFooter(`${fmtInt(mineRows.length)} 条建议，${fmtInt(sum(mineRows))} 件`)]
      : emptyNote(filtered ? '没有这一状态的调剂建议' : '本单位的需求还没有获得调剂建议',
        '提交购置需求后，系统会先在闲置资产库中查找可调剂的资产，找到的建议会列在这里。',
        h('a', { class: 'btn', href: '#/requests', dataset: { action: 'go-requests' } }, '查看购置需求')));
    replace(fromUs, theirRows.length
      ? [proposalTable(theirRows, {
        show: { request: true, source: false },
        requestLink: () => false,
        // Once approved the card belongs to the receiving unit: no link to it from here.
        assetLink: (p) => (p.transfer_id == null ? '#/assets/' + p.asset_id : null),
        onDone: () => load(false),
      }), tableFooter(`${fmtInt(theirRows.length)} 条建议，${fmtInt(sum(theirRows))} 件`)]
      : emptyNote(filtered ? '没有这一状态的调剂建议' : '本单位的闲置资产还没有被其他单位选中',
        '在资产台账中把不用的资产标记为闲置，它就会进入闲置资产库，供其他单位的购置需求调剂。',
        h('a', { class: 'btn', href: '#/assets?status=idle', dataset: { action: 'go-idle' } }, '查看本单位闲置资产')));
    replace(pager, next ? h('div', { class: 'list-pager' },
      h('span', { class: 'muted small' }, `共 ${fmtInt(total)} 条，已显示 ${fmtInt(rows.length)} 条`),
      button('加载更多', () => load(true), { action: 'load-more' })) : null);
  }

  append(root,
    pageHeader('调剂', `${user.unit.name}参与的调剂：本单位的需求获得了哪些闲置资产，本单位的哪些闲置资产被其他单位选中`,
      h('a', { class: 'btn', href: '#/requests', dataset: { action: 'go-requests' } }, '购置需求'),
      h('a', { class: 'btn', href: '#/pool', dataset: { action: 'go-pool' } }, '闲置资产库')),
    h('div', { class: 'match-filters' }, h('label', { class: 'field-label', for: statusSelect.id }, '显示'), statusSelect),
    forUsPanel,
    fromUsPanel,
    pager);
  await load(false);
}

function sum(rows) {
  return rows.reduce((s, p) => s + Number(p.quantity || 0), 0);
}
