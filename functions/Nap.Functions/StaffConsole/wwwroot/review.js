// The review dialog: accept the latest version, or return it with a reason, comments per section (goal, contribution,
// narrative; for the signatory or internal) and a revision deadline. Sends If-Match with the review's ETag.
import { h, field, showProblem, clearErrors, status } from './dom.js';
import { t, tv, goalTitle } from './i18n.js';
import { api, enc } from './api.js';
import { openDialog } from './dialog.js';

/** The sections a comment may point at: from the judged version when the console could read it, else the goals. */
export function sections(submission, framework) {
  const goals = (framework && framework.goals) || [];
  if (!submission || !submission.goals) return goals.map(g => ({ pointer: `/goals/${g.code}`, label: `${g.code} ${goalTitle(g)}` }));
  const out = [];
  for (const [code, goal] of Object.entries(submission.goals)) {
    const g = goals.find(x => x.code === code);
    out.push({ pointer: `/goals/${code}`, label: `${code} ${g ? goalTitle(g) : ''}`.trim() });
    for (const c of goal.contributions || []) if (c.id) out.push({ pointer: `/goals/${code}/contributions/${c.id}`, label: `${code} – ${c.title || c.id}` });
    for (const n of Object.keys(goal.narratives || {})) out.push({ pointer: `/goals/${code}/narratives/${n}`, label: `${code} – ${tv('narrative', n)}` });
  }
  return out;
}

export function acceptDialog(ctx, who, review, done) {
  openDialog(t('acceptTitle', { name: who.name, version: review.latestVersion }), (body, close) => {
    const form = h('form', { novalidate: true },
      h('p', null, t('acceptText', { version: review.latestVersion })),
      h('div', { class: 'buttons' },
        h('button', { type: 'submit', class: 'primary', 'data-action': 'confirm-accept' }, t('accept')),
        h('button', { type: 'button', class: 'secondary', onclick: close }, t('cancel'))));
    form.addEventListener('submit', async e => {
      e.preventDefault();
      await send(form, { action: 'accept', version: review.latestVersion }, close);
    });
    body.append(form);
  });

  async function send(form, payload, close) {
    clearErrors(form);
    try {
      await api('POST', `cycles/${enc(ctx.cycleId)}/signatories/${enc(who.id)}/review`, { body: payload, etag: review.etag });
      close();
      status(t('accepted', { name: who.name }));
      await done();
    } catch (err) {
      showProblem(form, form, err, { onReload: () => { close(); done(); } }).focus();
    }
  }
}

export function returnDialog(ctx, who, review, submission, framework, done) {
  openDialog(t('returnTitle', { name: who.name, version: review.latestVersion }), (body, close) => {
    const reason = field({ label: t('reason'), type: 'textarea', name: 'reason', pointer: '/reason', required: true, rows: 4, hint: t('reasonHint'), attrs: { maxlength: 2000 } });
    const deadline = field({ label: t('revisionDeadline'), type: 'datetime-local', name: 'revisionDeadline', pointer: '/revisionDeadline', hint: t('revisionDeadlineHint') });
    const list = sections(submission, framework);
    const commentFields = list.map(s => {
      const text = field({ label: t('commentOn', { section: s.label }), type: 'textarea', name: 'comment', rows: 2, attrs: { maxlength: 2000, 'data-section': s.pointer } });
      const visibility = field({ label: t('visibility'), type: 'select', name: 'visibility', value: 'signatory',
        options: [{ value: 'signatory', label: t('visibleSignatory') }, ...(ctx.may('Nap.Coordinator') ? [{ value: 'internal', label: t('visibleInternal') }] : [])] });
      return { section: s, text, visibility, box: h('div', { class: 'comment' }, text, visibility) };
    });
    const form = h('form', { novalidate: true },
      reason, deadline,
      h('fieldset', { class: 'comments' }, h('legend', null, t('comments')), h('p', { class: 'hint' }, t('commentsHint')), commentFields.map(c => c.box)),
      h('div', { class: 'buttons' },
        h('button', { type: 'submit', class: 'primary', 'data-action': 'confirm-return' }, t('returnSubmit')),
        h('button', { type: 'button', class: 'secondary', onclick: close }, t('cancel'))));
    form.addEventListener('submit', async e => {
      e.preventDefault();
      const used = commentFields.filter(c => c.text.control.value.trim());
      // Each sent comment's errors (/comments/{i}/…) land under its own text field.
      used.forEach((c, i) => { c.text.setAttribute('data-pointer', `/comments/${i}`); });
      commentFields.filter(c => !used.includes(c)).forEach(c => c.text.removeAttribute('data-pointer'));
      const payload = {
        action: 'return', version: review.latestVersion, reason: reason.control.value,
        comments: used.map(c => ({ pointer: c.section.pointer, text: c.text.control.value, visibility: c.visibility.control.value })),
      };
      if (deadline.control.value) payload.revisionDeadline = deadline.control.value;
      clearErrors(form);
      try {
        await api('POST', `cycles/${enc(ctx.cycleId)}/signatories/${enc(who.id)}/review`, { body: payload, etag: review.etag });
        close();
        status(t('returned', { name: who.name }));
        await done();
      } catch (err) {
        const box = showProblem(form, form, err, { onReload: () => { close(); done(); } });
        const invalid = form.querySelector('[aria-invalid=true]');
        (invalid || box).focus();
      }
    });
    body.append(form);
  }, { wide: true });
}
