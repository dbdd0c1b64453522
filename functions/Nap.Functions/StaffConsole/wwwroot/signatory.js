// One signatory in the chosen cycle: where it stands, its review (accept / return) and its submission as a document,
// with its versions and a diff between any two. Confidential parts arrive only for Nap.Confidential (the API withholds
// them otherwise) and are marked as such.
import { h, field, heading, showProblem, table } from './dom.js';
import { t, tv, amsterdam, reviewState, kind } from './i18n.js';
import { get, enc, missingRoute } from './api.js';
import { acceptDialog, returnDialog } from './review.js';
import { renderDocument, renderDiff } from './document.js';

let frameworkCache = null;
async function framework() {
  if (!frameworkCache) frameworkCache = (await get('framework')).data;
  return frameworkCache;
}

export async function render(root, ctx) {
  const id = ctx.args[0];
  const { data: report } = await get(`cycles/${enc(ctx.cycleId)}/status`);
  const s = report.signatories.find(x => x.signatoryId === id);
  if (!s) {
    root.append(heading(t('unknownSignatory')), h('p', null, t('unknownSignatoryText', { id, cycle: ctx.cycleId })), h('p', null, h('a', { href: '#overview' }, t('backToOverview'))));
    return;
  }
  const who = { id, name: s.name };
  const fw = await framework().catch(() => null);
  root.append(heading(s.name),
    h('p', null, h('a', { href: '#overview' }, t('backToOverview'))),
    h('dl', { class: 'facts' },
      fact(t('kind'), kind(s.kind)),
      fact(t('cycle'), ctx.cycleId),
      fact(t('submitted'), s.submitted ? t('versionReceived', { version: s.version, at: amsterdam(s.receivedAt) }) : t('no')),
      fact(t('late'), s.late ? t('yes') : s.overdue ? t('overdue') : t('no')),
      fact(t('deadline'), amsterdam(s.deadline)),
      fact(t('paused'), s.remindersPaused ? t('yes') : t('no'))));

  // The submission first: the review dialog offers its sections for comments.
  const docSection = h('section', { 'aria-labelledby': 'doc-title' }, h('h2', { id: 'doc-title' }, t('submission')));
  let latest = null;
  if (s.submitted) latest = await submissionPanel(docSection, ctx, id, fw);
  else docSection.append(h('p', null, t('notSubmitted')));

  const reviewSection = h('section', { 'aria-labelledby': 'review-title' }, h('h2', { id: 'review-title' }, t('review')));
  try {
    const { data: review, etag } = await get(`cycles/${enc(ctx.cycleId)}/signatories/${enc(id)}/review`);
    review.etag = etag || review.etag;
    reviewPanel(reviewSection, ctx, who, review, latest, fw);
  } catch (e) {
    showProblem(reviewSection, reviewSection, e);
  }
  root.append(reviewSection, docSection);
}

function fact(label, value) { return [h('dt', null, label), h('dd', null, value)]; }

function reviewPanel(section, ctx, who, review, latest, fw) {
  section.append(h('p', { class: 'review-state' }, review.state
    ? t('reviewStateText', { state: reviewState(review.state), version: review.version, latest: review.latestVersion })
    : t('nothingSubmitted')));
  if (review.acceptedVersion) section.append(h('p', null, t('acceptedVersion', { version: review.acceptedVersion })));
  if (review.revisionDeadline) section.append(h('p', null, t('revisionDeadlineIs', { at: amsterdam(review.revisionDeadline) })));
  const canJudge = ctx.may('Nap.Coordinator') && review.state;
  if (canJudge) {
    const rerender = () => ctx.rerender();
    const buttons = h('div', { class: 'buttons' });
    if (review.state === 'submitted' || review.state === 'resubmitted')
      buttons.append(h('button', { type: 'button', class: 'primary', 'data-action': 'accept', onclick: () => acceptDialog(ctx, who, review, rerender) }, t('acceptVersion', { version: review.latestVersion })));
    if (review.state !== 'returned')
      buttons.append(h('button', { type: 'button', class: 'secondary', 'data-action': 'return', onclick: () => returnDialog(ctx, who, review, latest, fw, rerender) }, t('returnVersion', { version: review.latestVersion })));
    section.append(buttons);
  }
  const history = review.history || [];
  section.append(h('h3', null, t('history')));
  if (!history.length) { section.append(h('p', null, t('noHistory'))); return; }
  section.append(h('ol', { class: 'history' }, [...history].reverse().map(e => h('li', null,
    h('p', null, h('strong', null, tv('action', e.action)), ' ', t('historyLine', { version: e.version, at: amsterdam(e.at) })),
    e.reason ? h('p', null, t('reason') + ': ', e.reason) : null,
    e.revisionDeadline ? h('p', null, t('revisionDeadline') + ': ' + String(e.revisionDeadline).slice(0, 16).replace('T', ' ')) : null,
    e.comments && e.comments.length ? h('ul', null, e.comments.map(c => h('li', null, h('code', null, c.pointer), ' ', c.visibility === 'internal' ? h('span', { class: 'tag' }, t('visibleInternal')) : null, ' ', c.text))) : null))));
}

