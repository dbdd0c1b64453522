// The reminder ledger of a cycle: what was sent, failed or is uncertain (maybe sent: Graph did not answer), with a
// deliberate retry of an uncertain or failed one for coordinators. Addresses never reach the console: role and hash only.
import { h, field, table, heading, showProblem, clearErrors, status } from './dom.js';
import { t, tv, amsterdam } from './i18n.js';
import { get, api, enc, missingRoute } from './api.js';

const view = { status: 'all' };
const statuses = ['all', 'pending', 'sending', 'sent', 'not-accepted', 'failed', 'uncertain', 'superseded'];

export async function render(root, ctx) {
  root.append(heading(t('remindersTitle')), h('p', { class: 'lead' }, t('remindersLead')));
  if (!ctx.cycleId) { root.append(h('p', null, t('noCycles'))); return; }
  const { data } = await get(`cycles/${enc(ctx.cycleId)}/reminders`);
  const rows = Array.isArray(data) ? data : data.entries || [];
  const filter = field({ label: t('ledgerStatus'), type: 'select', name: 'status', value: view.status, options: statuses.map(s => ({ value: s, label: tv('ledger', s) })) });
  const list = h('div', null);
  filter.control.addEventListener('change', e => { view.status = e.target.value; draw(); });
  root.append(h('div', { class: 'filters' }, filter), list);

  function draw() {
    const shown = rows.filter(r => view.status === 'all' || r.status === view.status);
    const columns = [
      { label: t('signatory'), header: true, cell: r => h('a', { href: `#signatory/${enc(r.signatoryId)}` }, r.signatoryId) },
      { label: t('stage'), cell: r => r.stage },
      { label: t('recipient'), cell: r => r.role },
      { label: t('ledgerStatus'), cell: r => tv('ledger', r.status) },
      { label: t('attempts'), cell: r => r.attempts },
      { label: t('claimed'), cell: r => amsterdam(r.claimedAt) },
      { label: t('lastAttempt'), cell: r => r.lastAttemptAt ? amsterdam(r.lastAttemptAt) : '–' },
      { label: t('sent'), cell: r => r.sentAt ? amsterdam(r.sentAt) : '–' },
      { label: t('lastResult'), cell: r => r.lastResult || '–' },
    ];
    if (ctx.may('Nap.Coordinator')) columns.push({ label: t('actions'), cell: r => r.status === 'uncertain' || r.status === 'failed' ? retry(r) : '' });
    list.replaceChildren(h('p', { class: 'count' }, t('shown', { n: shown.length })),
      table({ caption: t('ledgerCaption', { cycle: ctx.cycleId }), columns, rows: shown, empty: t('noLedger') }));
  }

  function retry(r) {
    const cell = h('div', { class: 'actions' });
    const button = h('button', { type: 'button', class: 'secondary small', 'data-action': 'retry', 'aria-label': t('retryFor', { id: r.signatoryId, stage: r.stage }) }, t('retry'));
    button.addEventListener('click', async () => {
      clearErrors(cell);
      try {
        // One key per click: a retried request (a double click, a flaky network) sends once.
        await api('POST', `cycles/${enc(ctx.cycleId)}/reminders/${enc(r.id)}/retry`, { headers: { 'Idempotency-Key': crypto.randomUUID() } });
        status(t('retried'));
        await ctx.rerender();
      } catch (e) {
        if (missingRoute(e)) e.detail = t('retryUnavailable');
        showProblem(cell, button, e).focus();
      }
    });
    cell.append(button);
    return cell;
  }

  draw();
}
