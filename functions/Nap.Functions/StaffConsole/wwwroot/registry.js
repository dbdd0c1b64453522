// The registry (Nap.Admin): signatories and their contacts — add, edit (If-Match), deactivate; revoke a signatory's
// links (coordinators); import a CSV or JSON file with a preview that lists every problem by row before anything
// is written.
import { h, field, table, heading, showProblem, clearErrors, status } from './dom.js';
import { t, tv, kind } from './i18n.js';
import { get, api, enc, missingRoute } from './api.js';
import { openDialog } from './dialog.js';
import { erasureForm } from './erasure.js';

const kinds = ['ministry', 'civil-society-organisation', 'knowledge-institution', 'other'];

export async function render(root, ctx) {
  root.append(heading(t('registryTitle')));
  if (!ctx.may('Nap.Admin')) { root.append(h('p', null, t('needsAdmin'))); return; }
  let list;
  try {
    const { data } = await get('signatories');
    list = Array.isArray(data) ? data : data.signatories || data.items || [];
  } catch (e) {
    if (missingRoute(e)) { root.append(h('p', { class: 'notice', role: 'status' }, t('registryUnavailable'))); return; }
    throw e;
  }
  root.append(h('div', { class: 'buttons' }, h('button', { type: 'button', class: 'primary', 'data-action': 'add', onclick: () => editDialog(ctx, null) }, t('addSignatory'))));
  root.append(importForm(ctx));
  root.append(h('h2', null, t('signatories')), table({
    caption: t('registryCaption', { n: list.length }),
    columns: [
      { label: t('name'), header: true, cell: s => s.name },
      { label: 'Id', cell: s => h('code', null, s.id) },
      { label: t('kind'), cell: s => kind(s.kind) },
      { label: t('language'), cell: s => s.language },
      { label: t('active'), cell: s => s.active ? t('yes') : t('no') },
      { label: t('contacts'), cell: s => (s.contacts || []).length },
      { label: t('actions'), cell: s => actions(ctx, s) },
    ],
    rows: list.map(s => ({ ...s })),
  }));  root.append(erasureForm(ctx));
}

function actions(ctx, s) {
  const cell = h('div', { class: 'actions' });
  const run = async (button, method, path, done) => {
    clearErrors(cell);
    try { await api(method, path); status(done); await ctx.rerender(); } catch (e) { showProblem(cell, button, e).focus(); }
  };
  const edit = h('button', { type: 'button', class: 'secondary small', 'data-action': 'edit', 'aria-label': t('editFor', { name: s.name }), onclick: () => editDialog(ctx, s.id) }, t('edit'));
  cell.append(edit);
  if (s.active) {
    const deactivate = h('button', { type: 'button', class: 'warning small', 'data-action': 'deactivate', 'aria-label': t('deactivateFor', { name: s.name }) }, t('deactivate'));
    deactivate.addEventListener('click', () => run(deactivate, 'POST', `signatories/${enc(s.id)}/deactivate`, t('deactivated', { name: s.name })));
    cell.append(deactivate);
  }
  if (ctx.may('Nap.Coordinator')) {
    const revoke = h('button', { type: 'button', class: 'warning small', 'data-action': 'revoke', 'aria-label': t('revokeFor', { name: s.name }) }, t('revokeLinks'));
    revoke.addEventListener('click', () => run(revoke, 'DELETE', `signatories/${enc(s.id)}/links`, t('revoked', { name: s.name })));
    cell.append(revoke);
  }
  return cell;
}

function contactRow(c, i) {
  const name = field({ label: t('contactName'), name: 'contact-name', value: c.name, pointer: `/contacts/${i}/name` });
  const email = field({ label: t('contactEmail'), type: 'email', name: 'contact-email', value: c.email, pointer: `/contacts/${i}/email` });
  const role = field({ label: t('contactRole'), type: 'select', name: 'contact-role', value: c.role || 'primary', pointer: `/contacts/${i}/role`,
    options: ['primary', 'secondary', 'director'].map(r => ({ value: r, label: tv('role', r) })) });
  const box = h('fieldset', { class: 'contact', 'data-pointer': `/contacts/${i}` }, h('legend', null, t('contactN', { n: i + 1 })), name, email, role);
  box.read = () => ({ name: name.control.value.trim(), email: email.control.value.trim(), role: role.control.value });
  return box;
}