async function submissionPanel(section, ctx, id, fw) {
  const base = `cycles/${enc(ctx.cycleId)}/signatories/${enc(id)}/submissions`;
  let versions;
  try {
    versions = (await get(base)).data.versions;
  } catch (e) {
    if (missingRoute(e)) { section.append(h('p', { class: 'notice', role: 'status' }, t('submissionsUnavailable'))); return null; }
    showProblem(section, section, e);
    return null;
  }
  const wanted = Number(ctx.query.get('version')) || versions[versions.length - 1]?.version;
  section.append(table({
    caption: t('versions'),
    columns: [
      { label: t('version'), header: true, cell: v => v.version === wanted ? h('span', null, v.version, ' ', h('span', { class: 'tag' }, t('shownNow'))) : h('a', { href: `#signatory/${enc(id)}?version=${v.version}` }, t('showVersion', { version: v.version })) },
      { label: t('received'), cell: v => amsterdam(v.received) },
      { label: t('late'), cell: v => v.late ? t('yes') : t('no') },
      { label: t('confidentialParts'), cell: v => v.hasConfidential ? t('yes') : t('no') },
      { label: 'SHA-256', cell: v => h('code', { class: 'hash' }, String(v.sha256 || '').slice(0, 12)) },
    ],
    rows: versions,
  }));

  let latest = null;
  const docBox = h('div', { class: 'document' });
  try {
    const { data } = await get(`${base}/${wanted}`);
    latest = wanted === versions[versions.length - 1]?.version ? data.submission : null;
    docBox.append(h('h3', null, t('versionDocument', { version: data.version, at: amsterdam(data.received) })));
    if (data.withheldConfidential) docBox.append(h('p', { class: 'notice' }, t('confidentialWithheld', { n: data.withheldConfidential })));
    docBox.append(renderDocument(data.submission, fw));
  } catch (e) {
    showProblem(docBox, docBox, e);
  }

  if (versions.length > 1) section.append(diffForm(base, versions, fw));
  section.append(docBox);
  return latest;
}

function diffForm(base, versions, fw) {
  const options = versions.map(v => ({ value: v.version, label: String(v.version) }));
  const from = field({ label: t('diffFrom'), type: 'select', name: 'from', value: versions[versions.length - 2].version, options, pointer: '/from' });
  const to = field({ label: t('diffTo'), type: 'select', name: 'to', value: versions[versions.length - 1].version, options, pointer: '/to' });
  const result = h('div', { class: 'diff', 'aria-live': 'polite' });
  const form = h('form', { class: 'diff-form', novalidate: true },
    h('h3', null, t('compare')), h('div', { class: 'inline' }, from, to, h('button', { type: 'submit', class: 'secondary', 'data-action': 'diff' }, t('showDiff'))), result);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    result.replaceChildren();
    try {
      const { data } = await get(`${base}/diff?from=${enc(from.control.value)}&to=${enc(to.control.value)}`);
      result.append(renderDiff(data, fw));
    } catch (err) {
      showProblem(form, result, err);
    }
  });
  return form;
}
