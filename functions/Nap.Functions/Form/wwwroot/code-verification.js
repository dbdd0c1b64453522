/* The one-time code: when the stored report or draft has confidential parts, the server sends them only with a
   verified session. This asks for a code (emailed to the contact the link was sent to), checks it, and keeps the
   session token in sessionStorage (gone when the tab closes; the server ends it after 8 hours at most). The code and
   the token are never put in the URL or logged. */
(function () {
  'use strict';
  var F = window.NapForm;
  if (!F) return;
  var S = F.S, t = F.t, h = F.h, $ = F.$;
  var KEY = 'nap-session';

  var TEXT = {
    nl: {
      'verify.title': 'Bevestig dat u het bent',
      'verify.intro': 'Uw rapportage bevat vertrouwelijke onderdelen. Voordat het formulier ze toont, sturen wij een code van 6 cijfers naar het e-mailadres waarnaar deze link is gestuurd.',
      'verify.send': 'Code sturen',
      'verify.resend': 'Nieuwe code sturen',
      'verify.sent': 'Wij hebben een code gestuurd. Hij werkt 10 minuten en één keer. Kijk ook bij ongewenste e-mail.',
      'verify.label': 'Code (6 cijfers)',
      'verify.hint': 'Bijvoorbeeld 123456.',
      'verify.confirm': 'Bevestigen',
      'verify.sending': 'De code wordt gestuurd…',
      'verify.checking': 'De code wordt gecontroleerd…',
      'verify.done': 'Bevestigd. Het formulier wordt geladen.',
      'verify.format': 'Vul de 6 cijfers van de code in.',
      'verify.wrong': 'Deze code klopt niet. U kunt het nog {n} keer proberen.',
      'verify.locked': 'U heeft te vaak een verkeerde code ingevuld. Deze code werkt niet meer; vraag een nieuwe code aan.',
      'verify.expired': 'Deze code is verlopen. Vraag een nieuwe code aan.',
      'verify.noCode': 'Vraag eerst een code aan.',
      'verify.tooMany': 'U heeft te vaak om een code gevraagd. Probeer het over {minutes} minuten opnieuw.',
      'verify.notSent': 'De code kon niet worden verstuurd. Probeer het over een minuut opnieuw.',
      'verify.failed': 'Er ging iets mis. Probeer het opnieuw.',
      'verify.why': 'Zo ziet alleen wie bij dit e-mailadres kan de vertrouwelijke onderdelen, ook als iemand anders de link in handen krijgt. Een nieuwe versie verzenden kan altijd.'
    },
    en: {
      'verify.title': 'Confirm it is you',
      'verify.intro': 'Your report has confidential parts. Before the form shows them, we send a 6-digit code to the email address this link was sent to.',
      'verify.send': 'Send code',
      'verify.resend': 'Send a new code',
      'verify.sent': 'We have sent a code. It works once, for 10 minutes. Please also check your junk mail.',
      'verify.label': 'Code (6 digits)',
      'verify.hint': 'For example 123456.',
      'verify.confirm': 'Confirm',
      'verify.sending': 'Sending the code…',
      'verify.checking': 'Checking the code…',
      'verify.done': 'Confirmed. The form is loading.',
      'verify.format': 'Enter the 6 digits of the code.',
      'verify.wrong': 'That is not the code. You can try {n} more time(s).',
      'verify.locked': 'The code was entered wrongly too often. It no longer works; ask for a new code.',
      'verify.expired': 'This code has expired. Ask for a new code.',
      'verify.noCode': 'Ask for a code first.',
      'verify.tooMany': 'You have asked for a code too often. Try again in {minutes} minutes.',
      'verify.notSent': 'The code could not be sent. Try again in a minute.',
      'verify.failed': 'Something went wrong. Please try again.',
      'verify.why': 'This way only someone who can read that mailbox sees the confidential parts, even if someone else gets hold of the link. Sending a new version is always possible.'
    }
  };
  Object.keys(TEXT).forEach(function (lang) { Object.assign(window.NAP_TEXT[lang], TEXT[lang]); });

  // A session belongs to the link it was verified with (the link's last characters tell them apart in this tab).
  function linkTag() { return S.token ? S.token.slice(-24) : ''; }
  (function restore() {
    try {
      var saved = JSON.parse(sessionStorage.getItem(KEY) || 'null');
      if (saved && saved.link === linkTag() && Date.parse(saved.expiresAt) > Date.now()) S.session = saved.token;
      else sessionStorage.removeItem(KEY);
    } catch (e) { /* storage disabled: the code is asked for again after a reload */ }
  })();

  var panel = null, message = null, sent = false, resolveVerified = null;

  function say(key, params, isError) {
    message.key = key; message.params = params; message.isError = !!isError;
    drawMessage();
  }
  function drawMessage() {
    var p = $('verify-message'), err = $('verify-error'), input = $('verify-code');
    if (!p) return;
    p.textContent = message.key && !message.isError ? t(message.key, message.params) : '';
    err.textContent = '';
    err.hidden = !message.isError;
    input.closest('.field').classList.toggle('has-error', !!message.isError);
    if (message.isError) {
      err.append(h('span', { class: 'visually-hidden', text: t('errorPrefix') + ' ' }), t(message.key, message.params));
      input.setAttribute('aria-invalid', 'true');
    } else input.removeAttribute('aria-invalid');
  }

  function draw() {
    var focusedId = document.activeElement && document.activeElement.id;
    var value = $('verify-code') ? $('verify-code').value : '';
    panel.textContent = '';
    var input = h('input', { id: 'verify-code', type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: '6', spellcheck: 'false', class: 'short', 'aria-describedby': 'verify-code-hint verify-error' });
    input.value = value;
    input.addEventListener('keydown', function (e) { if (e.key === 'Enter') { e.preventDefault(); confirm(); } });
    panel.append(
      h('h2', { id: 'verify-title', tabindex: '-1', text: t('verify.title') }),
      h('p', { text: t('verify.intro') }),
      h('p', { class: 'hint', text: t('verify.why') }),
      h('button', { type: 'button', id: 'verify-send', class: sent ? 'secondary' : 'primary', onclick: send }, t(sent ? 'verify.resend' : 'verify.send')),
      h('p', { id: 'verify-message', class: 'verify-message', role: 'status' }),
      h('div', { class: 'field', hidden: !sent },
        h('label', { for: 'verify-code', text: t('verify.label') }),
        h('p', { class: 'hint', id: 'verify-code-hint', text: t('verify.hint') }),
        h('p', { class: 'error-message', id: 'verify-error', hidden: true }),
        input),
      h('button', { type: 'button', id: 'verify-confirm', class: 'primary', hidden: !sent, onclick: confirm }, t('verify.confirm')));
    drawMessage();
    if (focusedId && $(focusedId)) $(focusedId).focus();
  }

  async function post(path, body) {
    var res = await fetch(F.api(path), { method: 'POST', headers: F.authHeaders({ 'Content-Type': 'application/json' }), body: JSON.stringify(body || {}) });
    var json = {};
    try { json = await res.json(); } catch (e) { /* empty answer */ }
    return { status: res.status, body: json, retryAfter: +(res.headers.get('Retry-After') || 0) };
  }
  function problem(r) { return String((r.body && r.body.type) || '').replace(/^.*:/, ''); }

  async function send() {
    say('verify.sending');
    try {
      var r = await post('/verification');
      if (r.status === 202) {
        sent = true;
        $('verify-code') && ($('verify-code').value = '');
        draw();
        say('verify.sent');
        $('verify-code').focus();
      } else if (r.status === 429) say('verify.tooMany', { minutes: Math.max(1, Math.ceil(r.retryAfter / 60)) }, true);
      else if (r.status === 503) say('verify.notSent', null, true);
      else say('verify.failed', null, true);
    } catch (e) {
      say('verify.failed', null, true);
    }
    if (!sent) $('verify-send').focus();
  }

  async function confirm() {
    var code = $('verify-code').value.replace(/\s+/g, '');
    if (!/^\d{6}$/.test(code)) { say('verify.format', null, true); $('verify-code').focus(); return; }
    say('verify.checking');
    try {
      var r = await post('/verification/confirm', { code: code });
      if (r.status === 200 && r.body.sessionToken) {
        S.session = r.body.sessionToken;
        try { sessionStorage.setItem(KEY, JSON.stringify({ token: r.body.sessionToken, expiresAt: r.body.expiresAt, link: linkTag() })); } catch (e) { /* this page only */ }
        panel.remove();
        F.status(t('verify.done'));
        $('loading').hidden = false;
        resolveVerified();
        return;
      }
      var kind = problem(r);
      var wrong = r.status === 422 && r.body.errors && r.body.errors[0] && r.body.errors[0].code === 'wrong-code';
      if (wrong) say('verify.wrong', { n: r.body.errors[0].max }, true);
      else if (kind === 'code-locked') say('verify.locked', null, true);
      else if (kind === 'code-expired') say('verify.expired', null, true);
      else if (kind === 'no-code') say('verify.noCode', null, true);
      else if (r.status === 422) say('verify.format', null, true);
      else if (r.status === 429) say('verify.tooMany', { minutes: Math.max(1, Math.ceil(r.retryAfter / 60)) }, true);
      else say('verify.failed', null, true);
    } catch (e) {
      say('verify.failed', null, true);
    }
    $('verify-code').focus();
    $('verify-code').select();
  }

  // Called by app.js when the server withheld confidential parts; resolves once a session is verified.
  F.verify = function () {
    S.session = null;
    try { sessionStorage.removeItem(KEY); } catch (e) { /* nothing stored */ }
    message = {};
    panel = h('section', { id: 'verify', class: 'verify', 'aria-labelledby': 'verify-title' });
    $('loading').before(panel);
    draw();
    $('verify-title').focus();
    $('lang-switch').addEventListener('click', function () { if (panel.isConnected) draw(); });
    document.body.setAttribute('data-verify', 'true');
    return new Promise(function (resolve) { resolveVerified = resolve; });
  };
})();
