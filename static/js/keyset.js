// keyset.js fetches the pages of a keyset-paginated list (the register, the pool): the first
// page when the filter changes, the next one for 加载更多, and beside the first page the
// filter's sums (pieces and value), which read every selected card and so come on their own
// so that the rows never wait for them. An answer that arrives after a newer request was made
// is dropped, so fast typing in a filter never shows an older result.

import { api } from './api.js';
import { h, replace } from './dom.js';
import { errorBox } from './ui.js';
import { fmtInt, fmtMoney, fmtWan } from './format.js';

/**
 * keysetLoader returns load(more): url(more) is the path below /api/v1 to ask; while it is
 * under way host carries busyClass; a failure replaces host's content with the message; an
 * answer goes to onPage(res, more) unless a newer load was started or root left the page.
 * With a first page, totalsUrl() is asked too and its answer goes to onTotals after onPage,
 * unless the filter changed meanwhile.
 */
export function keysetLoader({ root, host, busyClass, url, onPage, totalsUrl, onTotals }) {
  let seq = 0;
  let first = 0;
  return async function load(more) {
    const mine = ++seq;
    let sums = null;
    if (!more && totalsUrl) {
      const filter = ++first;
      // A failed sum leaves the footer saying it is still summing; the list shows the error
      // that matters, as the same filter fails there too.
      sums = api.get(totalsUrl()).then((t) => () => {
        if (filter === first && root.isConnected) onTotals(t);
      }, () => () => {});
    }
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
    if (sums) (await sums)();
  };
}

/** totalsLine is a list's footer: how many it selects and, once summed, pieces and value. */
export function totalsLine(total, sums, noun) {
  const head = `共 ${fmtInt(total)} ${noun}`;
  if (!sums) return head + '，正在合计件数和原值……';
  return `${head}，${fmtInt(sums.quantity)} 件，原值合计 ${fmtMoney(sums.original_value)}${fmtWan(sums.original_value)}`;
}
