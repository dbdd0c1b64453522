// Cycles (Nap.Admin): open a cycle, edit its deadline, reminder offsets and late policy (If-Match), close it.
import { h, field, table, heading, showProblem, clearErrors, status } from './dom.js';
import { t, tv } from './i18n.js';
import { get, api, enc, missingRoute } from './api.js';
import { openDialog } from './dialog.js';

export async function render(root, ctx) {
  root.append(heading(t('cyclesTitle')));
  if (!ctx.may('Nap.Admin')) { root.append(h('p', null, t('needsAdmin'))); return; }
  const { data } = await get('cycles');
  root.append(h('div', { class: 'buttons' }, h('button', { type: 'button', class: 'primary', 'data-action': 'open-cycle', onclick: () => cycleDialog(ctx, null) }, t('openCycle'))));
  root.append(table({
    caption: t('cyclesCaption'),
    columns: [
      { label: 'Id', header: true, cell: c => c.id },
      { label: t('period'), cell: c => `${c.periodStart} – ${c.periodEnd}` },
      { label: t('opensOn'), cell: c => c.opensOn },
      { label: t('deadline'), cell: c => String(c.deadline).slice(0, 16).replace('T', ' ') },
      { label: t('reminderOffsets'), cell: c => (c.reminderOffsetsDays || []).join(', ') },
      { label: t('acceptLate'), cell: c => c.acceptLate ? t('yes') : t('no') },
      { label: t('cycleState'), cell: c => tv('cycleStatus', c.status) },
      { label: t('actions'), cell: c => actions(ctx, c) },
    ],
    rows: [...data].sort((a, b) => String(b.id).localeCompare(String(a.id))),
  }));
}

function actions(ctx, c) {
  const cell = h('div', { class: 'actions' });
  cell.append(h('button', { type: 'button', class: 'secondary small', 'data-action': 'edit-cycle', 'aria-label': t('editCycle', { id: c.id }), onclick: () => cycleDialog(ctx, c.id) }, t('edit')));
  if (c.status === 'open') {
    const close = h('button', { type: 'button', class: 'warning small', 'data-action': 'close-cycle', 'aria-label': t('closeCycleFor', { id: c.id }) }, t('closeCycle'));
    close.addEventListener('click', async () => {
      clearErrors(cell);
      try {
        const { etag } = await get(`cycles/${enc(c.id)}`);
        await api('POST', `cycles/${enc(c.id)}/close`, { etag });
        status(t('cycleClosed', { id: c.id }));
        await ctx.rerender();
      } catch (e) {
        if (missingRoute(e)) e.detail = t('cyclesUnavailable');
        showProblem(cell, close, e).focus();
      }
    });
    cell.append(close);
  }
  return cell;
}

async function cycleDialog(ctx, id) {
  let current = { id: '', periodStart: '', periodEnd: '', opensOn: '', deadline: '', reminderOffsetsDays: [14, 7, 1], overdueOffsetsDays: [3, 10], acceptLate: true };
  let etag = null;
  if (id) {
    try {
      const r = await get(`cycles/${enc(id)}`);
      current = r.data.cycle || r.data;
      etag = r.etag;
    } catch (e) {
      const panel = document.querySelector('#content .panel');
      if (missingRoute(e)) e.detail = t('cyclesUnavailable');
      showProblem(panel, panel.querySelector('h1'), e).focus();
      return;
    }
  }
  openDialog(id ? t('editCycle', { id }) : t('openCycle'), (body, close) => {
    const f = {
      id: field({ label: 'Id', name: 'id', value: current.id, pointer: '/id', hint: t('cycleIdHint'), attrs: id ? { readonly: true } : {} }),
      periodStart: field({ label: t('periodStart'), type: 'date', name: 'periodStart', value: current.periodStart, pointer: '/periodStart' }),
      periodEnd: field({ label: t('periodEnd'), type: 'date', name: 'periodEnd', value: current.periodEnd, pointer: '/periodEnd' }),
      opensOn: field({ label: t('opensOn'), type: 'date', name: 'opensOn', value: current.opensOn, pointer: '/opensOn' }),
      deadline: field({ label: t('deadline'), type: 'datetime-local', name: 'deadline', value: String(current.deadline || '').slice(0, 16), pointer: '/deadline', hint: t('amsterdamTime') }),
      reminderOffsetsDays: field({ label: t('reminderOffsets'), name: 'reminderOffsetsDays', value: (current.reminderOffsetsDays || []).join(', '), pointer: '/reminderOffsetsDays', hint: t('offsetsHint') }),
      overdueOffsetsDays: field({ label: t('overdueOffsets'), name: 'overdueOffsetsDays', value: (current.overdueOffsetsDays || []).join(', '), pointer: '/overdueOffsetsDays', hint: t('overdueHint') }),
    };
    const late = h('div', { class: 'check', 'data-pointer': '/acceptLate' }, h('input', { type: 'checkbox', id: 'accept-late', checked: current.acceptLate !== false }), h('label', { for: 'accept-late' }, t('acceptLate')));
    const form = h('form', { novalidate: true }, Object.values(f), late,
      h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, t('save')), h('button', { type: 'button', class: 'secondary', onclick: close }, t('cancel'))));
    const days = v => v.split(/[ ,;]+/).filter(Boolean).map(Number);
    form.addEventListener('submit', async e => {
      e.preventDefault();
      clearErrors(form);
      const payload = {
        id: f.id.control.value.trim(), periodStart: f.periodStart.control.value, periodEnd: f.periodEnd.control.value, opensOn: f.opensOn.control.value,
        deadline: f.deadline.control.value, reminderOffsetsDays: days(f.reminderOffsetsDays.control.value), overdueOffsetsDays: days(f.overdueOffsetsDays.control.value),
        acceptLate: late.querySelector('input').checked,
      };
      try {
        if (id) await api('PUT', `cycles/${enc(id)}`, { body: payload, etag });
        else await api('POST', 'cycles', { body: payload });
        close();
        status(t('saved'));
        await ctx.rerender();
      } catch (err) {
        if (missingRoute(err)) err.detail = t('cyclesUnavailable');
        const box = showProblem(form, form, err, { onReload: () => { close(); cycleDialog(ctx, id); } });
        (form.querySelector('[aria-invalid=true]') || box).focus();
      }
    });
    body.append(form);
  }, { wide: true });
}
