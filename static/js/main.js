// main.js starts the UI: it asks who is signed in and shows either the login or the shell.

import { api, setCsrfToken, onUnauthorized } from './api.js';
import { h, replace } from './dom.js';
import { showLogin } from './login.js';
import { startShell } from './shell.js';
import { button, messageOf } from './ui.js';

const root = document.getElementById('app');
let stopShell = null;

function signedIn(user) {
  stopShell = startShell(root, user, { onSignedOut: signedOut });
}

function signedOut(notice) {
  if (stopShell) {
    stopShell();
    stopShell = null;
  }
  setCsrfToken('');
  for (const d of document.querySelectorAll('dialog[open]')) d.close();
  showLogin(root, { notice, onSignedIn: signedIn });
}

// A request that answers 401 after login means the session ended (expired, or the password
// was reset by an administrator): back to the login with the server's reason.
onUnauthorized((err) => {
  if (stopShell) signedOut({ text: err.message || '登录已失效，请重新登录', tone: 'warning' });
});

async function boot() {
  try {
    const me = await api.get('/me');
    setCsrfToken(me.csrf_token);
    signedIn(me.user);
  } catch (err) {
    if (err.status === 401) {
      showLogin(root, { onSignedIn: signedIn });
      return;
    }
    replace(root, h('div', { class: 'boot' },
      h('p', { class: 'boot-title' }, '公物仓 · 资产调剂平台'),
      h('p', { class: 'alert alert-error', role: 'alert' }, messageOf(err)),
      button('重试', boot, { kind: 'primary' })));
  }
}

boot();
