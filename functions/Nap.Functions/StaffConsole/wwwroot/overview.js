// Overview of a cycle: completion per kind, every signatory with its state, sortable and filterable; pause/resume
// reminders and extensions for coordinators; the CSV for Dutch Excel is made by the server (status.csv), so the
// export has the same rows and columns as the API.
import { h, field, table, yesNo, sortRows, heading, showProblem, clearErrors, status } from './dom.js';
import { t, tv, kind, reviewState, amsterdam } from './i18n.js';
import { get, api, enc } from './api.js';
import { openDialog } from './dialog.js';

const view = { filter: 'all', search: '', sort: { key: 'name', dir: 1 } };

export const filters = {
  all: () => true,
  missing: s => !s.submitted,
  late: s => s.late || s.overdue,
  review: s => s.review === 'submitted' || s.review === 'resubmitted',
  returned: s => s.review === 'returned',
};

export async function render(root, ctx) {
  root.append(heading(t('overviewTitle')));
  if (!ctx.cycleId) { root.append(h('p', null, t('noCycles'))); return; }
  const { data: report } = await get(`cycles/${enc(ctx.cycleId)}/status`);
  const rows = report.signatories.map(s => ({
    ...s, id: s.signatoryId, kindLabel: kind(s.kind), reviewLabel: s.review ? reviewState(s.review) : '',
    extended: !!s.extension, lastReminder: s.lastReminderSent || null, received: s.receivedAt || null,
  }));

  root.append(h('p', { class: 'lead' }, t('overviewLead', { cycle: report.cycleId, deadline: amsterdam(report.deadline), submitted: report.submitted, expected: report.expected, late: report.late, missing: report.missing })));
  root.append(table({
    caption: t('completionCaption'),
    columns: [
      { label: t('kind'), header: true, cell: k => kind(k.kind) },
      { label: t('expected'), cell: k => k.expected },
      { label: t('submittedCount'), cell: k => k.submitted },
      { label: t('percent'), cell: k => h('span', null, `${k.percent} %`, h('span', { class: 'bar', 'aria-hidden': 'true' }, h('span', { class: 'bar-fill p' + Math.round(Number(k.percent) / 10) * 10 }))) },
    ],
    rows: report.byKind,
  }));

  const list = h('div', { id: 'signatory-list' });
  const filterSelect = field({ label: t('show'), type: 'select', name: 'filter', value: view.filter,
    options: Object.keys(filters).map(k => ({ value: k, label: tv('filter', k) })) });
  const search = field({ label: t('searchName'), type: 'search', name: 'search', value: view.search });
  filterSelect.control.addEventListener('change', e => { view.filter = e.target.value; draw(); status(t('shown', { n: shown().length })); });
  search.control.addEventListener('input', e => { view.search = e.target.value; draw(); });
  const exportLink = h('a', { class: 'button-link', href: `/api/cycles/${enc(report.cycleId)}/status.csv`, download: '' }, t('exportCsv'));
  root.append(h('h2', null, t('signatories')),
    h('div', { class: 'filters' }, filterSelect, search, h('p', { class: 'export' }, exportLink)),
    list);

  function shown() {
    const q = view.search.trim().toLowerCase();
    return sortRows(rows.filter(filters[view.filter]).filter(s => !q || s.name.toLowerCase().includes(q) || s.id.includes(q)), view.sort.key, view.sort.dir);
  }

  function draw() {
    const columns = [
      { key: 'name', label: t('name'), sortable: true, header: true, cell: s => h('a', { href: `#signatory/${enc(s.id)}` }, s.name) },
      { key: 'kindLabel', label: t('kind'), sortable: true, cell: s => s.kindLabel },
      { key: 'submitted', label: t('submitted'), sortable: true, cell: s => yesNo(s.submitted) },
      { key: 'version', label: t('version'), sortable: true, cell: s => s.version ?? '–' },
      { key: 'received', label: t('received'), sortable: true, cell: s => s.receivedAt ? amsterdam(s.receivedAt) : '–' },
      { key: 'late', label: t('late'), sortable: true, cell: s => s.late ? t('yes') : s.overdue ? t('overdue') : t('no') },
      { key: 'reviewLabel', label: t('review'), sortable: true, cell: s => s.reviewLabel || '–' },
      { key: 'remindersPaused', label: t('paused'), sortable: true, cell: s => yesNo(s.remindersPaused) },
      { key: 'deadline', label: t('deadline'), sortable: true, cell: s => [amsterdam(s.deadline), s.extended ? h('span', { class: 'tag' }, ' ' + t('extended')) : null] },
      { key: 'lastReminder', label: t('lastReminder'), sortable: true, cell: s => s.lastReminder ? amsterdam(s.lastReminder) : '–' },
    ];
    if (ctx.may('Nap.Coordinator')) columns.push({ label: t('actions'), cell: s => actions(s) });
    const rowsShown = shown();
    list.replaceChildren(
      h('p', { class: 'count', 'aria-live': 'polite' }, t('shown', { n: rowsShown.length })),
      table({ caption: t('signatoriesCaption', { cycle: report.cycleId }), columns, rows: rowsShown, sort: view.sort, empty: t('noneMatch'),
        onSort: key => {
          view.sort = { key, dir: view.sort.key === key ? -view.sort.dir : 1 };
          draw();
          list.querySelector(`button.sort[data-key="${key}"]`).focus();
        } }));
  }

  function actions(s) {
    const cell = h('div', { class: 'actions' });
    const pause = h('button', { type: 'button', class: 'secondary small', 'data-action': 'pause', 'aria-label': t(s.remindersPaused ? 'resumeFor' : 'pauseFor', { name: s.name }) },
      t(s.remindersPaused ? 'resume' : 'pause'));
    pause.addEventListener('click', async () => {
      clearErrors(cell);
      pause.setAttribute('aria-disabled', 'true');
      try {
        await api('PUT', `cycles/${enc(report.cycleId)}/signatories/${enc(s.id)}/reminders`, { body: { paused: !s.remindersPaused } });
        status(t(s.remindersPaused ? 'resumed' : 'pausedDone', { name: s.name }));
        await ctx.rerender();
      } catch (e) {
        pause.removeAttribute('aria-disabled');
        showProblem(cell, pause, e).focus();
      }
    });
    const extend = h('button', { type: 'button', class: 'secondary small', 'data-action': 'extend', 'aria-label': t('extendFor', { name: s.name }) }, t('extend'));
    extend.addEventListener('click', () => extensionDialog(report, s, ctx));
    cell.append(pause, extend);
    return cell;
  }

  draw();
}

