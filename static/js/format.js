// format.js writes numbers, money and dates the way the product shows them (docs: ux.md).

const intFmt = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });

/** fmtInt writes 12345 as 12,345; empty for null. */
export function fmtInt(n) {
  return n == null || n === '' ? '' : intFmt.format(Number(n));
}

/**
 * fmtMoney writes an amount in yuan as the API sends it ("12345.67", a decimal string, exact)
 * as ¥12,345.67. The string is split, never turned into a float.
 */
export function fmtMoney(yuan) {
  if (yuan == null || yuan === '') return '';
  let s = String(yuan).trim();
  const neg = s.startsWith('-');
  if (neg) s = s.slice(1);
  const [intPart, frac = ''] = s.split('.');
  const grouped = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (neg ? '-¥' : '¥') + grouped + '.' + (frac + '00').slice(0, 2);
}

/** fmtPercent writes part/whole as 12.3%; a dash when whole is 0. */
export function fmtPercent(part, whole) {
  if (!whole) return '—';
  return (Math.round((part / whole) * 1000) / 10).toFixed(1) + '%';
}

/** fmtDate writes a timestamp or date as YYYY-MM-DD in local time. */
export function fmtDate(v) {
  if (!v) return '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return String(v);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** roleLabels are the Chinese names of the roles, in the order forms offer them. */
export const roleLabels = {
  clerk: '单位资产管理员',
  finance: '财政审批人',
  admin: '系统管理员',
};

/** fmtWan writes a large amount of yuan as 万元 for a bracket after the exact figure, else ''. */
export function fmtWan(yuan) {
  const n = Number(yuan);
  if (!Number.isFinite(n) || Math.abs(n) < 100000) return '';
  return `（约 ${(n / 10000).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} 万元）`;
}
