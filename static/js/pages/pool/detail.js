// detail.js holds how the idle pool (闲置资产库) writes one item: its condition as a tag, its age
// and remaining life in words, and the dialog with all its photos and details that opens from a
// row or from #/pool/{id}. The pool never shows who uses an item or where it is kept.

import { h, replace } from '../../dom.js';
import { tag, definitionList } from '../../ui.js';
import { fmtInt, fmtMoney } from '../../format.js';

/** conditions are the conditions an item of the pool may have, best first, with tag tones. */
export const conditions = [
  { value: 'new', label: '全新', tone: 'info' },
  { value: 'usable', label: '完好', tone: 'success' },
  { value: 'repairable', label: '需维修', tone: 'warning' },
];

/** conditionTag is a condition as a tag with its text: 全新, 完好, 需维修. */
export function conditionTag(v) {
  const o = conditions.find((c) => c.value === v);
  const t = tag(o ? o.label : v || '—', o ? o.tone : 'neutral');
  t.dataset.condition = v || '';
  return t;
}

/** ownTag marks an item of the viewer's own unit. */
export function ownTag() {
  const t = tag('本单位', 'info');
  t.classList.add('pool-own');
  return t;
}

/** fmtAge writes an age in months as 3 年 2 个月. */
export function fmtAge(months) {
  if (months == null) return '';
  const m = Math.max(0, Number(months));
  if (m < 1) return '不足 1 个月';
  const y = Math.floor(m / 12);
  const r = m % 12;
  if (!y) return `${r} 个月`;
  return r ? `${y} 年 ${r} 个月` : `${y} 年`;
}

/**
 * fmtRemaining writes how much of the minimum useful life is left: 约 3 年, 不足 1 年, or
 * 已满最低使用年限; a dash for a category that is not depreciated (null).
 */
export function fmtRemaining(months) {
  if (months == null) return '—';
  const m = Number(months);
  if (m <= 0) return '已满最低使用年限';
  if (m < 12) return '不足 1 年';
  return `约 ${Math.round(m / 12)} 年`;
}

/** remainingCell is fmtRemaining with an explanation on hover where it helps. */
export function remainingCell(months) {
  const text = fmtRemaining(months);
  if (months == null) return h('span', { class: 'muted', title: '该类资产不计提折旧，没有最低使用年限' }, text);
  if (Number(months) <= 0) return h('span', { class: 'nowrap', title: '已超过该类资产的最低使用年限，能正常使用的仍可调剂' }, text);
  return h('span', { class: 'nowrap' }, text);
}

/** brandModel is the brand and the model as one line. */
export function brandModel(it) {
  return [it.brand, it.model].filter(Boolean).join(' ');
}

/** quantityText is 6 把, or just 6 without a measure unit. */
export function quantityText(it) {
  return fmtInt(it.quantity) + (it.measure_unit ? ' ' + it.measure_unit : '');
}

/**
 * showItem opens a dialog with every photo of a pool item, large, and its details. onClose
 * runs when it closes (by the button, the × or Esc).
 */
export function showItem(it, { onClose } = {}) {
  const photos = it.photos || [];
  let current = 0;
  const main = h('div', { class: 'pool-photo-main' });
  const strip = h('div', { class: 'pool-photo-strip', role: 'list' });
  function drawPhotos() {
    if (!photos.length) {
      replace(main, h('p', { class: 'pool-photo-none' }, '这件资产还没有照片'));
      strip.hidden = true;
      return;
    }
    const p = photos[current];
    replace(main, h('a', { href: p.url, target: '_blank', rel: 'noopener', title: '在新窗口中查看原图' },
      h('img', { src: p.url, alt: `${it.name} 照片 ${current + 1}/${photos.length}`, class: 'pool-photo-large' })));
    strip.hidden = photos.length < 2;
    replace(strip, photos.map((ph, i) => h('button', {
      type: 'button', role: 'listitem', class: ['pool-photo-pick', i === current && 'active'],
      'aria-label': `第 ${i + 1} 张照片`, 'aria-pressed': String(i === current),
      onclick: () => { current = i; drawPhotos(); },
    }, h('img', { src: ph.url, alt: '', loading: 'lazy' }))));
  }
  drawPhotos();

  const unit = [it.unit_name, it.unit_code ? `（${it.unit_code}）` : '', it.area ? ` · ${it.area}` : ''].join('');
  const details = definitionList([
    ['资产名称', it.name],
    ['资产编号', h('span', { class: 'mono' }, it.asset_no)],
    ['所属单位', it.own ? [unit, ownTag()] : unit],
    ['资产分类', it.category_name ? `${it.category_name}（${it.category_code}）` : it.category_code],
    ['品牌型号', brandModel(it)],
    ['可调剂数量', quantityText(it)],
    ['原值', fmtMoney(it.original_value)],
    ['净值', fmtMoney(it.net_value)],
    ['取得日期', it.acquired_on ? `${it.acquired_on}（已使用 ${fmtAge(it.age_months)}）` : ''],
    ['剩余使用年限', fmtRemaining(it.remaining_months)],
    ['完好程度', conditionTag(it.condition)],
    ['闲置起始日', it.idle_since],
  ]);
  const note = it.own
    ? h('p', { class: 'muted small' }, '这是本单位的闲置资产。修改数量、完好程度或照片，请到资产卡片中操作。')
    : h('p', { class: 'muted small' }, '闲置资产库只显示调剂所需的信息，不显示使用人、使用部门和存放地点。');

  const close = h('button', { type: 'button', class: 'btn btn-primary', dataset: { action: 'close' } }, '关闭');
  const dlg = h('dialog', { class: 'dialog dialog-wide pool-dialog', dataset: { item: String(it.id) }, 'aria-label': it.name },
    h('div', { class: 'dialog-head' },
      h('h2', { class: 'dialog-title' }, it.name, it.own ? ownTag() : null),
      h('button', { type: 'button', class: 'dialog-close', 'aria-label': '关闭', onclick: () => dlg.close() }, '×')),
    h('div', { class: 'dialog-body pool-detail' },
      h('div', { class: 'pool-gallery' }, main, strip),
      h('div', { class: 'pool-facts' }, details, note)),
    h('div', { class: 'dialog-foot' },
      it.own ? h('a', { class: 'btn', href: '#/assets/' + it.id, dataset: { action: 'open-card' } }, '打开资产卡片') : null,
      close));
  close.addEventListener('click', () => dlg.close());
  // Leaving the page (a link in the dialog, back) closes the dialog with it.
  const leave = () => dlg.close();
  window.addEventListener('hashchange', leave);
  dlg.addEventListener('close', () => {
    window.removeEventListener('hashchange', leave);
    dlg.remove();
    if (onClose) onClose();
  });
  document.body.append(dlg);
  dlg.showModal();
  close.focus({ preventScroll: true });
  return dlg;
}
