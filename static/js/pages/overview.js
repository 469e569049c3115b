// overview.js is 本单位概况, a clerk's first page: their unit's register in figures (cards,
// value, idle rate and idle value), the cards worth checking (值得核实: registered in use but
// likely idle, confirmed or dismissed right here), the latest imports, and the way on to the
// register and the idle pool. While the register is empty an empty state says what to do.

import { api } from '../api.js';
import { h, append, replace } from '../dom.js';
import {
  pageHeader, panel, definitionList, emptyState, emptyNote, stats, button, dataTable, tableFooter, errorBox, notify,
  messageOf, FormError,
} from '../ui.js';
import { fmtInt, fmtMoney, fmtPercent } from '../format.js';
import { statusTag, fmtDateTime } from './imports/view.js';
import { inboxSummary } from './inbox-summary.js';

export const title = '本单位概况';

// checksShown is how many cards worth checking the page lists at first; 查看全部 lists them all.
const checksShown = 10;
const checksAll = 500;
// importsShown is how many of the latest imports the page lists.
const importsShown = 5;

export async function render(root, { user }) {
  if (!user.unit_id) {
    throw new FormError('您的账号还没有指定所属单位，请联系系统管理员');
  }
  let unit = await api.get('/units/' + user.unit_id);

  const totalsHost = h('div', { class: 'overview-totals' });
  function drawTotals() {
    replace(totalsHost, registerTotals(unit.assets));
  }
  drawTotals();

  // refreshTotals reads the unit's figures again after a confirmed card became idle.
  async function refreshTotals() {
    try {
      unit = await api.get('/units/' + user.unit_id);
      if (root.isConnected) drawTotals();
    } catch {
      // The figures stay as they were until the next visit.
    }
  }

  const checks = worthChecking(unit, refreshTotals);
  const imports = recentImports(unit);
  const inbox = inboxSummary('待办事项');

  append(root,
    pageHeader('本单位概况', `${unit.name}（单位代码 ${unit.code}）`,
      h('a', { class: 'btn', href: '#/assets', dataset: { action: 'go-register' } }, '资产台账'),
      h('a', { class: 'btn', href: '#/pool', dataset: { action: 'go-pool' } }, '闲置资产库')),
    h('div', { class: 'grid grid-2-1' },
      panel({ title: '资产概况', cls: 'panel-overview' }, totalsHost),
      panel({ title: '单位信息' },
        definitionList([
          ['单位名称', unit.name],
          ['单位代码', h('span', { class: 'mono' }, unit.code)],
          ['所在街道/片区', unit.area],
          ['编制人数', unit.staff ? fmtInt(unit.staff) + ' 人' : '未填写'],
        ]),
        h('p', { class: 'muted small' }, '单位信息由系统管理员维护，如有错误请联系其更正。'))),
    checks.el,
    h('div', { class: 'grid grid-2-1' },
      imports.el,
      inbox.el));
  await Promise.all([checks.load(), imports.load(), inbox.load()]);
}

// registerTotals shows the unit's register figures, or the empty state before any import.
function registerTotals(t) {
  if (!t || !t.cards) {
    return emptyState('还没有导入资产台账',
      '下载模板填好后上传，或直接上传本单位现有的资产清查表；导入后这里会显示资产总额、在用与闲置数量，以及需要核实的资产。',
      h('a', { class: 'btn', href: '/api/v1/templates/assets.xlsx', download: true }, '下载模板'),
      h('a', { class: 'btn btn-primary', href: '#/imports', dataset: { action: 'go-import' } }, '上传清查表'));
  }
  const idleValueShare = Number(t.original_value) > 0 ? fmtPercent(Number(t.idle_value), Number(t.original_value)) : '—';
  return [
    stats([
      ['资产卡片', fmtInt(t.cards) + ' 张', '共 ' + fmtInt(t.quantity) + ' 件'],
      ['原值合计', fmtMoney(t.original_value)],
      ['闲置率', fmtPercent(t.idle_cards, t.cards), `闲置 ${fmtInt(t.idle_cards)} 张，${fmtInt(t.idle_quantity)} 件`],
      ['闲置资产原值', fmtMoney(t.idle_value), `占原值合计 ${idleValueShare}`],
    ]),
    h('p', { class: 'overview-links' },
      h('a', { href: '#/assets?status=idle', dataset: { action: 'go-idle' } }, t.idle_cards ? `查看本单位 ${fmtInt(t.idle_cards)} 张闲置资产卡片` : '在资产台账中标记闲置资产'),
      h('a', { href: '#/pool', dataset: { action: 'go-pool-own' } }, '到闲置资产库查找其他单位的闲置资产')),
  ];
}

