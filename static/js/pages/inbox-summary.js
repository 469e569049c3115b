// inbox-summary.js is the 待办 panel of the home pages (本单位概况, 审批工作台): how many things of
// each kind wait for the user, each leading on to 待办.

import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { panel, emptyNote, errorBox } from '../ui.js';
import { fmtInt } from '../format.js';

/** inboxSummary returns {el, load}: a panel titled title, filled by load() from /inbox; empty
 * is what it says when nothing waits. */
export function inboxSummary(title, empty = '暂无待办事项') {
  const body = h('div', { class: 'inbox-summary' });
  const el = panel({ title, actions: h('a', { class: 'btn btn-sm', href: '#/inbox' }, '打开待办') }, body);
  async function load() {
    let box;
    try {
      box = await api.get('/inbox');
    } catch (err) {
      replace(body, errorBox(err));
      return;
    }
    const waiting = (box.sections || []).filter((s) => s.count > 0);
    if (!waiting.length) {
      replace(body, emptyNote(empty, '调剂建议待确认、待审批、待移交、待接收和待决定的购置会列在这里。'));
      return;
    }
    replace(body, h('ul', { class: 'inbox-summary-list' },
      waiting.map((s) => h('li', null,
        h('a', { href: '#/inbox', dataset: { section: s.key } }, s.title),
        h('span', { class: 'nav-count' }, fmtInt(s.count))))));
  }
  return { el, load };
}
