// assets.js is 资产台账, the register: #/assets lists the cards a user may see with filters,
// sorting, totals and bulk actions (assets/list.js); #/assets/{id} is one asset card with its
// value, photos and change history, edited in place (assets/card.js). The list keeps its
// filters in the hash's query (#/assets?q=打印&status=idle), so back, forward and reload keep them.

import { showList } from './assets/list.js';
import { showCard } from './assets/card.js';

export const title = '资产台账';

export async function render(root, ctx) {
  const id = ctx.params[0];
  if (id === undefined) {
    await showList(root, ctx);
    return;
  }
  if (!/^\d+$/.test(id)) {
    location.replace('#/assets');
    return;
  }
  await showCard(root, ctx, id);
}
