// overview.js is 本单位概况, a clerk's first page: their unit with the totals of its register,
// or — while the register is empty — an empty state that says so.

import { api } from '../api.js';
import { h, append } from '../dom.js';
import { pageHeader, panel, definitionList, emptyState, emptyNote, stats, FormError } from '../ui.js';
import { fmtInt, fmtMoney, fmtPercent } from '../format.js';

export const title = '本单位概况';

export async function render(root, { user }) {
  if (!user.unit_id) {
    throw new FormError('您的账号还没有指定所属单位，请联系系统管理员');
  }
  const unit = await api.get('/units/' + user.unit_id);

  append(root,
    pageHeader('本单位概况', `${unit.name}（单位代码 ${unit.code}）`),
    h('div', { class: 'grid grid-2-1' },
      panel({ title: '资产概况', cls: 'panel-overview' }, registerTotals(unit.assets)),
      panel({ title: '单位信息' },
        definitionList([
          ['单位名称', unit.name],
          ['单位代码', h('span', { class: 'mono' }, unit.code)],
          ['所在街道/片区', unit.area],
          ['编制人数', unit.staff ? fmtInt(unit.staff) + ' 人' : '未填写'],
        ]),
        h('p', { class: 'muted small' }, '单位信息由系统管理员维护，如有错误请联系其更正。'))),
    panel({ title: '待办事项' },
      emptyNote('暂无待办事项', '调剂确认、移交和接收等事项开放后，需要您处理的事项会列在这里。')));
}

// registerTotals shows the unit's register figures, or the empty state before any import.
function registerTotals(t) {
  if (!t || !t.cards) {
    return emptyState('还没有导入资产台账',
      '下载模板填好后上传，或直接上传本单位现有的资产清查表；导入后这里会显示资产总额、在用与闲置数量，以及需要核实的资产。',
      h('a', { class: 'btn', href: '/api/v1/templates/assets.xlsx', download: true }, '下载模板'),
      h('a', { class: 'btn btn-primary', href: '#/imports', dataset: { action: 'go-import' } }, '上传清查表'));
  }
  return stats([
    ['资产卡片', fmtInt(t.cards) + ' 张', '共 ' + fmtInt(t.quantity) + ' 件'],
    ['原值合计', fmtMoney(t.original_value)],
    ['闲置资产', fmtInt(t.idle_cards) + ' 张', '闲置率 ' + fmtPercent(t.idle_cards, t.cards)],
    ['闲置资产原值', fmtMoney(t.idle_value)],
  ]);
}