// worthChecking is the panel of cards registered in use that are likely idle. Each row is
// confirmed (the card is marked idle) or dismissed (it stays in use); either way it leaves the
// list and is not proposed again. onIdle runs after a confirmation changed the unit's figures.
function worthChecking(unit, onIdle) {
  const body = h('div', { id: 'checks' });
  const el = panel({ title: '值得核实', cls: 'panel-flush overview-checks' },
    h('p', { class: 'panel-text overview-checks-intro' },
      '以下资产登记为“在用”，但从台账上看可能已经闲置。请逐项核实：确认闲置后会标记为闲置并进入闲置资产库；不是闲置的，以后不再提示。'),
    body);
  let items = [];
  let total = 0;
  let limit = checksShown;

  async function load() {
    let res;
    try {
      res = await api.get(`/checks?unit=${encodeURIComponent(unit.code)}&limit=${limit}`);
    } catch (err) {
      if (err && err.status === 404 && /接口不存在/.test(err.message || '')) {
        // A server without the checks yet: the panel says so instead of failing the page.
        replace(body, emptyNote('核实功能暂未开放', '系统升级后，这里会列出登记为在用、但可能已经闲置的资产。'));
        return;
      }
      replace(body, h('div', { class: 'panel-body' }, errorBox(err)));
      return;
    }
    items = res.items || [];
    total = res.total != null ? res.total : items.length;
    draw();
  }

  function draw() {
    if (!items.length) {
      replace(body, total
        ? emptyNote('本页已全部核实', `还有 ${fmtInt(total)} 项待核实。`, button('继续核实', load, { kind: 'primary', action: 'more-checks' }))
        : emptyNote('暂无值得核实的资产', unit.assets && unit.assets.cards
          ? '台账中登记为在用的资产都有使用人和存放地点，也没有超过最低使用年限的。'
          : '导入资产台账后，登记为在用但可能已经闲置的资产会列在这里。'));
      return;
    }
    const table = dataTable({
      cls: 'checks-table',
      rowKey: (c) => c.asset_id,
      rows: items,
      columns: [
        { label: '资产编号', value: (c) => h('a', { href: '#/assets/' + c.asset_id, class: 'mono nowrap' }, c.asset_no) },
        { label: '资产名称', value: (c) => h('a', { href: '#/assets/' + c.asset_id }, c.name) },
        { label: '资产分类', value: (c) => c.category_name || c.category_code || '' },
        { label: '使用部门', value: (c) => c.department || h('span', { class: 'muted' }, '—') },
        { label: '使用人', value: (c) => c.custodian || h('span', { class: 'muted' }, '未登记') },
        { label: '存放地点', value: (c) => c.location || h('span', { class: 'muted' }, '—') },
        { label: '取得日期', value: (c) => h('span', { class: 'nowrap' }, c.acquired_on || '') },
        { label: '核实原因', value: (c) => h('ul', { class: 'check-reasons' }, (c.reasons || []).map((r) => h('li', { dataset: { reason: r.code } }, r.label))) },
        {
          label: '核实结果', cls: 'actions',
          value: (c) => [
            button('确认闲置', () => decide(c, 'confirm'), { small: true, action: 'check-confirm' }),
            button('不是闲置', () => decide(c, 'dismiss'), { small: true, action: 'check-dismiss' }),
          ],
        },
      ],
    });
    replace(body, table,
      tableFooter(total > items.length ? `共 ${fmtInt(total)} 项待核实，显示前 ${fmtInt(items.length)} 项` : `共 ${fmtInt(total)} 项待核实`,
        total > items.length && limit < checksAll
          ? button(`查看全部 ${fmtInt(total)} 项`, () => { limit = checksAll; load(); }, { kind: 'link', action: 'all-checks' })
          : null));
  }

  async function decide(c, decision) {
    const row = body.querySelector(`tr[data-key="${c.asset_id}"]`);
    const buttons = row ? [...row.querySelectorAll('button')] : [];
    for (const b of buttons) b.disabled = true;
    try {
      await api.post('/checks/' + c.asset_id, { decision });
    } catch (err) {
      for (const b of buttons) b.disabled = false;
      notify(messageOf(err), 'error');
      return;
    }
    items = items.filter((x) => x.asset_id !== c.asset_id);
    total = Math.max(0, total - 1);
    draw();
    if (decision === 'confirm') {
      notify(`已确认“${c.name}”闲置，已标记为闲置`);
      onIdle();
    } else {
      notify(`已记录“${c.name}”仍在使用，不再提示`);
    }
  }

  return { el, load };
}

// recentImports is the panel of the unit's latest uploads, each opening on the 导入 page.
function recentImports(unit) {
  const body = h('div', { id: 'recent-imports' });
  const el = panel({
    title: '最近导入', cls: 'panel-flush overview-imports',
    actions: h('a', { href: '#/imports', class: 'panel-link', dataset: { action: 'all-imports' } }, '上传清查表 / 全部记录'),
  }, body);

  async function load() {
    let items;
    try {
      items = (await api.get('/imports?unit=' + encodeURIComponent(unit.code))).items || [];
    } catch (err) {
      replace(body, h('div', { class: 'panel-body' }, errorBox(err)));
      return;
    }
    if (!items.length) {
      replace(body, emptyNote('还没有导入记录', '上传本单位的资产清查表后，导入记录会列在这里。',
        h('a', { class: 'btn', href: '#/imports' }, '去导入')));
      return;
    }
    const shown = items.slice(0, importsShown);
    const num = (key) => (i) => (i.summary ? fmtInt(i.summary[key]) : '');
    replace(body,
      dataTable({
        cls: 'recent-imports',
        rowKey: (i) => i.id,
        rows: shown,
        columns: [
          { label: '上传时间', value: (i) => h('span', { class: 'nowrap' }, fmtDateTime(i.created_at)) },
          { label: '文件', value: (i) => h('a', { href: '#/imports/' + i.id, class: 'import-file-link' }, i.file_name) },
          { label: '状态', value: (i) => statusTag(i.status) },
          { label: '行数', value: num('rows'), num: true },
          { label: '新增', value: num('new'), num: true },
          { label: '变更', value: num('changed'), num: true },
          { label: '错误', value: num('errors'), num: true },
        ],
      }),
      items.length > shown.length ? tableFooter(`共 ${fmtInt(items.length)} 次上传，显示最近 ${fmtInt(shown.length)} 次`) : null);
  }

  return { el, load };
}
