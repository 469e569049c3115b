// pages.js is the list of pages: what the navigation shows, who sees it, and the module that
// draws it. Adding a page is one module in pages/ and one line here.
//
// A page module exports `title` and `render(root, ctx)`: root is the empty content element,
// ctx is {user, params, query, navigate}; params are the path segments after the page's own, e.g.
// ['users'] for #/settings/users, and query the URLSearchParams after a '?' in the hash (page
// state such as filters: #/assets?q=打印). render may be async; the shell shows its errors.

/**
 * pages in navigation order (ux.md: 概况 · 资产台账 · 导入 · … · 设置); roles: who sees the page
 * (clerk, finance, admin); home: the roles that land on it after signing in.
 */
export const pages = [
  { path: 'overview', label: '本单位概况', roles: ['clerk'], home: ['clerk'], load: () => import('./pages/overview.js') },
  { path: 'workbench', label: '审批工作台', roles: ['finance'], home: ['finance'], load: () => import('./pages/workbench.js') },
  { path: 'inbox', label: '待办', roles: ['clerk', 'finance'], load: () => import('./pages/inbox.js') },
  { path: 'assets', label: '资产台账', roles: ['clerk', 'finance', 'admin'], load: () => import('./pages/assets.js') },
  { path: 'imports', label: '导入', roles: ['clerk', 'finance', 'admin'], load: () => import('./pages/imports.js') },
  { path: 'pool', label: '闲置资产库', roles: ['clerk', 'finance', 'admin'], load: () => import('./pages/pool.js') },
  { path: 'requests', label: '购置需求', roles: ['clerk', 'finance', 'admin'], load: () => import('./pages/requests.js') },
  { path: 'matching', label: '调剂', roles: ['clerk', 'finance'], load: () => import('./pages/matching.js') },
  { path: 'transfers', label: '调拨单', roles: ['clerk', 'finance', 'admin'], load: () => import('./pages/transfers.js') },
  { path: 'audit', label: '审计日志', roles: ['finance', 'admin'], load: () => import('./pages/audit.js') },
  { path: 'settings', label: '系统设置', roles: ['admin'], home: ['admin'], load: () => import('./pages/settings.js') },
];

/** pagesFor returns the pages a role may open, in navigation order. */
export function pagesFor(role) {
  return pages.filter((p) => p.roles.includes(role));
}

/** homeFor returns the page a role lands on: its home page, else its first page. */
export function homeFor(role) {
  const own = pagesFor(role);
  return own.find((p) => (p.home || []).includes(role)) || own[0];
}
