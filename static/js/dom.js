// dom.js builds elements from plain values. Text is always set as text, never parsed as HTML,
// and nothing sets inline styles: the page's CSP forbids them, so looks come from classes.

const props = new Set(['value', 'checked', 'selected', 'disabled', 'hidden', 'required', 'readOnly', 'multiple']);

/**
 * h makes an element: h('button', {class: 'btn', onclick: fn, type: 'button'}, '保存').
 * Attributes whose value is null, undefined or false are left out; on* functions become
 * event listeners; value/checked/disabled… are set as properties after the children.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  const later = [];
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k === 'class') {
      el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
    } else if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2), v);
    } else if (k === 'dataset') {
      Object.assign(el.dataset, v);
    } else if (props.has(k)) {
      later.push([k, v]);
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  for (const [k, v] of later) el[k] = v;
  return el;
}

/** append adds children: nodes, strings, numbers, and arrays of them; null/false are skipped. */
export function append(el, ...children) {
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** replace empties el and fills it with the children. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

let seq = 0;

/** uid returns an id unique in this page, for label/input pairs. */
export function uid(prefix = 'f') {
  seq += 1;
  return `${prefix}-${seq}`;
}
