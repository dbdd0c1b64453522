// Erasure of a person (Nap.Admin), at the bottom of the Registry panel: an address, an explicit confirmation naming
// it, then POST /api/privacy/erasures. The address lives only in the field and this closure: never in the URL (the
// field has no name, so no form submission can carry it), never in localStorage; the field is emptied once erased.
import { h, field, showProblem, clearErrors, status } from './dom.js';
import { t } from './i18n.js';
import { api } from './api.js';

// The counts of the last erasure, shown once after the panel reloads its list (counts only, never the address).
let lastResult = null;

export function erasureForm(ctx) {
  const email = field({ label: t('erasureEmail'), type: 'email', pointer: '/email', hint: t('erasureHint'),
    attrs: { autocomplete: 'off', spellcheck: 'false', 'data-action': 'erasure-email' } });
  const check = h('button', { type: 'submit', class: 'warning', 'data-action': 'erase' }, t('eraseCheck'));
  const confirmBox = h('div', { class: 'erasure-confirm', hidden: true });
  const result = h('div', { class: 'erasure-result' });
  const form = h('form', { class: 'erasure', novalidate: true, 'aria-labelledby': 'erasure-title' },
    h('h2', { id: 'erasure-title' }, t('erasureTitle')), h('p', null, t('erasureLead')), email,
    h('div', { class: 'buttons' }, check), confirmBox, result);
  let pending = null;

  const cancel = () => { pending = null; confirmBox.hidden = true; confirmBox.replaceChildren(); };
  // A changed address needs its own confirmation: nothing is erased that the admin did not see named.
  email.control.addEventListener('input', cancel);

  form.addEventListener('submit', e => {
    e.preventDefault();
    clearErrors(form);
    result.replaceChildren();
    const address = email.control.value.trim();
    if (!address) {
      showProblem(form, result, { status: 422, title: t('failed'), errors: [{ pointer: '/email', detail: t('erasureEmailRequired') }] });
      email.control.focus();
      return;
    }
    pending = address;
    const question = h('p', { class: 'problem-title', id: 'erasure-question', tabindex: '-1' }, t('erasureQuestion', { email: address }));
    const yes = h('button', { type: 'button', class: 'warning', 'data-action': 'erase-confirm', 'aria-describedby': 'erasure-question' }, t('eraseConfirm'));
    const no = h('button', { type: 'button', class: 'secondary', 'data-action': 'erase-cancel', onclick: () => { cancel(); email.control.focus(); } }, t('cancel'));
    yes.addEventListener('click', () => erase(yes));
    confirmBox.replaceChildren(question, h('div', { class: 'buttons' }, yes, no));
    confirmBox.hidden = false;
    question.focus();
  });

  async function erase(button) {
    if (!pending) return;
    const address = pending;
    button.disabled = true;
    clearErrors(form);
    try {
      const { data } = await api('POST', 'privacy/erasures', { body: { email: address } });
      cancel();
      email.control.value = '';
      lastResult = data;
      status(t('erased'));
      await ctx.rerender();
      const shown = document.querySelector('form.erasure .erasure-result .success');
      if (shown) shown.focus();
    } catch (err) {
      cancel();
      showProblem(form, result, err);
      (form.querySelector('[aria-invalid=true]') || result.querySelector('.problem') || email.control).focus();
    }
  }

  if (lastResult) {
    result.append(counts(lastResult));
    lastResult = null;
  }
  return form;
}

function counts(r) {
  const n = x => Number(x ?? 0);
  return h('div', { class: 'success', role: 'status', tabindex: '-1' },
    h('p', null, t('erased')),
    h('ul', null,
      h('li', { 'data-count': 'registryContacts' }, t('erasedRegistry', { n: n(r.registryContacts) })),
      h('li', { 'data-count': 'submissionContacts' }, t('erasedSubmissions', { n: n(r.submissionContacts) })),
      h('li', { 'data-count': 'drafts' }, t('erasedDrafts', { n: n(r.drafts) })),
      h('li', { 'data-count': 'ledgerRows' }, t('erasedLedger', { n: n(r.ledgerRows) })),
      h('li', { 'data-count': 'linkRequestRows' }, t('erasedLinks', { n: n(r.linkRequestRows) }))));
}
