// matching.js is 调剂, reassignment: finance runs matching here and reads every proposal it
// made with its score and reasons (matching/finance.js); a clerk sees the proposals that
// involve their unit in both directions — what their requests were offered, and which of
// their idle items other units' requests were given (matching/clerk.js). #/matching/proposals/{id}
// is one proposal with what the viewer may do to it and its history (proposals/detail.js).

import { showFinance } from './matching/finance.js';
import { showClerk } from './matching/clerk.js';
import { showProposal } from './proposals/detail.js';

export const title = '调剂';

export async function render(root, ctx) {
  // #/matching/proposals/{id} is one proposal with its history (proposals/detail.js).
  if (ctx.params[0] === 'proposals' && /^\d+$/.test(ctx.params[1] || '')) {
    await showProposal(root, ctx, ctx.params[1]);
    return;
  }
  if (ctx.user.role === 'clerk') {
    await showClerk(root, ctx);
    return;
  }
  await showFinance(root, ctx);
}
