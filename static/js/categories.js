// categories.js orders the category table as a tree, for the settings page and the category
// drop-downs of the register and the pool.

/**
 * treeOrder puts every category right after its parent, siblings by code, each with its
 * depth (0 at the top); categories whose parent is missing stay at the top level.
 */
export function treeOrder(cats) {
  const codes = new Set(cats.map((c) => c.code));
  const children = new Map();
  for (const c of cats) {
    const p = c.parent_code && codes.has(c.parent_code) ? c.parent_code : '';
    if (!children.has(p)) children.set(p, []);
    children.get(p).push(c);
  }
  for (const list of children.values()) list.sort((a, b) => a.code.localeCompare(b.code));
  const out = [];
  const walk = (p, depth) => {
    for (const c of children.get(p) || []) {
      out.push({ ...c, depth });
      walk(c.code, depth + 1);
    }
  };
  walk('', 0);
  return out;
}
