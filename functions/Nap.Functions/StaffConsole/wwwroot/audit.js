// The audit trail (Nap.Admin): who did what, when — identifiers and results only, never content. Filter by
// signatory and period; export the same filter as CSV (made by the server).
import { h, field, table, heading, showProblem } from './dom.js';
import { t, amsterdam } from './i18n.js';
import { get, enc } from './api.js';

const view = { signatory: '', from: '', to: '', allCycles: false };

export async function render(root, ctx) {
  root.append(heading(t('auditTitle')));
  if (!ctx.may('Nap.Admin')) { root.append(h('p', null, t('needsAdmin'))); return; }
  const signatory = field({ label: t('signatoryId'), name: 'signatory', value: view.signatory, pointer: '/signatory' });
  const from = field({ label: t('fromDate'), type: 'date', name: 'from', value: view.from, pointer: '/from' });
  const to = field({ label: t('toDate'), type: 'date', name: 'to', value: view.to, pointer: '/to' });
  const all = h('div', { class: 'check' }, h('input', { type: 'checkbox', id: 'audit-all', checked: view.allCycles }), h('label', { for: 'audit-all' }, t('allCycles')));
  const exportLink = h('a', { class: 'button-link', download: '' }, t('exportCsv'));
  const form = h('form', { class: 'filters', novalidate: true }, signatory, from, to, all,
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'secondary' }, t('filter')), exportLink));
  const list = h('div', null);
  root.append(form, list);

  function query(extra) {
    const q = new URLSearchParams();
    if (!view.allCycles && ctx.cycleId) q.set('cycle', ctx.cycleId);
    if (view.signatory) q.set('signatory', view.signatory);
    if (view.from) q.set('from', view.from);
    if (view.to) q.set('to', view.to);
    for (const [k, v] of Object.entries(extra || {})) q.set(k, v);
    return q.toString();
  }

  let entries = [];
  async function load(continuation) {
    try {
      const { data } = await get('audit?' + query(continuation ? { continuation } : {}));
      entries = continuation ? entries.concat(data.entries) : data.entries;
      draw(data.continuation);
    } catch (e) {
      list.replaceChildren();
      showProblem(form, form, e).focus();
    }
  }

  function draw(next) {
    exportLink.setAttribute('href', '/api/audit?' + query({ format: 'csv' }));
    list.replaceChildren(table({
      caption: t('auditCaption'),
      columns: [
        { label: t('when'), header: true, cell: e => amsterdam(e.at) },
        { label: t('actor'), cell: e => `${e.actorKind}: ${e.actorId}` },
        { label: t('auditAction'), cell: e => h('code', null, e.action) },
        { label: t('cycle'), cell: e => e.cycleId || '–' },
        { label: t('signatory'), cell: e => e.signatoryId || '–' },
        { label: t('version'), cell: e => e.version ?? '–' },
        { label: t('result'), cell: e => e.result },
      ],
      rows: entries,
      empty: t('noAudit'),
    }), next ? h('button', { type: 'button', class: 'secondary', onclick: () => load(next) }, t('more')) : null);
  }

  form.addEventListener('submit', e => {
    e.preventDefault();
    view.signatory = signatory.control.value.trim();
    view.from = from.control.value;
    view.to = to.control.value;
    view.allCycles = all.querySelector('input').checked;
    load();
  });
  exportLink.setAttribute('href', '/api/audit?' + query({ format: 'csv' }));
  await load();
}