async function editDialog(ctx, id) {
  let current = { id: '', name: '', kind: 'civil-society-organisation', language: 'nl', active: true, contacts: [{ name: '', email: '', role: 'primary' }] };
  let etag = null;
  if (id) {
    try {
      const r = await get(`signatories/${enc(id)}`);
      current = r.data.signatory || r.data;
      etag = r.etag;
    } catch (e) {
      alertBox(e);
      return;
    }
  }
  openDialog(id ? t('editTitle', { name: current.name }) : t('addSignatory'), (body, close) => {
    const idField = field({ label: 'Id', name: 'id', value: current.id, pointer: '/id', hint: t('idHint'), attrs: id ? { readonly: true } : {} });
    const name = field({ label: t('name'), name: 'name', value: current.name, pointer: '/name', required: true });
    const kindField = field({ label: t('kind'), type: 'select', name: 'kind', value: current.kind, pointer: '/kind', options: kinds.map(k => ({ value: k, label: kind(k) })) });
    const language = field({ label: t('language'), type: 'select', name: 'language', value: current.language, pointer: '/language', options: [{ value: 'nl', label: 'Nederlands' }, { value: 'en', label: 'English' }] });
    const contacts = h('div', null, (current.contacts || []).map(contactRow));
    const addContact = h('button', { type: 'button', class: 'secondary small', onclick: () => contacts.append(contactRow({}, contacts.children.length)) }, t('addContact'));
    const form = h('form', { novalidate: true }, idField, name, kindField, language, h('h3', null, t('contacts')), contacts, addContact,
      h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, t('save')), h('button', { type: 'button', class: 'secondary', onclick: close }, t('cancel'))));
    form.addEventListener('submit', async e => {
      e.preventDefault();
      clearErrors(form);
      const payload = { id: idField.control.value.trim(), name: name.control.value.trim(), kind: kindField.control.value, language: language.control.value,
        active: current.active !== false, contacts: [...contacts.children].map(c => c.read()).filter(c => c.name || c.email) };
      try {
        if (id) await api('PUT', `signatories/${enc(id)}`, { body: payload, etag });
        else await api('POST', 'signatories', { body: payload });
        close();
        status(t('saved'));
        await ctx.rerender();
      } catch (err) {
        const box = showProblem(form, form, err, { onReload: () => { close(); editDialog(ctx, id); } });
        (form.querySelector('[aria-invalid=true]') || box).focus();
      }
    });
    body.append(form);
  }, { wide: true });
}

function alertBox(e) {
  const main = document.querySelector('#content .panel');
  showProblem(main, main.querySelector('h1'), e).focus();
}

function importForm(ctx) {
  const format = field({ label: t('importFormat'), type: 'select', name: 'format', value: 'csv', options: [{ value: 'csv', label: 'CSV' }, { value: 'json', label: 'JSON' }] });
  const file = field({ label: t('importFile'), type: 'file', name: 'file', attrs: { accept: '.csv,.json,text/csv,application/json' } });
  const text = field({ label: t('importText'), type: 'textarea', name: 'content', rows: 8, hint: t('importHint'), attrs: { spellcheck: 'false', class: 'mono' } });
  const result = h('div', { class: 'import-result' });
  const preview = h('button', { type: 'submit', class: 'secondary', 'data-action': 'preview' }, t('preview'));
  const apply = h('button', { type: 'button', class: 'primary', 'data-action': 'apply', hidden: true }, t('applyImport'));
  let previewed = null;
  file.control.addEventListener('change', async () => {
    const f = file.control.files[0];
    if (!f) return;
    text.control.value = await f.text();
    if (f.name.toLowerCase().endsWith('.json')) format.control.value = 'json';
    if (f.name.toLowerCase().endsWith('.csv')) format.control.value = 'csv';
    // Another file needs its own preview: no import of content nobody has seen.
    apply.hidden = true; previewed = null; result.replaceChildren();
  });
  text.control.addEventListener('input', () => { apply.hidden = true; previewed = null; });
  const form = h('form', { class: 'import', novalidate: true }, h('h2', null, t('importTitle')), format, file, text,
    h('div', { class: 'buttons' }, preview, apply), result);

  const send = mode => api('POST', `signatories/import?mode=${mode}`, { body: text.control.value, headers: { 'Content-Type': format.control.value === 'json' ? 'application/json' : 'text/csv' } });

  form.addEventListener('submit', async e => {
    e.preventDefault();
    clearErrors(form);
    result.replaceChildren();
    apply.hidden = true;
    try {
      const { data } = await send('preview');
      previewed = text.control.value;
      showPreview(data);
    } catch (err) {
      if (err.status === 422 && err.errors && err.errors.some(x => x.row !== undefined)) { showPreview({ problems: err.errors }); return; }
      showProblem(form, result, err).focus();
    }
  });
  apply.addEventListener('click', async () => {
    clearErrors(form);
    if (previewed !== text.control.value) return;
    try {
      const { data } = await send('apply');
      result.replaceChildren(h('p', { class: 'success', role: 'status', tabindex: '-1' }, t('imported', changeCounts(data.changes))));
      apply.hidden = true;
      status(t('imported', changeCounts(data.changes)));
      setTimeout(() => ctx.rerender(), 1200);
    } catch (err) {
      showProblem(form, result, err).focus();
    }
  });

  function showPreview(data) {
    const problems = data.problems || [];
    const summary = h('p', { class: problems.length ? 'problem-title' : 'success', tabindex: '-1', role: problems.length ? 'alert' : 'status' },
      problems.length ? t('previewProblems', { n: problems.length }) : t('previewOk', { rows: data.rows ?? 0, ...changeCounts(data.changes) }));
    result.replaceChildren(summary, problems.length ? table({
      caption: t('problemsCaption'),
      columns: [
        { label: t('row'), header: true, cell: p => p.row ?? '–' },
        { label: t('field'), cell: p => h('code', null, p.pointer || '') },
        { label: t('problem'), cell: p => p.detail || p.code },
      ],
      rows: problems,
    }) : null, h('p', { class: 'hint' }, t('nothingWritten')));
    apply.hidden = problems.length > 0;
    summary.focus();
  }
  return form;
}

function changeCounts(c) {
  const n = x => Array.isArray(x) ? x.length : (x ?? 0);
  return { add: n(c && c.add), update: n(c && c.update), unchanged: n(c && c.unchanged) };
}
