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

/** The API's diff: added, removed and changed contributions, and the fields that changed (pointer, before, after). */
export function renderDiff(diff, fw) {
  const out = h('div', null, h('p', { class: 'lead' }, t('diffBetween', { from: diff.from, to: diff.to })));
  const list = (key, title, build) => {
    const items = diff[key] || [];
    out.append(h('h4', null, `${title} (${items.length})`));
    out.append(items.length ? h('ul', { class: 'diff-' + key }, items.map(build)) : h('p', null, t('none')));
  };
  const label = c => [h('code', null, c.goal ? `${c.goal}/${c.id}` : c.id || c.pointer || ''), ' ', c.title || ''];
  list('added', t('diffAdded'), c => h('li', { class: 'added' }, label(c)));
  list('removed', t('diffRemoved'), c => h('li', { class: 'removed' }, label(c)));
  list('changed', t('diffChanged'), c => h('li', { class: 'changed' }, label(c),
    (c.fields || c.changes || []).length ? h('ul', null, (c.fields || c.changes).map(f => fieldChange(f))) : null));
  if (diff.changedFields || diff.fields) list(diff.changedFields ? 'changedFields' : 'fields', t('diffFields'), f => fieldChange(f));
  return out;
}

function fieldChange(f) {
  if (typeof f === 'string') return h('li', null, h('code', null, f));
  return h('li', null, h('code', null, f.pointer || f.field || ''), ': ',
    h('del', null, show(f.before ?? f.from)), ' → ', h('ins', null, show(f.after ?? f.to)));
}
