// filters.js holds what the register and the pool share above their tables: typing that
// waits for a pause, drop-downs that keep a value from the address, and the 更多筛选 panel of
// typed filters (text, year, amount and date ranges) that marks a bad value and leaves it out
// until it is fixed.

import { h, replace } from './dom.js';
import { button } from './ui.js';

/** debounced calls fn once typing has paused for ms. */
export function debounced(fn, ms = 350) {
  let t = null;
  return (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
}

/**
 * hashFilters keeps a list page's filters in its address, so that reload and back keep them:
 * query() is the filters in state (for keys) as URLSearchParams, apply() writes them into the
 * hash (#/path?…) and calls onApply, set(key, value) changes one and applies. Nothing happens
 * once root has left the page.
 */
export function hashFilters({ root, path, keys, state, onApply }) {
  function query() {
    const qs = new URLSearchParams();
    for (const k of keys) if (state[k]) qs.set(k, state[k]);
    return qs;
  }
  function apply() {
    const qs = query().toString();
    const hash = '#/' + path + (qs ? '?' + qs : '');
    if (root.isConnected && location.hash !== hash) history.replaceState(null, '', hash);
    onApply();
  }
  function set(key, value) {
    if (state[key] === value || !root.isConnected) return;
    state[key] = value;
    apply();
  }
  return { query, apply, set };
}

/** withCurrent keeps a value from the address selectable even when the list does not offer it. */
export function withCurrent(options, value) {
  return value && !options.some((o) => o.value === value) ? options.concat({ value, label: value }) : options;
}

// checks of the filters typed by hand.
const checks = {
  year_from: [/^\d{4}$/, '取得年份应为四位数字，如 2019'],
  year_to: [/^\d{4}$/, '取得年份应为四位数字，如 2019'],
  value_min: [/^\d{1,13}(\.\d{1,2})?$/, '原值应为金额数字，如 5000 或 1234.50'],
  value_max: [/^\d{1,13}(\.\d{1,2})?$/, '原值应为金额数字，如 5000 或 1234.50'],
};

/**
 * moreFilters builds the 更多筛选 panel: text fields (contains) for the keys in text ([key,
 * label] pairs), then the acquisition year, value and idle-since ranges. state holds the
 * values, set(key, value) applies one; ids start with prefix. It returns the panel, its
 * toggle button, open(bool), draw() (the toggle's count of filters in use) and clear().
 */
export function moreFilters({ prefix, state, set, text = [] }) {
  const keys = text.map(([k]) => k).concat(['year_from', 'year_to', 'value_min', 'value_max', 'idle_from', 'idle_to']);
  const inputs = {};
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
  function input(key, attrs) {
    const el = h('input', {
      class: 'input', name: key, autocomplete: 'off', type: 'text', id: prefix + '-' + key.replace('_', '-'), ...attrs,
      value: state[key],
      oninput: debounced(() => typed(key)),
      onchange: () => typed(key),
    });
    inputs[key] = el;
    return el;
  }
  function typed(key) {
    const el = inputs[key];
    const v = el.value.trim().replace(/[,，]/g, '');
    const check = checks[key];
    const bad = !!(v && check && !check[0].test(v));
    el.classList.toggle('input-invalid', bad);
    el.setAttribute('aria-invalid', bad ? 'true' : 'false');
    const problems = Object.keys(checks).filter((k) => inputs[k].getAttribute('aria-invalid') === 'true').map((k) => checks[k][1]);
    replace(error, [...new Set(problems)].join('；'));
    error.hidden = !problems.length;
    if (!bad) set(key, v);
  }
  const range = (label, from, to, attrs) => h('div', { class: 'field' },
    h('span', { class: 'field-label' }, label),
    h('div', { class: 'range' },
      input(from, { ...attrs, 'aria-label': label + '（起）' }), h('span', { class: 'range-sep' }, '至'),
      input(to, { ...attrs, 'aria-label': label + '（止）' })));
  const panel = h('div', { class: 'filters-more', id: prefix + '-more-filters', hidden: true },
    h('div', { class: 'filters-more-grid' },
      text.map(([key, label]) => h('div', { class: 'field' },
        h('label', { class: 'field-label', for: prefix + '-' + key }, label), input(key, { placeholder: '包含即可' }))),
      range('取得年份', 'year_from', 'year_to', { inputmode: 'numeric', placeholder: '如 2019', maxlength: '4' }),
      range('原值（元）', 'value_min', 'value_max', { inputmode: 'decimal', placeholder: '金额' }),
      range('闲置起始日', 'idle_from', 'idle_to', { type: 'date' })),
    error);
  const toggle = button('更多筛选', () => open(panel.hidden), { action: 'more-filters' });
  toggle.setAttribute('aria-controls', panel.id);
  function draw() {
    const n = keys.filter((k) => state[k]).length;
    replace(toggle, panel.hidden ? '更多筛选' : '收起筛选', n ? h('span', { class: 'btn-count' }, String(n)) : null);
  }
  function open(yes) {
    panel.hidden = !yes;
    toggle.setAttribute('aria-expanded', String(yes));
    draw();
  }
  function clear() {
    for (const el of Object.values(inputs)) {
      el.value = '';
      el.classList.remove('input-invalid');
      el.removeAttribute('aria-invalid');
    }
    error.hidden = true;
  }
  open(keys.some((k) => state[k]));
  return { panel, toggle, open, draw, clear };
}
