// shell.js is the signed-in layout: header with the user and account actions, navigation by
// role, and the content area where the current page draws itself. Routing is by hash:
// #/settings/users opens the page "settings" with params ['users']; #/assets?q=打印 opens "assets"
// with query q=打印 (a URLSearchParams).

import { api, setCsrfToken } from './api.js';
import { h, replace } from './dom.js';
import { homeFor, pagesFor } from './pages.js';
import { productName } from './login.js';
import { field, input, openDialog, errorBox, loading, button, FormError } from './ui.js';
import { roleLabels } from './format.js';
import { watchInbox } from './pages/proposals/counts.js';

/**
 * startShell draws the layout for user into root and follows the hash from then on.
 * onSignedOut({text, tone}) is called after 退出 or a password change; the shell is gone then.
 * It returns a stop function that detaches the shell's listeners.
 */
export function startShell(root, user, { onSignedOut }) {
  const pages = pagesFor(user.role);
  const home = homeFor(user.role);
  const unitName = user.unit ? user.unit.name : '';
  const shownName = user.display_name || user.username;
  const roleLabel = user.role_label || roleLabels[user.role] || user.role;
  const content = h('main', { class: 'content', id: 'page', tabindex: '-1' });
  const navLinks = new Map();
  const nav = h('nav', { class: 'sidenav', id: 'sidenav', 'aria-label': '主导航', onclick: (e) => { if (e.target.closest('a')) setMenu(false); } },
    // On a phone the header has no room for who is signed in; the open menu shows it.
    h('p', { class: 'nav-account' }, [shownName, roleLabel !== shownName ? roleLabel : null, unitName || null].filter(Boolean).join(' · ')),
    h('ul', { class: 'nav-list' }, pages.map((p) => {
      const a = h('a', { class: 'nav-link', href: '#/' + p.path, dataset: { page: p.path } }, p.label);
      navLinks.set(p.path, a);
      return h('li', null, a);
    })));
  const menuToggle = h('button', {
    type: 'button', class: 'menu-toggle', 'aria-controls': 'sidenav', 'aria-expanded': 'false', 'aria-label': '打开导航菜单',
    onclick: () => setMenu(!root.classList.contains('menu-open')),
  }, h('span', { class: 'menu-bars', 'aria-hidden': 'true' }), h('span', { class: 'menu-text' }, '菜单'));
  function setMenu(open) {
    root.classList.toggle('menu-open', open);
    menuToggle.setAttribute('aria-expanded', String(open));
  }

  // The counts of what waits for the user, on 待办 and 调剂: read again on each navigation.
  const inbox = watchInbox(user, navLinks);
  let stopped = false;
  function stop() {
    stopped = true;
    inbox.stop();
    window.removeEventListener('hashchange', route);
    root.classList.remove('menu-open');
  }
  async function signOut() {
    try {
      await api.post('/logout');
    } catch {
      // The session may be gone already; signing out locally is what matters.
    }
    setCsrfToken('');
    stop();
    onSignedOut({ text: '您已安全退出。', tone: 'info' });
  }
  function changePassword() {
    const oldPw = input('old_password', { type: 'password', autocomplete: 'current-password' });
    const newPw = input('new_password', { type: 'password', autocomplete: 'new-password' });
    const again = input('new_password_again', { type: 'password', autocomplete: 'new-password' });
    openDialog({
      title: '修改密码', name: 'password', submitLabel: '修改密码',
      body: [
        field('原密码', oldPw, { required: true }),
        field('新密码', newPw, { required: true, hint: '至少 8 位。修改后需要用新密码重新登录。' }),
        field('再次输入新密码', again, { required: true }),
      ],
      onSubmit: async () => {
        if (!oldPw.value || !newPw.value) throw new FormError('请填写原密码和新密码');
        if (newPw.value !== again.value) throw new FormError('两次输入的新密码不一致');
        return api.post('/me/password', { old_password: oldPw.value, new_password: newPw.value });
      },
    }).then((out) => {
      if (!out) return;
      setCsrfToken('');
      stop();
      onSignedOut({ text: out.message || '密码已修改，请使用新密码重新登录', tone: 'success' });
    });
  }

  const header = h('header', { class: 'topbar' },
    menuToggle,
    h('a', { class: 'brand', href: '#/' + (home ? home.path : '') },
      h('img', { class: 'brand-mark', src: '/favicon.svg', alt: '' }),
      h('span', { class: 'brand-name' }, productName)),
    h('div', { class: 'account' },
      h('div', { class: 'account-who', id: 'account' },
        h('span', { class: 'account-name', title: roleLabel }, shownName),
        roleLabel !== shownName ? h('span', { class: 'account-role' }, roleLabel) : null,
        unitName ? h('span', { class: 'account-unit' }, unitName) : null),
      button('修改密码', changePassword, { kind: 'topbar', action: 'change-password' }),
      button('退出', signOut, { kind: 'topbar', action: 'logout' })));

  replace(root, h('div', { class: 'shell' }, header, h('div', { class: 'shell-body' }, nav, content)));

  let renderSeq = 0;
  async function route() {
    if (stopped) return;
    // A page may keep its state (filters) in a query after the path: #/assets?q=打印&status=idle.
    const hash = location.hash.replace(/^#\/?/, '');
    const cut = hash.indexOf('?');
    const path = cut < 0 ? hash : hash.slice(0, cut);
    const query = new URLSearchParams(cut < 0 ? '' : hash.slice(cut + 1));
    const [name = '', ...params] = path.split('/').filter(Boolean).map(decodeURIComponent);
    const page = pages.find((p) => p.path === name);
    if (!page) {
      if (home) {
        location.replace('#/' + home.path);
      } else {
        replace(content, errorBox(new FormError('您的账号没有可用的页面，请联系系统管理员')));
      }
      return;
    }
    setMenu(false);
    for (const [path, a] of navLinks) {
      a.classList.toggle('active', path === page.path);
      if (path === page.path) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    }
    inbox.refresh();
    const seq = ++renderSeq;
    replace(content, loading());
    try {
      const mod = await page.load();
      if (seq !== renderSeq || stopped) return;
      document.title = `${mod.title || page.label} - ${productName}`;
      const view = h('div', { class: 'view' });
      replace(content, view);
      await mod.render(view, { user, params, query, navigate: (to) => { location.hash = to; } });
    } catch (err) {
      if (seq !== renderSeq || stopped) return;
      if (err && err.status === 401) return; // the session ended; main.js shows the login
      replace(content, errorBox(err));
      if (!(err && err.status)) console.warn(err);
    }
  }
  window.addEventListener('hashchange', route);
  route();
  return stop;
}
