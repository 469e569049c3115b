// settings.js is 系统设置, the administrator's page, with one tab per thing they keep:
// #/settings/units, #/settings/users, #/settings/categories, #/settings/standards. A tab is a
// module in settings/.

import { h, append } from '../dom.js';
import { pageHeader } from '../ui.js';

export const title = '系统设置';

const tabs = [
  { path: 'units', label: '单位', load: () => import('./settings/units.js') },
  { path: 'users', label: '用户', load: () => import('./settings/users.js') },
  { path: 'categories', label: '资产分类', load: () => import('./settings/categories.js') },
  { path: 'standards', label: '配置标准', load: () => import('./settings/standards.js') },
];

export async function render(root, ctx) {
  const current = tabs.find((t) => t.path === ctx.params[0]);
  if (!current) {
    location.replace('#/settings/' + tabs[0].path);
    return;
  }
  const body = h('div', { class: 'tab-body' });
  append(root,
    pageHeader('系统设置', '维护单位、用户账号、资产分类和配置标准；这些设置对全区所有单位生效'),
    h('nav', { class: 'tabs', 'aria-label': '设置项' }, tabs.map((t) => h('a', {
      class: ['tab', t === current && 'active'], href: '#/settings/' + t.path,
      'aria-current': t === current ? 'page' : null, dataset: { tab: t.path },
    }, t.label))),
    body);
  const mod = await current.load();
  await mod.render(body, ctx);
}
