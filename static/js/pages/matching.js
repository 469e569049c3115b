// matching.js is 调剂, reassignment: finance runs matching here and reads every proposal it
// made with its score and reasons (matching/finance.js); a clerk sees the proposals that
// involve their unit in both directions — what their requests were offered, and which of
// their idle items other units' requests were given (matching/clerk.js).

import { showFinance } from './matching/finance.js';
import { showClerk } from './matching/clerk.js';

export const title = '调剂';

export async function render(root, ctx) {
  if (ctx.user.role === 'clerk') {
    await showClerk(root, ctx);
    return;
  }
  await showFinance(root, ctx);
}
