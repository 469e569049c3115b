// login.js is the sign-in view shown to anyone without a session.

import { api, setCsrfToken } from './api.js';
import { h, replace } from './dom.js';
import { field, input, formError } from './ui.js';

export const productName = '公物仓 · 资产调剂平台';

/**
 * showLogin draws the sign-in form into root. notice is an optional {text, tone} shown above
 * the form (e.g. after signing out). onSignedIn(user) runs after a successful login.
 */
export function showLogin(root, { notice, onSignedIn }) {
  document.title = '登录 - ' + productName;
  const err = formError();
  const username = input('username', { autocomplete: 'username', required: true, autocapitalize: 'off', spellcheck: 'false' });
  const password = input('password', { type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block', dataset: { action: 'login' } }, '登 录');

  const form = h('form', { class: 'login-form', id: 'login-form', novalidate: true },
    notice ? h('div', { class: ['alert', 'alert-' + (notice.tone || 'info')], role: 'status' }, notice.text) : null,
    field('用户名', username),
    field('密码', password),
    err.el,
    submit);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.clear();
    if (!username.value.trim() || !password.value) {
      err.show('请输入用户名和密码');
      (username.value.trim() ? password : username).focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = '正在登录……';
    try {
      const out = await api.post('/login', { username: username.value.trim(), password: password.value });
      setCsrfToken(out.csrf_token);
      onSignedIn(out.user);
    } catch (ex) {
      err.show(ex);
      password.value = '';
      password.focus();
      submit.disabled = false;
      submit.textContent = '登 录';
    }
  });

  replace(root,
    h('div', { class: 'login-page' },
      h('div', { class: 'login-brand' },
        h('img', { class: 'brand-mark brand-mark-lg', src: '/favicon.svg', alt: '' }),
        h('div', null,
          h('p', { class: 'login-product' }, productName),
          h('p', { class: 'login-tagline' }, '行政事业单位资产台账与闲置资产调剂'))),
      h('div', { class: 'login-card' },
        h('h1', { class: 'login-title' }, '用户登录'),
        form),
      h('p', { class: 'login-foot' }, '账号由系统管理员分配；忘记密码请联系系统管理员重置。')));
  username.focus();
}
