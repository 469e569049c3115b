// workbench.js is 审批工作台, the finance approver's first page: what waits for approval (from
// 待办) and the units of the district.

import { api } from '../api.js';
import { h, append, replace } from '../dom.js';
import { pageHeader, panel, dataTable, toolbar, searchBox, select, tableFooter } from '../ui.js';
import { inboxSummary } from './inbox-summary.js';
import { fmtInt, fmtMoney, fmtPercent } from '../format.js';

export const title = '审批工作台';

export async function render(root) {
  const { items: units } = await api.get('/units');
  const byId = new Map(units.map((u) => [u.id, u]));
  const areas = [...new Set(units.map((u) => u.area).filter(Boolean))].sort((a, b) => a.localeCompare(b, 'zh-CN'));

  let text = '';
  let area = '';
  const list = h('div');
  function draw() {
    const rows = units.filter((u) => (!area || u.area === area) &&
      (!text || u.name.includes(text) || u.code.toLowerCase().includes(text.toLowerCase())));
    const staff = rows.reduce((s, u) => s + (u.staff || 0), 0);
    const cards = rows.reduce((s, u) => s + u.assets.cards, 0);
    const idle = rows.reduce((s, u) => s + u.assets.idle_cards, 0);
    replace(list,
      dataTable({
        columns: [
          { label: '单位代码', value: (u) => h('span', { class: 'mono' }, u.code), width: 'code' },
          { label: '单位名称', value: (u) => u.name },
          { label: '主管部门', value: (u) => (u.parent_id && byId.get(u.parent_id) ? byId.get(u.parent_id).name : '—') },
          { label: '所在街道/片区', value: (u) => u.area || '—' },
          { label: '编制人数', value: (u) => fmtInt(u.staff), num: true },
          { label: '资产卡片', value: (u) => fmtInt(u.assets.cards), num: true },
          { label: '原值合计', value: (u) => fmtMoney(u.assets.original_value), num: true },
          { label: '闲置卡片', value: (u) => fmtInt(u.assets.idle_cards), num: true },
          { label: '闲置率', value: (u) => fmtPercent(u.assets.idle_cards, u.assets.cards), num: true },
        ],
        rows,
        rowKey: (u) => u.id,
        empty: units.length ? '没有符合条件的单位' : '还没有登记任何单位，请联系系统管理员在“系统设置”中添加',
      }),
      tableFooter(`共 ${fmtInt(rows.length)} 个单位`,
        rows.length ? `编制人数合计 ${fmtInt(staff)} 人` : null,
        rows.length ? `资产卡片 ${fmtInt(cards)} 张，其中闲置 ${fmtInt(idle)} 张（${fmtPercent(idle, cards)}）` : null));
  }
  draw();
  const inbox = inboxSummary('待审批事项', '暂无待审批事项');
  inbox.load();

  append(root,
    pageHeader('审批工作台', '调剂和购置事项的审批，以及辖区各单位的基本情况'),
    inbox.el,
    panel({ title: '辖区单位', cls: 'panel-flush' },
      toolbar([
        searchBox('按单位名称或代码查找', (v) => { text = v; draw(); }),
        areas.length > 1 ? select('area', [{ value: '', label: '全部街道/片区' }, ...areas.map((a) => ({ value: a, label: a }))], '', {
          'aria-label': '按街道/片区筛选', onchange: (e) => { area = e.target.value; draw(); },
        }) : null,
      ], null),
      list));
}
