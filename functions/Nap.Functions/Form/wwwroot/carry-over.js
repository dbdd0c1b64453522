/* "Start from last year" (carry-over) in the signatories' web form: the offer, the mark on each carried contribution
   with its one-click confirmation, and last year's values read-only beside the new fields. app.js calls start(),
   decorate() and collect(); the rule that a carried contribution is confirmed is the server's ('unconfirmed'), and its
   error lands on the confirmation like any other. Texts only through textContent, as in app.js. */
(function () {
  'use strict';
  var TEXT = window.NAP_TEXT;
  Object.assign(TEXT.nl, {
    'carry.offerTitle': 'Beginnen met wat u vorig jaar rapporteerde?',
    'carry.offerText': 'U kunt deze rapportage beginnen met uw rapportage van de vorige ronde. Titels, beschrijvingen, landen, resultaten (outcomes), partners, links en IATI-id’s worden overgenomen. Cijfers en budgetten niet: die ziet u ter vergelijking naast de nieuwe velden. De verhalen per doel worden niet overgenomen. Daarna bevestigt u per bijdrage dat ze nog loopt, of verwijdert u haar.',
    'carry.offerFrom': 'Vorige ronde:',
    'carry.copyConfidential': 'Ook vertrouwelijke bijdragen overnemen',
    'carry.start': 'Beginnen met vorig jaar',
    'carry.empty': 'Leeg beginnen',
    'carry.starting': 'Uw rapportage van vorig jaar wordt overgenomen…',
    'carry.started': 'Begonnen met {cycle}: {n} bijdrage(n) overgenomen. Bevestig elke bijdrage of verwijder haar.',
    'carry.failed': 'Beginnen met vorig jaar is niet gelukt. Probeer het opnieuw of begin leeg.',
    'carry.mark': 'Overgenomen uit {cycle}',
    'carry.hint': 'Werk deze bijdrage bij voor dit jaar. Loopt ze nog? Bevestig het dan hier; anders verwijdert u haar.',
    'carry.confirm': 'Loopt nog, bijgewerkt – bevestigen',
    'carry.confirmed': 'Bevestigd.',
    'carry.unconfirmed': 'Nog niet bevestigd.',
    'carry.confirmedStatus': '{what}: bevestigd.',
    'carry.unconfirmedStatus': '{what}: bevestiging ingetrokken.',
    'carry.previous': '{cycle}: {value}',
    'err.unconfirmed': 'Deze bijdrage is overgenomen uit een vorige ronde. Bevestig dat ze nog loopt en is bijgewerkt, of verwijder haar.'
  });
  Object.assign(TEXT.en, {
    'carry.offerTitle': 'Start from what you reported last year?',
    'carry.offerText': 'You can start this report from your report of the previous cycle. Titles, descriptions, countries, outcomes, partners, links and IATI ids are copied. Figures and budgets are not: you see them for comparison beside the new fields. The narratives per goal are not copied. Then you confirm for each contribution that it is still running, or remove it.',
    'carry.offerFrom': 'Previous cycle:',
    'carry.copyConfidential': 'Copy confidential contributions too',
    'carry.start': 'Start from last year',
    'carry.empty': 'Start empty',
    'carry.starting': 'Copying your report of last year…',
    'carry.started': 'Started from {cycle}: {n} contribution(s) carried over. Confirm or remove each one.',
    'carry.failed': 'Starting from last year did not work. Try again or start empty.',
    'carry.mark': 'Carried over from {cycle}',
    'carry.hint': 'Update this contribution for this year. Still running? Confirm it here; otherwise remove it.',
    'carry.confirm': 'Still running, updated – confirm',
    'carry.confirmed': 'Confirmed.',
    'carry.unconfirmed': 'Not confirmed yet.',
    'carry.confirmedStatus': '{what}: confirmed.',
    'carry.unconfirmedStatus': '{what}: confirmation withdrawn.',
    'carry.previous': '{cycle}: {value}',
    'err.unconfirmed': 'This contribution was carried over from an earlier cycle. Confirm that it is still running and updated, or remove it.'
  });

  var record = null; // what the server says the carry-over took: {cycle, version, copyConfidential, previous: {id: …}}
  var $ = function (id) { return document.getElementById(id); };
  function say(msg) { var s = $('status'); if (s) s.textContent = msg; }
  function count(sub) {
    var goals = sub && sub.goals || {};
    return Object.keys(goals).reduce(function (n, g) { return n + ((goals[g] || {}).contributions || []).length; }, 0);
  }

  // Before the form is shown: offer "start from last year" when the server says it can (GET draft's carryOverFrom).
  // Resolves once the signatory has chosen; the form is rendered by then (ctx.render).
  function start(view, ctx) {
    // A draft made by carry-over: rendered again, now with last year's figures beside the fields.
    if (view.carryOver && view.draft) { record = view.carryOver; ctx.render(ctx.content); }
    if (view.draft || ctx.hasSubmission || ctx.readOnly || !view.carryOverFrom) return Promise.resolve();
    var h = ctx.h, t = ctx.t;
    return new Promise(function (resolve) {
      var message = h('p', { class: 'alert', id: 'carry-error', role: 'alert', hidden: true });
      var copy = h('input', { id: 'carry-confidential', type: 'checkbox' });
      var startButton = h('button', { type: 'button', class: 'primary', id: 'carry-start', 'data-t': 'carry.start' }, t('carry.start'));
      var emptyButton = h('button', { type: 'button', class: 'secondary', id: 'carry-empty', 'data-t': 'carry.empty' }, t('carry.empty'));
      var panel = h('section', { class: 'carry-offer', id: 'carry-offer', 'aria-labelledby': 'carry-offer-title' },
        h('h2', { id: 'carry-offer-title', tabindex: '-1', 'data-t': 'carry.offerTitle' }, t('carry.offerTitle')),
        h('p', null, h('span', { 'data-t': 'carry.offerFrom' }, t('carry.offerFrom')), ' ', h('strong', { id: 'carry-from', text: view.carryOverFrom })),
        h('p', { 'data-t': 'carry.offerText' }, t('carry.offerText')),
        h('div', { class: 'check' }, copy, h('label', { for: 'carry-confidential', 'data-t': 'carry.copyConfidential' }, t('carry.copyConfidential'))),
        message,
        h('div', { class: 'actions' }, startButton, emptyButton));
      function done(sub) {
        panel.remove();
        if (sub) ctx.render(sub);
        resolve();
        // After the form is shown (start() continues synchronously): focus the page title, announce what happened.
        setTimeout(function () {
          var title = $('title');
          if (title) title.focus();
          if (sub) say(t('carry.started', { cycle: record.cycle, n: count(sub) }));
        }, 0);
      }
      startButton.addEventListener('click', async function () {
        if (startButton.getAttribute('aria-disabled') === 'true') return;
        startButton.setAttribute('aria-disabled', 'true');
        message.hidden = true;
        say(t('carry.starting'));
        try {
          var res = await fetch(ctx.api('/draft/carry-over'), {
            method: 'POST', headers: ctx.authHeaders({ 'Content-Type': 'application/json' }),
            body: JSON.stringify({ copyConfidential: copy.checked })
          });
          if (res.status !== 200 && res.status !== 201) throw new Error('carry-over ' + res.status);
          var body = await res.json();
          record = body.carryOver;
          done(body.draft.submission);
        } catch (e) {
          say('');
          message.textContent = t('carry.failed');
          message.hidden = false;
          startButton.removeAttribute('aria-disabled');
        }
      });
      emptyButton.addEventListener('click', function () { done(null); });
      $('loading').hidden = true;
      $('report').before(panel);
      document.body.setAttribute('data-ready', 'true');
      $('carry-offer-title').focus();
    });
  }

  function formatValue(r, ui) {
    if (typeof r.value !== 'number') return String(r.value === undefined || r.value === null ? '' : r.value);
    var locale = document.documentElement.lang === 'en' ? 'en-GB' : 'nl-NL';
    var s = r.value.toLocaleString(locale) + (r.unit ? ' ' + ui.unitName(r.unit) : '');
    return typeof r.target === 'number' ? s + ' (' + ui.t('targetShort') + ' ' + r.target.toLocaleString(locale) + ')' : s;
  }

  // Read-only, beside the field and in its description, so a screen reader hears last year's figure with the new one.
  function showPrevious(field, input, text, ui) {
    if (!field) return;
    var id = (input && input.id ? input.id : field.getAttribute('data-pointer').replace(/[^A-Za-z0-9_-]/g, '_')) + '-previous';
    var p = ui.h('p', { class: 'previous', id: id, text: text });
    var before = field.querySelector(':scope > .error-message') || field.firstChild;
    field.insertBefore(p, before);
    if (input) input.setAttribute('aria-describedby', ((input.getAttribute('aria-describedby') || '') + ' ' + id).trim());
  }

  // A carried contribution gets its mark, the confirmation (pointer …/confirmed, where 'unconfirmed' is reported) and
  // last year's figures beside the fields.
  function decorate(fs, c, ui) {
    var from = c.carriedOver;
    if (!from || typeof from !== 'object' || typeof from.cycle !== 'string') return;
    var h = ui.h, t = ui.t, confirmed = c.confirmed === true;
    fs.setAttribute('data-carried-cycle', from.cycle);
    fs.setAttribute('data-carried-version', String(from.version));
    fs.setAttribute('data-confirmed', String(confirmed));
    fs.classList.add('carried');
    var id = ui.fid(ui.base + '/confirmed');
    var state = h('p', { class: 'carry-state', id: id + '-state', text: confirmed ? t('carry.confirmed') : t('carry.unconfirmed') });
    var button = h('button', { type: 'button', class: 'secondary confirm-carried', id: id + '-button', 'aria-pressed': String(confirmed), 'aria-describedby': id + '-state' }, t('carry.confirm'));
    button.addEventListener('click', function () {
      var now = fs.getAttribute('data-confirmed') !== 'true';
      fs.setAttribute('data-confirmed', String(now));
      button.setAttribute('aria-pressed', String(now));
      state.textContent = now ? t('carry.confirmed') : t('carry.unconfirmed');
      button.dispatchEvent(new Event('change', { bubbles: true })); // the form saves the draft on change
      say(t(now ? 'carry.confirmedStatus' : 'carry.unconfirmedStatus', { what: ui.ctx })); // after the form's "not saved yet"
    });
    var box = h('fieldset', { class: 'group carry-confirm', id: id, tabindex: '-1', 'data-pointer': ui.base + '/confirmed', 'data-label': ui.ctx + ' – ' + t('carry.mark', { cycle: from.cycle }), 'aria-describedby': id + '-hint' },
      h('legend', { text: t('carry.mark', { cycle: from.cycle }) }),
      h('p', { class: 'hint', id: id + '-hint', text: t('carry.hint') }),
      h('p', { class: 'error-message', id: id + '-error', hidden: true }),
      button, state);
    fs.insertBefore(box, fs.querySelector('[data-role="title"]'));

    var previous = record && record.previous && record.previous[c.id];
    if (!previous) return;
    var cycle = record.cycle;
    (previous.indicatorResults || []).forEach(function (r) {
      var row = fs.querySelector('.indicator[data-indicator="' + String(r.indicator).replace(/["\\]/g, '') + '"]');
      if (!row) return;
      var input = row.querySelector('[data-part="value"] input, [data-part="value"] textarea');
      var p = h('p', { class: 'previous', id: (input ? input.id : ui.fid(ui.base + '/' + r.indicator)) + '-previous', text: t('carry.previous', { cycle: cycle, value: formatValue(r, ui) }) });
      row.querySelector('.indicator-title').after(p);
      if (input) input.setAttribute('aria-describedby', ((input.getAttribute('aria-describedby') || '') + ' ' + p.id).trim());
    });
    if (typeof previous.budgetSpentEur === 'number') {
      var field = fs.querySelector('[data-pointer="' + ui.base + '/budgetSpentEur"]');
      var locale = document.documentElement.lang === 'en' ? 'en-GB' : 'nl-NL';
      showPrevious(field, field && field.querySelector('input'), t('carry.previous', { cycle: cycle, value: '€ ' + previous.budgetSpentEur.toLocaleString(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }) }), ui);
    }
  }

  // What collect() sends for a carried contribution: where it came from, and whether it is confirmed.
  function collect(fs, c) {
    var cycle = fs.getAttribute('data-carried-cycle');
    if (!cycle) return;
    c.carriedOver = { cycle: cycle, version: Number(fs.getAttribute('data-carried-version')) };
    c.confirmed = fs.getAttribute('data-confirmed') === 'true';
  }

  window.NapCarryOver = { start: start, decorate: decorate, collect: collect };
})();
