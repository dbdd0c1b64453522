// A submission read as a document (goals, contributions, indicator results, narratives) and a diff between two
// versions. Only text nodes: submitted text never becomes markup.
import { h } from './dom.js';
import { t, tv, goalTitle, number } from './i18n.js';

function confidentialTag() { return h('span', { class: 'tag confidential' }, t('confidential')); }

export function renderDocument(submission, fw) {
  const goals = (fw && fw.goals) || [];
  const doc = h('div', null);
  if (submission.contact) doc.append(h('p', null, t('contact') + ': ', submission.contact.name || '–'));
  for (const [code, goal] of Object.entries(submission.goals || {})) {
    const g = goals.find(x => x.code === code);
    const section = h('section', { class: 'goal-doc', 'aria-label': code }, h('h4', null, `${code} ${g ? goalTitle(g) : ''}`));
    for (const c of goal.contributions || []) section.append(contribution(c));
    const narratives = Object.entries(goal.narratives || {});
    if (narratives.length) section.append(h('dl', { class: 'narratives' }, narratives.map(([k, n]) => [
      h('dt', null, tv('narrative', k), n.confidential ? [' ', confidentialTag()] : null),
      h('dd', { class: n.confidential ? 'confidential-text' : null }, n.text || '')])));
    doc.append(section);
  }
  if (!doc.childNodes.length) doc.append(h('p', null, t('emptySubmission')));
  return doc;
}

function contribution(c) {
  return h('article', { class: 'contribution-doc' + (c.confidential ? ' confidential-text' : '') },
    h('h5', null, c.title || c.id || '', c.confidential ? [' ', confidentialTag()] : null),
    h('dl', { class: 'facts' },
      c.id ? [h('dt', null, t('contributionId')), h('dd', null, h('code', null, c.id))] : null,
      c.focus ? [h('dt', null, t('focus')), h('dd', null, [].concat(c.focus).map(f => tv('focus', f)).join(', '))] : null,
      c.countries && c.countries.length ? [h('dt', null, t('countries')), h('dd', null, c.countries.join(', '))] : null,
      c.outcomes && c.outcomes.length ? [h('dt', null, t('outcomes')), h('dd', null, c.outcomes.join(', '))] : null,
      c.budgetSpentEur !== undefined && c.budgetSpentEur !== null ? [h('dt', null, t('budget')), h('dd', null, '€ ' + number(c.budgetSpentEur))] : null,
      c.partners && c.partners.length ? [h('dt', null, t('partners')), h('dd', null, c.partners.join(', '))] : null),
    c.indicatorResults && c.indicatorResults.length ? h('ul', { class: 'indicators' }, c.indicatorResults.map(r =>
      h('li', null, h('code', null, r.indicator), ': ', number(r.value), ' ', r.unit || '', r.target !== undefined && r.target !== null ? ` (${t('target')} ${number(r.target)})` : ''))) : null);
}

function show(v) {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/**
 * The API's diff, contributions matched by their stable id: added, removed, changed (each changed field as a pointer
 * with before and after), changed narratives and contact fields.
 */
export function renderDiff(diff, fw) {
  const goals = (fw && fw.goals) || [];
  const out = h('div', null, h('p', { class: 'lead' }, t('diffBetween', { from: diff.from, to: diff.to })));
  if (diff.withheldConfidential) out.append(h('p', { class: 'notice' }, t('diffWithheld', { n: diff.withheldConfidential })));
  const list = (items, title, cls, build) => {
    out.append(h('h4', null, `${title} (${items.length})`));
    out.append(items.length ? h('ul', { class: 'diff-' + cls }, items.map(build)) : h('p', null, t('none')));
  };
  const label = c => [h('code', null, `${c.goal}/${c.id}`), ' ', c.title || '', c.confidential ? [' ', confidentialTag()] : null];
  list(diff.added || [], t('diffAdded'), 'added', c => h('li', { class: 'added' }, label(c)));
  list(diff.removed || [], t('diffRemoved'), 'removed', c => h('li', { class: 'removed' }, label(c)));
  list(diff.changed || [], t('diffChanged'), 'changed', c => h('li', { class: 'changed' }, label(c),
    (c.fields || []).length ? h('ul', null, c.fields.map(fieldChange)) : null));
  list(diff.narratives || [], t('diffNarratives'), 'narratives', n => {
    const g = goals.find(x => x.code === n.goal);
    return h('li', { class: 'changed' }, h('strong', null, `${n.goal}${g ? ' ' + goalTitle(g) : ''} – ${tv('narrative', n.narrative)}`), n.confidential ? [' ', confidentialTag()] : null,
      h('ul', null, fieldChange({ field: '', before: n.before, after: n.after })));
  });
  if ((diff.contact || []).length) list(diff.contact, t('diffContact'), 'contact', fieldChange);
  return out;
}

function fieldChange(f) {
  return h('li', null, f.field ? [h('code', null, f.field), ': '] : null,
    h('span', { class: 'visually-hidden' }, t('before') + ' '), 'before' in f ? h('del', null, show(f.before)) : '–',
    h('span', { 'aria-hidden': 'true' }, ' → '), h('span', { class: 'visually-hidden' }, ' ' + t('after') + ' '),
    'after' in f ? h('ins', null, show(f.after)) : '–');
}
