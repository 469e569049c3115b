// keyset.js fetches the pages of a keyset-paginated list (the register, the pool): the first
// page when the filter changes, the next one for 加载更多. An answer that arrives after a newer
// request was made is dropped, so fast typing in a filter never shows an older result.

import { api } from './api.js';
import { h, replace } from './dom.js';
import { errorBox } from './ui.js';

/**
 * keysetLoader returns load(more): url(more) is the path below /api/v1 to ask; while it is
 * under way host carries busyClass; a failure replaces host's content with the message; an
 * answer goes to onPage(res, more) unless a newer load was started or root left the page.
 */
export function keysetLoader({ root, host, busyClass, url, onPage }) {
  let seq = 0;
  return async function load(more) {
    const mine = ++seq;
    host.classList.add(busyClass);
    let res;
    try {
      res = await api.get(url(more));
    } catch (err) {
      if (mine !== seq || !root.isConnected) return;
      host.classList.remove(busyClass);
      replace(host, h('div', { class: 'list-error' }, errorBox(err)));
      return;
    }
    if (mine !== seq || !root.isConnected) return;
    host.classList.remove(busyClass);
    onPage(res, more);
  };
}
