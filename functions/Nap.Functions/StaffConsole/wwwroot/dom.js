// Small DOM helpers shared by the panels. Text always goes in as text nodes (never parsed as HTML): submitted content
// cannot become markup. No style attributes: the CSP forbids them; visibility is `hidden` and classes.
import { t } from './i18n.js';

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'text') el.textContent = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
    else if (k === 'value' || k === 'checked' || k === 'selected') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }

let uid = 0;
export function newId(prefix) { uid += 1; return `${prefix}-${uid}`; }

/** A labelled input (or select/textarea) with an error slot; `pointer` is the JSON pointer its errors arrive with. */
export function field({ label, type = 'text', name, value, pointer, hint, required, options, rows, attrs }) {
  const id = newId('f');
  const hintId = hint ? id + '-hint' : null;
  let control;
  if (type === 'select') {
    control = h('select', { id, name, ...attrs }, (options || []).map(o => h('option', { value: o.value, selected: String(o.value) === String(value ?? '') }, o.label)));
  } else if (type === 'textarea') {
    control = h('textarea', { id, name, rows: rows || 3, ...attrs });
    control.value = value ?? '';
  } else {
    control = h('input', { id, name, type, value: value ?? '', ...attrs });
  }
  if (required) control.setAttribute('required', '');
  if (hintId) control.setAttribute('aria-describedby', hintId);
  const wrap = h('div', { class: 'field', 'data-pointer': pointer || null },
    h('label', { for: id }, label),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    control);
  wrap.control = control;
  return wrap;
}

/** Clears the errors a previous attempt left inside `scope`. */
export function clearErrors(scope) {
  scope.querySelectorAll('.error-message, .problem').forEach(e => e.remove());
  scope.querySelectorAll('[aria-invalid]').forEach(e => {
    e.removeAttribute('aria-invalid');
    const d = (e.getAttribute('aria-describedby') || '').split(' ').filter(x => x && !x.endsWith('-err'));
    if (d.length) e.setAttribute('aria-describedby', d.join(' ')); else e.removeAttribute('aria-describedby');
  });
}

/**
 * Shows a failure next to what failed: each problem+json error with a pointer goes under the field whose
 * data-pointer matches (or its nearest listed parent); the rest, and the problem's detail, in a box at `anchor`.
 * A 412 says that someone else changed the thing and offers a reload. Returns the box for focus.
 */
export function showProblem(scope, anchor, error, { onReload, pointerMap } = {}) {
  clearErrors(scope);
  const leftover = [];
  for (const e of (error.errors || [])) {
    const pointer = pointerMap ? pointerMap(e.pointer) : e.pointer;
    const target = pointer ? findField(scope, pointer) : null;
    if (!target) { leftover.push(e); continue; }
    const control = target.control || target.querySelector('input, select, textarea');
    const id = newId('e') + '-err';
    target.append(h('p', { class: 'error-message', id }, h('span', { class: 'visually-hidden' }, t('errorPrefix') + ' '), e.detail || e.code));
    if (control) {
      control.setAttribute('aria-invalid', 'true');
      control.setAttribute('aria-describedby', ((control.getAttribute('aria-describedby') || '') + ' ' + id).trim());
    }
  }
  const box = h('div', { class: 'problem', role: 'alert', tabindex: '-1' },
    h('p', { class: 'problem-title' }, error.status === 412 ? t('stale') : (error.title || t('failed'))),
    error.status === 412 ? null : (error.detail ? h('p', null, error.detail) : null),
    leftover.length ? h('ul', null, leftover.map(e => h('li', null, (e.pointer ? e.pointer + ': ' : '') + (e.detail || e.code)))) : null,
    error.status === 412 && onReload ? h('button', { type: 'button', class: 'secondary', onclick: onReload }, t('reload')) : null);
  if (anchor.after && anchor !== scope) anchor.after(box); else anchor.prepend(box);
  return box;
}

function findField(scope, pointer) {
  let p = pointer;
  while (p) {
    const el = scope.querySelector(`[data-pointer="${CSS.escape(p)}"]`);
    if (el) return el;
    p = p.slice(0, p.lastIndexOf('/'));
  }
  return null;
}

/** A data table that reflows to one card per row below 40rem (headers repeat through data-label). */
export function table({ caption, columns, rows, sort, onSort, empty }) {
  const head = h('tr', null, columns.map(c => {
    if (!c.sortable) return h('th', { scope: 'col' }, c.label);
    const dir = sort && sort.key === c.key ? sort.dir : null;
    return h('th', { scope: 'col', 'aria-sort': dir ? (dir === 1 ? 'ascending' : 'descending') : null },
      h('button', { type: 'button', class: 'sort', 'data-key': c.key, onclick: () => onSort(c.key) },
        c.label, h('span', { class: 'sort-mark', 'aria-hidden': 'true' }, dir === 1 ? ' ▲' : dir === -1 ? ' ▼' : '')));
  }));
  const body = rows.length
    ? rows.map(r => h('tr', { 'data-id': r.id || null }, columns.map(c => h(c.header ? 'th' : 'td', { 'data-label': c.label, scope: c.header ? 'row' : null }, c.cell(r)))))
    : [h('tr', null, h('td', { colspan: columns.length, class: 'empty' }, empty || t('nothing')))];
  return h('div', { class: 'table-wrap' },
    h('table', null, caption ? h('caption', null, caption) : null, h('thead', null, head), h('tbody', null, body)));
}

export function yesNo(v) { return v ? t('yes') : t('no'); }

export function sortRows(rows, key, dir) {
  return [...rows].sort((a, b) => {
    const x = a[key], y = b[key];
    if (x === y) return 0;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'nl')) * dir;
  });
}

/** A heading the panel focuses after navigation, so screen readers hear where they are. */
export function heading(text) { return h('h1', { tabindex: '-1', id: 'panel-title' }, text); }

export function status(text) {
  const s = document.getElementById('status');
  s.textContent = '';
  setTimeout(() => { s.textContent = text; }, 50);
}
