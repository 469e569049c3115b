// words.js names what the audit log records, in the words of the UI: each kind of entity and
// each action ("proposal.accept" → 确认接收调剂建议), for the audit page and a proposal's history.
// An action the list does not know is shown by its code.

/** entityLabels name the kinds of things the audit log records changes to. */
export const entityLabels = {
  asset: '资产卡片',
  import: '导入',
  request: '购置需求',
  proposal: '调剂建议',
  transfer: '资产调拨',
  saving: '节约记录',
  match_run: '匹配运行',
  unit: '单位',
  user: '用户',
  category: '资产分类',
  standard: '配置标准',
  api_token: '接口令牌',
  demo: '演示数据',
};

/** actionLabels name the actions of the audit log. */
export const actionLabels = {
  'asset.create': '新增资产卡片',
  'asset.update': '修改资产卡片',
  'asset.status': '变更使用状况',
  'asset.import': '导入更新资产卡片',
  'asset.photo_add': '添加资产照片',
  'asset.photo_delete': '删除资产照片',
  'asset.transfer_out': '调出资产',
  'asset.transfer_in': '调入资产',
  'asset.reuse': '本单位闲置资产再利用',
  'asset.books_adjust': '账务调整',
  'asset.capitalise_cost': '调剂费用计入资产成本',
  'import.upload': '上传清查表',
  'import.commit': '确认导入',
  'import.discard': '放弃导入',
  'request.create': '新建购置需求',
  'request.submit': '提交购置需求',
  'request.update': '修改购置需求',
  'request.withdraw': '撤回购置需求',
  'request.purchase': '购置审批',
  'request.purchase_approve': '批准购置',
  'request.purchase_reject': '不批准购置',
  'matching.run': '运行匹配',
  'proposal.accept': '确认接收调剂建议',
  'proposal.decline': '谢绝调剂建议',
  'proposal.declined': '谢绝调剂建议',
  'proposal.object': '对调剂提出异议',
  'proposal.approve': '批准调剂',
  'proposal.approved': '批准调剂',
  'proposal.reject': '驳回调剂',
  'proposal.rejected': '驳回调剂',
  'proposal.handover': '确认移交',
  'proposal.handed_over': '确认移交',
  'proposal.receive': '确认接收入账',
  'proposal.received': '确认接收入账',
  'proposal.cancel': '取消调剂建议',
  'proposal.cancelled': '取消调剂建议',
  'proposal.expired': '保留期已过，建议过期',
  'proposal.reuse': '确认本单位再利用',
  'transfer.create': '生成资产调拨单',
  'transfer.handover': '移交资产',
  'transfer.receive': '接收入账',
  'saving.create': '记入节约金额',
  'unit.create': '新增单位',
  'unit.update': '修改单位',
  'unit.delete': '删除单位',
  'user.create': '新增用户',
  'user.update': '修改用户',
  'user.password': '修改密码',
  'user.delete': '删除用户',
  'category.import': '导入资产分类',
  'standard.import': '导入配置标准',
  'token.create': '创建接口令牌',
  'token.revoke': '吊销接口令牌',
  'demo.load': '载入演示数据',
};

/** actionLabel is an audit action in words, or its code when the list does not know it. */
export function actionLabel(action) {
  return actionLabels[action] || action || '';
}

/** entityLabel is an audited kind of thing in words, or its code. */
export function entityLabel(entity) {
  return entityLabels[entity] || entity || '';
}

/** parseRecord reads an audit event's before/after JSON text; null when empty or unreadable. */
export function parseRecord(v) {
  if (v == null || v === '') return null;
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** prettyRecord writes an audit record's JSON indented for reading; '' when there is none. */
export function prettyRecord(v) {
  const o = parseRecord(v);
  if (o == null) return '';
  return typeof o === 'string' ? o : JSON.stringify(o, null, 2);
}

// quietKeys change with every write and say nothing of what was done.
const quietKeys = new Set(['version', 'updated_at']);

/**
 * changedFields lists the top-level fields whose values differ between an audit event's
 * records: [{key, before, after}] with each value as short text ('' when absent). Empty when
 * either record is not an object (a creation, a deletion, a summary).
 */
export function changedFields(beforeText, afterText) {
  const b = parseRecord(beforeText);
  const a = parseRecord(afterText);
  if (!b || !a || typeof b !== 'object' || typeof a !== 'object' || Array.isArray(a) || Array.isArray(b)) return [];
  const out = [];
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (quietKeys.has(key)) continue;
    const bv = short(b[key]);
    const av = short(a[key]);
    if (bv !== av) out.push({ key, before: bv, after: av });
  }
  return out;
}

function short(v) {
  if (v === undefined || v === null) return '';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 120 ? s.slice(0, 117) + '…' : s;
}
