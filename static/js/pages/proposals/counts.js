// counts.js keeps the navigation's counts of what waits for the signed-in user (ux.md: "counts
// in the navigation"): it reads GET /inbox after sign-in and each navigation (the shell asks)
// and after each action (the inboxChanged event), once for a burst of them, and shows the
// total as a small badge on 待办 and 调剂. Roles without an inbox (the administrator) get no
// badges; a failed read leaves the badges as they were.

import { api } from '../../api.js';
import { h } from '../../dom.js';
import { inboxChanged } from './actions.js';

// badgePages are the navigation entries that carry the count.
const badgePages = ['inbox', 'matching'];
// waitMs is how long the counts wait after a reason to look again.
const waitMs = 300;

/**
 * watchInbox starts the counts for user on the navigation links (a Map of page path to its
 * <a>). It returns {refresh, stop}: refresh() asks for a fresh count soon; stop() ends it.
 */
export function watchInbox(user, navLinks) {
  if (user.role !== 'clerk' && user.role !== 'finance') return { refresh() {}, stop() {} };
  let timer = null;
  let stopped = false;
  let seq = 0;
  const badges = new Map();
  for (const path of badgePages) {
    const a = navLinks.get(path);
    if (!a) continue;
    const b = h('span', { class: 'nav-count', hidden: true, dataset: { count: '0' } });
    a.append(b);
    badges.set(path, b);
  }

  async function read() {
    const mine = ++seq;
    let res;
    try {
      res = await api.get('/inbox');
    } catch {
      return; // the badges keep their last count; the pages say what went wrong
    }
    if (stopped || mine !== seq) return;
    show(Number(res && res.total) || 0);
  }

  function show(n) {
    for (const b of badges.values()) {
      b.hidden = n <= 0;
      b.dataset.count = String(n);
      b.textContent = n > 99 ? '99+' : String(n);
      b.title = `${n} 项待办`;
      b.setAttribute('aria-label', `${n} 项待办`);
    }
  }

  // refresh reads once, a moment after the first of a burst of reasons (a navigation and the
  // page's own action together): the reasons that follow within the moment share that read.
  function refresh() {
    if (stopped || timer) return;
    timer = setTimeout(() => { timer = null; read(); }, waitMs);
  }

  window.addEventListener(inboxChanged, refresh);
  return {
    refresh,
    stop() {
      stopped = true;
      clearTimeout(timer);
      timer = null;
      window.removeEventListener(inboxChanged, refresh);
    },
  };
}
