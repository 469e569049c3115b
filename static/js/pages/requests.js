// requests.js is 购置需求, purchase requests: #/requests lists the requests a user may see with
// their progress, and lets a clerk file new ones by the form or from a spreadsheet
// (requests/list.js); #/requests/{id} is one request with its standards check, the proposals
// matching found for it and the 调剂查询记录 of what it could not find (requests/detail.js).

import { showList } from './requests/list.js';
import { showRequest } from './requests/detail.js';

export const title = '购置需求';

export async function render(root, ctx) {
  const id = ctx.params[0];
  if (id === undefined) {
    await showList(root, ctx);
    return;
  }
  if (!/^\d+$/.test(id)) {
    location.replace('#/requests');
    return;
  }
  await showRequest(root, ctx, id);
}