function extensionDialog(report, s, ctx) {
  openDialog(t('extendTitle', { name: s.name }), (body, close) => {
    const deadline = field({ label: t('newDeadline'), type: 'datetime-local', name: 'deadline', pointer: '/deadline', required: true,
      value: s.extension || '', hint: t('newDeadlineHint', { deadline: amsterdam(report.deadline) }) });
    const form = h('form', { novalidate: true }, deadline,
      h('div', { class: 'buttons' },
        h('button', { type: 'submit', class: 'primary' }, t('save')),
        s.extended ? h('button', { type: 'button', class: 'warning', 'data-action': 'remove', onclick: () => send(null) }, t('removeExtension')) : null,
        h('button', { type: 'button', class: 'secondary', onclick: close }, t('cancel'))));
    form.addEventListener('submit', e => { e.preventDefault(); send(deadline.control.value || ''); });
    body.append(form);
    async function send(value) {
      clearErrors(form);
      try {
        await api('PUT', `cycles/${enc(report.cycleId)}/signatories/${enc(s.id)}/extension`, { body: { deadline: value } });
        close();
        status(t('extensionSaved', { name: s.name }));
        await ctx.rerender();
      } catch (e) {
        showProblem(form, form, e).focus();
        const invalid = form.querySelector('[aria-invalid=true]');
        if (invalid) invalid.focus();
      }
    }
  });
}
