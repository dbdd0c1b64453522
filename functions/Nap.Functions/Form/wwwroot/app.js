/* The signatories' web form. Vanilla JS, no dependencies. Every piece of submitted or typed text reaches the page
   only through textContent / value (never innerHTML), so a report containing markup stays inert. */
(function () {
  'use strict';
  var TEXT = window.NAP_TEXT;
  var S = {
    token: null, cycleId: null, lang: 'nl', framework: null, limits: null, countries: [], countryByCode: {}, countrySet: new Set(),
    signatory: null, cycle: null, version: 0, dirty: false, changeSeq: 0, saveTimer: 0, firstDirtyAt: 0,
    savePromise: null, saveAgain: false, lastAttempt: null, submitting: false, shownErrors: null, sent: null,
    readOnly: false, staleDraft: null, latest: null, savedAtLocal: null
  };
  var $ = function (id) { return document.getElementById(id); };
  // Feature modules (review.js, code-verification.js …) use these helpers and listen for nap:* events on document.
  function emit(name, detail) { document.dispatchEvent(new CustomEvent('nap:' + name, { detail: detail })); }
  var SAVE_AFTER_MS = 3000, SAVE_AT_LEAST_EVERY_MS = 15000;

  // ---------- text ----------
  function t(key, params) {
    var s = TEXT[S.lang][key];
    if (s === undefined) s = TEXT.nl[key];
    if (s === undefined) return key;
    return s.replace(/\{(\w+)\}/g, function (m, k) { return params && params[k] !== undefined ? String(params[k]) : m; });
  }
  function title(o) { return o.title ? (S.lang === 'en' ? o.title.en : o.title.nl) : o.code; }
  function countryName(code) {
    var c = S.countryByCode[code];
    return c ? (S.lang === 'en' ? c.name.en : c.name.nl) : code;
  }
  var MONTHS = {
    nl: ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'],
    en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
  };
  // The server sends Amsterdam wall-clock time ("2027-03-31T17:00:00+02:00"); shown as it is, whatever the device's zone.
  function fmtLocal(s) {
    var m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(s || '');
    if (!m) return s || '';
    var day = String(+m[3]), month = MONTHS[S.lang][+m[2] - 1];
    return (S.lang === 'en' ? day + ' ' + month + ' ' + m[1] : day + ' ' + month + ' ' + m[1]) + ', ' + m[4] + ':' + m[5];
  }
  function hhmm(s) { var m = /T(\d{2}:\d{2})/.exec(s || ''); return m ? m[1] : ''; }

  // ---------- DOM ----------
  function h(tag, attrs) {
    var el = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === 'text') el.textContent = v;
      else if (k === 'class') el.className = v;
      else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : v);
    });
    for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }
  function append(el, c) {
    if (c === null || c === undefined || c === false) return;
    if (Array.isArray(c)) c.forEach(function (x) { append(el, x); });
    else el.append(c);
  }
  function fid(key) { return 'f' + key.replace(/[^A-Za-z0-9_-]/g, '_'); }
  function hidden(text) { return h('span', { class: 'visually-hidden', text: text }); }

  function status(msg) { var s = $('status'); if (s.textContent !== msg) s.textContent = msg; }
  function alertBox(msg, action) {
    var a = $('alert');
    a.textContent = '';
    if (!msg) { a.hidden = true; return; }
    a.hidden = false;
    a.append(h('p', { text: msg }));
    if (action) a.append(action);
  }

  // A labelled input or textarea with hint and (hidden) error message. opts.key makes the id; opts.pointer the JSON
  // pointer that errors are matched against (indicator fields get theirs when collected).
  function textField(o) {
    var id = fid(o.key || o.pointer);
    var input = o.multiline
      ? h('textarea', { id: id, rows: o.rows || 4, class: o.cls })
      : h('input', { id: id, type: o.type || 'text', autocomplete: o.autocomplete || 'off', inputmode: o.inputmode, spellcheck: o.type === 'email' ? 'false' : null, class: o.cls });
    if (o.max) input.setAttribute('maxlength', o.max);
    input.value = o.value === undefined || o.value === null ? '' : String(o.value);
    if (o.hint) input.setAttribute('aria-describedby', id + '-hint');
    return h('div', { class: 'field', 'data-pointer': o.pointer, 'data-label': o.summary || o.label, 'data-role': o.role },
      h('label', { for: id, text: o.label }),
      o.hint ? h('p', { class: 'hint', id: id + '-hint', text: o.hint }) : null,
      h('p', { class: 'error-message', id: id + '-error', hidden: true }),
      input);
  }
  function checkbox(o) {
    var id = fid(o.key || o.pointer);
    var input = h('input', { id: id, type: 'checkbox', value: o.value || 'true' });
    input.checked = !!o.checked;
    return h('div', { class: 'field check', 'data-pointer': o.pointer, 'data-label': o.summary || o.label },
      h('p', { class: 'error-message', id: id + '-error', hidden: true }),
      input, h('label', { for: id, text: o.label }));
  }
  function group(o, children) {
    var id = fid(o.pointer);
    var fs = h('fieldset', { class: 'group ' + (o.cls || ''), id: id, 'data-pointer': o.pointer, 'data-label': o.summary || o.legend, 'aria-describedby': o.hint ? id + '-hint' : null },
      h('legend', { text: o.legend }),
      o.hint ? h('p', { class: 'hint', id: id + '-hint', text: o.hint }) : null,
      h('p', { class: 'error-message', id: id + '-error', hidden: true }),
      children);
    return fs;
  }

  // ---------- rendering ----------
  function str(v) { return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : ''; }
  function arr(v) { return Array.isArray(v) ? v : []; }
  function obj(v) { return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {}; }

  function render(sub) {
    sub = obj(sub);
    var host = $('fields');
    host.textContent = '';
    var contact = obj(sub.contact), rules = S.limits;
    host.append(h('fieldset', { class: 'section', id: 'contact', 'data-pointer': '/contact', 'data-label': t('contactLegend'), 'data-section': 'contact' },
      h('legend', null, h('h2', { text: t('contactLegend') })),
      h('p', { class: 'hint', text: t('contactHint') }),
      h('p', { class: 'error-message', id: 'fcontact-error', hidden: true }),
      textField({ pointer: '/contact/name', label: t('name'), value: str(contact.name), autocomplete: 'name', hint: t('maxChars', { max: rules.nameMax }), max: rules.nameMax }),
      textField({ pointer: '/contact/email', label: t('email'), type: 'email', value: str(contact.email), autocomplete: 'email', hint: t('emailHint'), max: rules.emailMax })));
    var goals = obj(sub.goals);
    var wrap = h('div', { class: 'goals', id: 'goals', tabindex: '-1', 'data-pointer': '/goals', 'data-label': t('goalsLabel') },
      h('h2', { class: 'goals-title', text: t('goalsLabel') }),
      h('p', { class: 'hint', text: t('goalsHint') }),
      h('p', { class: 'error-message', id: 'fgoals-error', hidden: true }));
    host.append(wrap);
    S.framework.goals.forEach(function (g) { wrap.append(renderGoal(g, obj(goals[g.code]))); });
    renderCountryList();
    emit('render');
  }

  function renderGoal(g, gd) {
    var base = '/goals/' + g.code;
    var list = h('div', { class: 'contributions' });
    arr(gd.contributions).forEach(function (c, i) { list.append(renderContribution(g, obj(c), i)); });
    var n = obj(gd.narratives), rules = S.limits;
    var narratives = h('fieldset', { class: 'group narratives' },
      h('legend', null, h('h3', { text: t('narrativesLegend', { goal: g.code }) })),
      h('p', { class: 'hint', text: t('narrativesHint') }),
      rules.narrativeKinds.map(function (kind) {
        var nk = obj(n[kind]), p = base + '/narratives/' + kind;
        return h('div', { class: 'narrative' },
          textField({ pointer: p + '/text', label: t('narrative.' + kind), summary: g.code + ' – ' + t('narrative.' + kind), multiline: true, rows: 5, value: str(nk.text), hint: t('narrativeHint.' + kind) + ' ' + t('maxChars', { max: rules.narrativeMax }), max: rules.narrativeMax }),
          checkbox({ pointer: p + '/confidential', label: t('confidential'), summary: g.code + ' – ' + t('narrative.' + kind) + ' – ' + t('confidential'), checked: nk.confidential === true }));
      }));
    return h('fieldset', { class: 'section goal', id: 'goal-' + g.code, 'data-pointer': base, 'data-label': g.code + ' ' + title(g), 'data-goal': g.code, 'data-section': g.code },
      h('legend', null, h('h2', { text: g.code + ' ' + title(g) })),
      h('p', { class: 'error-message', id: fid(base) + '-error', hidden: true }),
      h('p', { class: 'hint', text: t('goalHint') }),
      list,
      h('button', { type: 'button', class: 'secondary add-contribution', 'data-goal': g.code, onclick: function () { addContribution(g); } },
        t('addContribution'), hidden(' ' + t('toGoal', { goal: g.code }))),
      narratives);
  }

  function renderContribution(g, c, i) {
    var base = '/goals/' + g.code + '/contributions/' + i, rules = S.limits;
    var ctx = g.code + ', ' + t('contribution') + ' ' + (i + 1);
    var focus = arr(c.focus), outcomes = arr(c.outcomes);
    var results = {};
    arr(c.indicatorResults).forEach(function (r) { r = obj(r); if (typeof r.indicator === 'string' && !results[r.indicator]) results[r.indicator] = r; });
    var countryInput = fid(base + '/countries') + '-input';
    var chips = h('ul', { class: 'chips', 'aria-label': t('chosenCountries') });
    arr(c.countries).forEach(function (code) { if (typeof code === 'string') chips.append(chip(code)); });

    // The id is made once, when the contribution is added, and travels with it through edits and versions.
    var fs = h('fieldset', { class: 'contribution', id: fid(base), 'data-pointer': base, 'data-label': ctx, 'data-id': typeof c.id === 'string' && c.id ? c.id : newId() },
      h('legend', null, h('h3', { text: t('contribution') + ' ' + (i + 1) }, hidden(' (' + g.code + ')'))),
      h('p', { class: 'error-message', id: fid(base) + '-error', hidden: true }),
      textField({ pointer: base + '/title', label: t('ctitle'), summary: ctx + ' – ' + t('ctitle'), value: str(c.title), hint: t('maxChars', { max: rules.titleMax }), role: 'title', max: rules.titleMax }),
      textField({ pointer: base + '/description', label: t('description'), summary: ctx + ' – ' + t('description'), multiline: true, value: str(c.description), hint: t('optional') + ' ' + t('maxChars', { max: rules.descriptionMax }), max: rules.descriptionMax }),
      group({ pointer: base + '/focus', legend: t('focus'), summary: ctx + ' – ' + t('focus'), hint: t('focusHint'), cls: 'checks' },
        rules.focus.map(function (f) {
          var id = fid(base + '/focus/' + f);
          var cb = h('input', { id: id, type: 'checkbox', value: f, name: fid(base + '/focus') });
          cb.checked = focus.indexOf(f) >= 0;
          return h('div', { class: 'check' }, cb, h('label', { for: id, text: t('focus.' + f) }));
        })),
      h('div', { class: 'field countries', 'data-pointer': base + '/countries', 'data-label': ctx + ' – ' + t('countries'), 'data-focus': countryInput },
        h('label', { for: countryInput, text: t('countries') }),
        h('p', { class: 'hint', id: countryInput + '-hint', text: t('countriesHint') }),
        h('p', { class: 'error-message', id: fid(base + '/countries') + '-error', hidden: true }),
        chips,
        h('div', { class: 'add-row' },
          h('input', { id: countryInput, type: 'text', list: 'country-list', autocomplete: 'off', class: 'country-input', 'aria-describedby': countryInput + '-hint' }),
          h('button', { type: 'button', class: 'secondary add-country', onclick: function (e) { addCountry(e.target.closest('.countries')); } }, t('add'), hidden(' ' + t('countryWord'))))),
      group({ pointer: base + '/outcomes', legend: t('outcomes'), summary: ctx + ' – ' + t('outcomes'), hint: t('outcomesHint'), cls: 'checks' },
        g.outcomes.map(function (o) {
          var id = fid(base + '/outcomes/' + o.code);
          var cb = h('input', { id: id, type: 'checkbox', value: o.code });
          cb.checked = outcomes.indexOf(o.code) >= 0;
          return h('div', { class: 'check' }, cb, h('label', { for: id, text: o.code + ' ' + title(o) }));
        })),
      h('fieldset', { class: 'group indicators' },
        h('legend', { text: t('indicators') }),
        h('p', { class: 'hint', text: t('indicatorsHint') }),
        g.outcomes.map(function (o) {
          return o.indicators.map(function (ind) { return renderIndicator(base, ctx, ind, obj(results[ind.code])); });
        })),
      textField({ pointer: base + '/budgetSpentEur', label: t('budget'), summary: ctx + ' – ' + t('budget'), inputmode: 'decimal', value: str(c.budgetSpentEur), hint: t('budgetHint'), cls: 'short' }),
      textField({ pointer: base + '/partners', label: t('partners'), summary: ctx + ' – ' + t('partners'), multiline: true, rows: 3, value: arr(c.partners).map(str).join('\n'), hint: t('partnersHint', { max: rules.partnersMax, each: rules.partnerMax }) }),
      textField({ pointer: base + '/iatiActivityId', label: t('iati'), summary: ctx + ' – ' + t('iati'), value: str(c.iatiActivityId), hint: t('optional') + ' ' + t('iatiHint'), max: rules.iatiMax }),
      textField({ pointer: base + '/links', label: t('links'), summary: ctx + ' – ' + t('links'), multiline: true, rows: 2, value: arr(c.links).map(str).join('\n'), hint: t('linksHint', { max: rules.linksMax }) }),
      checkbox({ pointer: base + '/confidential', label: t('contributionConfidential'), summary: ctx + ' – ' + t('confidential'), checked: c.confidential === true }),
      h('button', { type: 'button', class: 'warning remove-contribution', onclick: function () { removeContribution(g, i); } },
        t('removeContribution', { n: i + 1 }), hidden(' (' + g.code + ')')));
    if (window.NapCarryOver) window.NapCarryOver.decorate(fs, c, { base: base, ctx: ctx, h: h, t: t, fid: fid, unitName: unitName });
    return fs;
  }

  function renderIndicator(base, ctx, ind, r) {
    var key = base + '/indicator/' + ind.code, titleId = fid(key) + '-title';
    var unit = ind.unit ? unitName(ind.unit) : '';
    var summary = ctx + ' – ' + ind.code;
    var fields = ind.kind === 'qualitative'
      ? [textField({ key: key + '/value', label: t('qualitativeValue'), summary: summary + ' – ' + t('qualitativeValue'), multiline: true, rows: 3, value: str(r.value), hint: t('maxChars', { max: S.limits.qualitativeValueMax }), max: S.limits.qualitativeValueMax })]
      : [textField({ key: key + '/value', label: t('value', { unit: unit }), summary: summary + ' – ' + t('value', { unit: unit }), inputmode: 'decimal', value: str(r.value), hint: ind.unit === 'percent' ? t('percentHint') : t('numberHint'), cls: 'short' }),
        textField({ key: key + '/target', label: t('target', { unit: unit }), summary: summary + ' – ' + t('target', { unit: unit }), inputmode: 'decimal', value: str(r.target), hint: t('optional'), cls: 'short' })];
    fields.push(textField({ key: key + '/comment', label: t('comment'), summary: summary + ' – ' + t('comment'), value: str(r.comment), hint: t('optional') + ' ' + t('maxChars', { max: S.limits.commentMax }), max: S.limits.commentMax }));
    fields.forEach(function (f, i) { f.setAttribute('data-part', ind.kind === 'qualitative' ? ['value', 'comment'][i] : ['value', 'target', 'comment'][i]); });
    return h('div', { class: 'indicator', role: 'group', 'aria-labelledby': titleId, 'data-indicator': ind.code, 'data-kind': ind.kind, 'data-unit': ind.unit || '', 'data-label': summary },
      h('p', { class: 'indicator-title', id: titleId }, h('span', { class: 'code', text: ind.code }), ' ' + title(ind)),
      h('p', { class: 'error-message', id: fid(key) + '-error', hidden: true }),
      fields);
  }

  function unitName(code) {
    var u = (S.framework.units || []).filter(function (x) { return x.code === code; })[0];
    return u ? title(u) : code;
  }

  function chip(code) {
    var name = countryName(code);
    var known = S.countrySet.has(code);
    return h('li', { class: 'chip' + (known ? '' : ' unknown'), 'data-code': code },
      h('span', { text: known ? name + ' (' + code + ')' : code + ' – ' + t('unknownCountry') }),
      h('button', { type: 'button', class: 'link remove-country', onclick: removeCountry }, t('remove'), hidden(' ' + (known ? name : code))));
  }

  function renderCountryList() {
    var dl = $('country-list');
    dl.textContent = '';
    S.countries.forEach(function (c) { dl.append(h('option', { value: (S.lang === 'en' ? c.name.en : c.name.nl) + ' (' + c.code + ')' })); });
  }

  // ---------- editing ----------
  function fold(s) { return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim(); }
  function findCountry(v) {
    var m = /\(([A-Za-z-]+)\)\s*$/.exec(v);
    var code = (m ? m[1] : v).trim().toUpperCase();
    if (S.countrySet.has(code)) return code;
    var f = fold(v);
    var hit = S.countries.filter(function (c) { return fold(c.name.nl) === f || fold(c.name.en) === f; })[0];
    return hit ? hit.code : null;
  }
  function addCountry(field) {
    var input = field.querySelector('.country-input');
    var v = input.value;
    if (!v.trim()) { status(t('countryEmpty')); return; }
    var code = findCountry(v);
    if (!code) { status(t('countryNotFound', { value: v.trim().slice(0, 60) })); return; }
    var chips = field.querySelector('.chips');
    if (chips.querySelector('[data-code="' + code + '"]')) { status(t('countryAlready', { name: countryName(code) })); input.value = ''; return; }
    chips.append(chip(code));
    input.value = '';
    markDirty();
    status(t('countryAdded', { name: countryName(code) }));
  }
  function removeCountry(e) {
    var li = e.target.closest('li'), field = li.closest('.countries');
    var next = li.nextElementSibling || li.previousElementSibling;
    var name = countryName(li.getAttribute('data-code'));
    li.remove();
    (next ? next.querySelector('button') : field.querySelector('.country-input')).focus();
    markDirty();
    status(t('countryRemoved', { name: name }));
  }

  function goalState(code) {
    var fs = $('goal-' + code);
    var g = S.framework.goals.filter(function (x) { return x.code === code; })[0];
    return { g: g, fs: fs, data: collectGoal(g, fs) };
  }
  function replaceGoal(st, renumbered) {
    var fresh = renderGoal(st.g, st.data);
    st.fs.replaceWith(fresh);
    // After a removal the shown errors' pointers no longer match the numbering: they go until the next check.
    if (renumbered) { clearErrors(); S.shownErrors = null; } else reapplyErrors();
    emit('render');
    return fresh;
  }
  function addContribution(g) {
    var st = goalState(g.code);
    st.data.contributions.push({ id: newId(), title: '', focus: [], outcomes: [] });
    var n = st.data.contributions.length;
    var fresh = replaceGoal(st);
    var inputs = fresh.querySelectorAll('.contribution [data-role="title"] input');
    inputs[inputs.length - 1].focus();
    markDirty();
    status(t('contributionAdded', { n: n, goal: g.code }));
  }
  function removeContribution(g, i) {
    if (!window.confirm(t('confirmRemove', { n: i + 1, goal: g.code }))) return;
    var st = goalState(g.code);
    st.data.contributions.splice(i, 1);
    var fresh = replaceGoal(st, true);
    fresh.querySelector('.add-contribution').focus();
    markDirty();
    status(t('contributionRemoved', { n: i + 1, goal: g.code }));
  }

  // ---------- collecting ----------
  function val(root, pointer) { var el = root.querySelector('[data-pointer="' + pointer + '"] input, [data-pointer="' + pointer + '"] textarea'); return el ? el.value.trim() : ''; }
  function partVal(row, part) { var el = row.querySelector('[data-part="' + part + '"] input, [data-part="' + part + '"] textarea'); return el ? el.value.trim() : ''; }
  // "12,5" and "12.5" are numbers; anything else is sent as typed, and the server (like the check here) says 'type'.
  function num(raw) {
    if (raw === '') return undefined;
    return /^-?\d+([.,]\d+)?$/.test(raw) ? Number(raw.replace(',', '.')) : raw;
  }
  function checked(fs) { return Array.prototype.filter.call(fs.querySelectorAll('input[type=checkbox]'), function (c) { return c.checked; }).map(function (c) { return c.value; }); }

  function collectContribution(g, fs, i) {
    var base = '/goals/' + g.code + '/contributions/' + i;
    var c = { id: fs.getAttribute('data-id'), title: val(fs, base + '/title') };
    var d = val(fs, base + '/description');
    if (d) c.description = d;
    c.focus = checked(fs.querySelector('[data-pointer="' + base + '/focus"]'));
    var countries = Array.prototype.map.call(fs.querySelectorAll('.chips li'), function (li) { return li.getAttribute('data-code'); });
    if (countries.length) c.countries = countries;
    c.outcomes = checked(fs.querySelector('[data-pointer="' + base + '/outcomes"]'));
    var results = [];
    fs.querySelectorAll('.indicator').forEach(function (row) {
      var value = partVal(row, 'value'), target = partVal(row, 'target'), comment = partVal(row, 'comment');
      var parts = row.querySelectorAll('[data-part]');
      if (!value && !target && !comment) {
        row.removeAttribute('data-pointer');
        parts.forEach(function (p) { p.removeAttribute('data-pointer'); });
        return;
      }
      // Pointers follow the array as sent, so errors from either side land on the right row.
      var p = base + '/indicatorResults/' + results.length;
      row.setAttribute('data-pointer', p);
      parts.forEach(function (el) { el.setAttribute('data-pointer', p + '/' + el.getAttribute('data-part')); });
      var code = row.getAttribute('data-indicator');
      var r = { indicator: code };
      if (row.getAttribute('data-kind') === 'qualitative') r.value = value || null;
      else {
        var v = num(value);
        r.value = v === undefined ? null : v;
        r.unit = row.getAttribute('data-unit');
        var tg = num(target);
        if (tg !== undefined) r.target = tg;
      }
      if (comment) r.comment = comment;
      results.push(r);
    });
    if (results.length) c.indicatorResults = results;
    var b = num(val(fs, base + '/budgetSpentEur'));
    if (b !== undefined) c.budgetSpentEur = b;
    var partners = val(fs, base + '/partners').split('\n').map(function (s) { return s.trim(); }).filter(Boolean);
    if (partners.length) c.partners = partners;
    var iati = val(fs, base + '/iatiActivityId');
    if (iati) c.iatiActivityId = iati;
    var links = val(fs, base + '/links').split('\n').map(function (s) { return s.trim(); }).filter(Boolean);
    if (links.length) c.links = links;
    c.confidential = fs.querySelector('[data-pointer="' + base + '/confidential"] input').checked;
    if (window.NapCarryOver) window.NapCarryOver.collect(fs, c);
    return c;
  }

  function collectGoal(g, fs) {
    var base = '/goals/' + g.code;
    var contributions = Array.prototype.map.call(fs.querySelectorAll('.contribution'), function (c, i) { return collectContribution(g, c, i); });
    var narratives = {};
    S.limits.narrativeKinds.forEach(function (kind) {
      var text = val(fs, base + '/narratives/' + kind + '/text');
      if (text) narratives[kind] = { text: text, confidential: fs.querySelector('[data-pointer="' + base + '/narratives/' + kind + '/confidential"] input').checked };
    });
    var gd = { contributions: contributions };
    if (Object.keys(narratives).length) gd.narratives = narratives;
    return gd;
  }

  // The submission exactly as it will be sent: a goal without contributions or narratives is left out.
  function collect() {
    var form = $('fields');
    var sub = { contact: { name: val(form, '/contact/name'), email: val(form, '/contact/email') }, goals: {} };
    S.framework.goals.forEach(function (g) {
      var gd = collectGoal(g, $('goal-' + g.code));
      if (gd.contributions.length || gd.narratives) {
        if (!gd.contributions.length) delete gd.contributions;
        sub.goals[g.code] = gd;
      }
    });
    return sub;
  }

  // ---------- errors ----------
  function wrappers() { return Array.prototype.slice.call($('fields').querySelectorAll('[data-pointer]')); }
  function wrapperFor(pointer) {
    var best = null;
    wrappers().forEach(function (w) {
      var p = w.getAttribute('data-pointer');
      if ((pointer === p || pointer.indexOf(p + '/') === 0) && (!best || p.length > best.getAttribute('data-pointer').length)) best = w;
    });
    return best;
  }
  function ownError(w) { return w.querySelector(':scope > .error-message'); }
  function ownInputs(w) { return w.querySelectorAll(':scope > input:not([type=checkbox]), :scope > textarea'); }
  // Where an error is announced: the input itself, or the group (fieldset, indicator) it belongs to.
  function describedTargets(w) {
    var f = w.getAttribute('data-focus');
    if (f) return [$(f)];
    if (w.tagName === 'FIELDSET' || w.classList.contains('indicator') || w.classList.contains('goals')) return [w];
    return ownInputs(w);
  }
  function focusTarget(w) {
    if (!w) return $('fields');
    var f = w.getAttribute('data-focus');
    if (f) return $(f);
    if (w.classList.contains('goals')) return w;
    var first = w.querySelector('input[id], textarea[id]');
    return first || (w.id ? w : $('fields'));
  }
  function resolve(o, pointer) {
    return pointer.split('/').slice(1).reduce(function (acc, k) {
      k = k.replace(/~1/g, '/').replace(/~0/g, '~');
      return acc !== null && typeof acc === 'object' && Object.prototype.hasOwnProperty.call(acc, k) ? acc[k] : undefined;
    }, o);
  }

  function message(e, w) {
    var segs = e.pointer.split('/'), last = segs[segs.length - 1], prev = segs[segs.length - 2];
    // Limits come with the server's problem (max) or from the served schema, never from this file.
    var params = { max: e.params && e.params.max !== undefined ? e.params.max : '', decimals: S.limits.amountDecimals };
    var value = S.sent ? resolve(S.sent, e.pointer) : undefined;
    params.code = e.params && e.params.code !== undefined ? e.params.code : (typeof value === 'string' ? value.slice(0, 40) : '');
    var msg;
    var specific = 'err.' + e.code + '.' + (/^\d+$/.test(last) ? prev : last);
    if (e.code === 'too-long' && /^\d+$/.test(last)) msg = t('line', { n: +last + 1 }) + ' ' + t('err.too-long', params);
    else if (TEXT.nl[specific] !== undefined) msg = t(specific, params);
    else if (e.code === 'type' && (last === 'value' || last === 'target' || last === 'budgetSpentEur') && !(w && w.closest('.indicator') && w.closest('.indicator').getAttribute('data-kind') === 'qualitative')) msg = t('err.type.number');
    else msg = t('err.' + e.code, params);
    return msg === 'err.' + e.code ? t('err.invalid-value') : msg;
  }

  function clearErrors() {
    $('fields').querySelectorAll('.has-error').forEach(function (w) {
      w.classList.remove('has-error');
      var err = ownError(w);
      if (err) { err.hidden = true; err.textContent = ''; }
      Array.prototype.forEach.call(describedTargets(w), function (el) {
        el.removeAttribute('aria-invalid');
        var ids = (el.getAttribute('aria-describedby') || '').split(' ').filter(function (x) { return x && x !== (err && err.id); });
        if (ids.length) el.setAttribute('aria-describedby', ids.join(' ')); else el.removeAttribute('aria-describedby');
      });
    });
    $('error-summary').hidden = true;
    $('error-list').textContent = '';
  }

  function showErrors(errors, moveFocus) {
    clearErrors();
    S.shownErrors = errors;
    var list = $('error-list'), seen = {};
    errors.forEach(function (e) {
      var w = wrapperFor(e.pointer);
      var msg = message(e, w);
      if (w && !w.classList.contains('has-error')) {
        w.classList.add('has-error');
        var err = ownError(w);
        if (err) {
          err.textContent = '';
          err.append(hidden(t('errorPrefix') + ' '), msg);
          err.hidden = false;
          Array.prototype.forEach.call(describedTargets(w), function (el) {
            if (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA') el.setAttribute('aria-invalid', 'true');
            var ids = (el.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
            if (ids.indexOf(err.id) < 0) ids.push(err.id);
            el.setAttribute('aria-describedby', ids.join(' '));
          });
        }
      }
      var label = w ? w.getAttribute('data-label') : null;
      var text = (label ? label + ': ' : '') + msg;
      if (seen[e.pointer + text]) return;
      seen[e.pointer + text] = true;
      var target = focusTarget(w);
      list.append(h('li', null, h('a', { href: '#' + target.id, 'data-pointer': e.pointer, 'data-code': e.code, text: text })));
    });
    $('error-summary').hidden = false;
    if (moveFocus !== false) $('error-summary').focus();
  }
  function reapplyErrors() { if (S.shownErrors && !$('error-summary').hidden) { collect(); showErrors(S.shownErrors, false); } }

  // The server's verdict, one source of truth: a draft save answers with the problems a submit would get.
  function fromServer(list) {
    return arr(list).map(function (e) { return { pointer: String(e.pointer), code: String(e.code), params: e.max !== undefined && e.max !== null ? { max: e.max } : {} }; });
  }
  async function problemsOf(sub) {
    try {
      var res = await fetch(api('/draft'), { method: 'PUT', headers: authHeaders({ 'Content-Type': 'application/json' }), body: JSON.stringify({ basedOnVersion: S.version, submission: sub }) });
      if (!res.ok) return null;
      return fromServer((await res.json()).problems);
    } catch (e) {
      return null; // offline: the submit itself will say what is wrong
    }
  }
  // Short, URL-safe and random: unique within a submission in practice; the server refuses a duplicate anyway.
  function newId() {
    var b = crypto.getRandomValues(new Uint8Array(8));
    return 'c-' + Array.prototype.map.call(b, function (x) { return (x % 36).toString(36); }).join('');
  }
  // The limits the form shows and sets as constraint attributes, read from the served JSON Schema.
  function limitsFrom(schema) {
    var d = schema.$defs, contribution = d['contribution-' + S.framework.goals[0].code].properties;
    var step = String(d.amount.multipleOf);
    return {
      nameMax: d.contactName.maxLength, emailMax: d.email.maxLength, titleMax: d.title.maxLength, descriptionMax: d.description.maxLength,
      narrativeMax: d.narrativeText.maxLength, commentMax: d.comment.maxLength, qualitativeValueMax: d.qualitativeValue.maxLength,
      partnerMax: d.partner.maxLength, partnersMax: contribution.partners.maxItems, iatiMax: d.iatiActivityId.maxLength, linksMax: d.links.maxItems,
      narrativeKinds: Object.keys(d.narratives.properties), focus: d.focus.items.enum,
      amountDecimals: step.indexOf('.') < 0 ? 0 : step.length - step.indexOf('.') - 1
    };
  }

  // ---------- network ----------
  function api(path) { return '/api/cycles/' + encodeURIComponent(S.cycleId) + path; }
  function authHeaders(extra) {
    var hd = { Authorization: 'Bearer ' + S.token, Accept: 'application/json' };
    if (S.session) hd['X-Nap-Session'] = S.session; // a verified session (code-verification.js): confidential parts too
    Object.keys(extra || {}).forEach(function (k) { hd[k] = extra[k]; });
    return hd;
  }
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
  }
  async function readProblem(res) { try { return await res.json(); } catch (e) { return {}; } }

  function markDirty() {
    if (S.readOnly) return;
    S.dirty = true;
    S.changeSeq++;
    if (!S.firstDirtyAt) S.firstDirtyAt = Date.now();
    clearTimeout(S.saveTimer);
    if (Date.now() - S.firstDirtyAt >= SAVE_AT_LEAST_EVERY_MS) { saveDraft(); return; }
    S.saveTimer = setTimeout(saveDraft, SAVE_AFTER_MS);
    if (!S.savePromise) status(t('unsaved'));
  }

  function draftBody() { return JSON.stringify({ basedOnVersion: S.version, submission: collect() }); }

  function saveDraft() {
    clearTimeout(S.saveTimer);
    if (!S.dirty || S.readOnly) return Promise.resolve();
    if (S.savePromise) { S.saveAgain = true; return S.savePromise; }
    var seq = S.changeSeq, body = draftBody();
    S.savePromise = (async function () {
      try {
        var res = await fetch(api('/draft'), { method: 'PUT', headers: authHeaders({ 'Content-Type': 'application/json' }), body: body });
        if (res.ok) {
          var r = await res.json();
          if (S.changeSeq === seq) { S.dirty = false; S.firstDirtyAt = 0; }
          S.savedAtLocal = r.savedAtLocal;
          status(t('savedAt', { time: hhmm(r.savedAtLocal) }));
        } else if (res.status === 401 || res.status === 403) {
          alertBox(t('tokenInvalid'));
        } else if (res.status === 409) {
          S.readOnly = true;
          alertBox(t('cycleClosed'));
        } else {
          status(t('saveFailed'));
          S.saveTimer = setTimeout(saveDraft, SAVE_AT_LEAST_EVERY_MS);
        }
      } catch (e) {
        status(t('saveOffline'));
        S.saveTimer = setTimeout(saveDraft, SAVE_AT_LEAST_EVERY_MS);
      } finally {
        S.savePromise = null;
        if (S.saveAgain) { S.saveAgain = false; if (S.dirty) S.saveTimer = setTimeout(saveDraft, 500); }
      }
    })();
    return S.savePromise;
  }

  async function submit() {
    if (S.submitting || S.readOnly) return;
    alertBox(null);
    var sub = collect();
    S.sent = sub;
    S.submitting = true;
    var problems = await problemsOf(sub);
    S.submitting = false;
    if (problems && problems.length) { showErrors(problems); status(t('fixErrors', { n: problems.length })); return; }
    clearErrors();
    S.shownErrors = null;
    var body = JSON.stringify(sub);
    // Same content, same starting version: the same key, so a retry after a lost answer never makes a second version.
    var key = S.lastAttempt && S.lastAttempt.body === body && S.lastAttempt.version === S.version ? S.lastAttempt.key : uuid();
    S.lastAttempt = { body: body, key: key, version: S.version };
    S.submitting = true;
    var button = $('submit');
    button.setAttribute('aria-disabled', 'true');
    status(t('sending'));
    try {
      var res;
      try {
        res = await fetch(api('/submissions'), {
          method: 'POST', body: body,
          headers: authHeaders({ 'Content-Type': 'application/json', 'Idempotency-Key': key, 'If-Match': '"' + S.version + '"' })
        });
      } catch (e) {
        status('');
        alertBox(t('networkSubmit'));
        return;
      }
      if (res.status === 201 || res.status === 200) {
        var receipt = await res.json();
        S.version = receipt.version;
        S.latest = { receipt: receipt, submission: sub };
        S.staleDraft = null;
        S.lastAttempt = null;
        S.dirty = false;
        S.firstDirtyAt = 0;
        clearTimeout(S.saveTimer);
        if (S.savePromise) { try { await S.savePromise; } catch (e) { /* a failed save changes nothing here */ } }
        clearTimeout(S.saveTimer);
        S.dirty = false;
        fetch(api('/draft'), { method: 'DELETE', headers: authHeaders() }).catch(function () { /* a leftover draft is recognised as stale */ });
        showReceipt(receipt, sub);
      } else if (res.status === 422) {
        var p = await readProblem(res);
        status('');
        showErrors(fromServer(p.errors));
      } else if (res.status === 412) {
        status('');
        alertBox(t('stale'), h('button', { type: 'button', id: 'load-latest', class: 'secondary', onclick: loadLatest }, t('loadLatest')));
        $('alert').focus();
      } else if (res.status === 409) {
        var c = await readProblem(res);
        status('');
        alertBox(/cycle-(closed|not-open)$/.test(c.type || '') ? t('cycleClosed') : t('serverError'));
      } else if (res.status === 401 || res.status === 403) {
        status('');
        alertBox(t('tokenInvalid'));
      } else if (res.status === 413) {
        status('');
        alertBox(t('tooLarge'));
      } else {
        status('');
        alertBox(t('serverError'));
      }
    } finally {
      S.submitting = false;
      button.removeAttribute('aria-disabled');
    }
  }

  async function loadLatest() {
    alertBox(null);
    try {
      var res = await fetch(api('/submissions/mine'), { headers: authHeaders() });
      if (!res.ok) { alertBox(t('serverError')); return; }
      var mine = await res.json();
      if (mine.confidentialWithheld) { location.reload(); return; } // the session ended: verify again, never edit a withheld copy
      // The edits that were refused stay one click away (and in the server draft, which is not overwritten now).
      S.staleDraft = { own: true, submission: collect(), basedOnVersion: S.version, savedAtLocal: S.savedAtLocal };
      S.latest = mine;
      S.version = mine.receipt.version;
      S.lastAttempt = null;
      clearTimeout(S.saveTimer);
      S.dirty = false;
      S.firstDirtyAt = 0;
      render(mine.submission);
      clearErrors();
      S.shownErrors = null;
      showLatestNotice();
      status(t('latestLoaded', { version: S.version }));
      $('title').focus();
    } catch (e) {
      alertBox(t('networkLoad'));
    }
  }

  // ---------- receipt and summary ----------
  function showReceipt(r, sub) {
    S.lastReceipt = r;
    var box = $('receipt');
    box.textContent = '';
    box.append(
      h('h2', { id: 'receipt-title', text: t('receiptTitle') }),
      h('p', { text: t('receiptIntro') }),
      h('dl', { class: 'receipt-data' },
        h('dt', { text: t('version') }), h('dd', { id: 'receipt-version', text: String(r.version) }),
        h('dt', { text: t('receivedAt') }), h('dd', { id: 'receipt-time', text: fmtLocal(r.receivedAtLocal) + ' ' + t('amsterdamTime') }),
        h('dt', { text: 'SHA-256' }), h('dd', null, h('code', { class: 'hash', id: 'receipt-sha', text: r.sha256 })),
        h('dt', { text: t('lateLabel') }), h('dd', { text: r.late ? t('lateYes') : t('lateNo') })),
      h('p', { class: 'hint', text: t('shaHint') }),
      h('div', { class: 'actions no-print' },
        h('button', { type: 'button', id: 'print', onclick: function () { window.print(); } }, t('print')),
        h('button', { type: 'button', id: 'edit-again', class: 'secondary', onclick: editAgain }, t('editAgain'))),
      renderSummary(sub));
    $('report').hidden = true;
    $('error-summary').hidden = true;
    box.hidden = false;
    status(t('received', { version: r.version }));
    box.focus({ preventScroll: true });
    box.scrollIntoView({ block: 'start' });
    emit('receipt', r);
  }

  function editAgain() {
    $('receipt').hidden = true;
    $('report').hidden = false;
    showLatestNotice();
    $('title').focus();
  }

  function dlRow(dl, label, value) { if (value === '' || value === null || value === undefined) return; dl.append(h('dt', { text: label }), h('dd', { text: value })); }
  function renderSummary(sub) {
    var s = h('section', { class: 'summary', 'aria-labelledby': 'summary-title' }, h('h2', { id: 'summary-title', text: t('summaryTitle') }));
    var cdl = h('dl');
    dlRow(cdl, t('name'), sub.contact.name);
    dlRow(cdl, t('email'), sub.contact.email);
    s.append(h('h3', { text: t('contactLegend') }), cdl);
    S.framework.goals.forEach(function (g) {
      var gd = sub.goals[g.code];
      if (!gd) return;
      s.append(h('h3', { text: g.code + ' ' + title(g) }));
      arr(gd.contributions).forEach(function (c, i) {
        var dl = h('dl');
        dlRow(dl, t('ctitle'), c.title);
        dlRow(dl, t('description'), c.description);
        dlRow(dl, t('focus'), c.focus.map(function (f) { return t('focus.' + f); }).join(', '));
        dlRow(dl, t('countries'), arr(c.countries).map(countryName).join(', '));
        dlRow(dl, t('outcomes'), c.outcomes.join(', '));
        arr(c.indicatorResults).forEach(function (r) {
          var txt = typeof r.value === 'number' ? r.value + ' ' + unitName(r.unit) + (r.target !== undefined ? ' (' + t('targetShort') + ' ' + r.target + ')' : '') : r.value;
          dlRow(dl, r.indicator, txt + (r.comment ? ' – ' + r.comment : ''));
        });
        dlRow(dl, t('budget'), typeof c.budgetSpentEur === 'number' ? '€ ' + c.budgetSpentEur.toLocaleString(S.lang === 'en' ? 'en-GB' : 'nl-NL', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : '');
        dlRow(dl, t('partners'), arr(c.partners).join('; '));
        dlRow(dl, t('confidential'), c.confidential ? t('yes') : t('no'));
        s.append(h('h4', { text: t('contribution') + ' ' + (i + 1) }), dl);
      });
      var n = gd.narratives || {};
      var ndl = h('dl');
      S.limits.narrativeKinds.forEach(function (k) { if (n[k]) dlRow(ndl, t('narrative.' + k) + (n[k].confidential ? ' (' + t('confidential').toLowerCase() + ')' : ''), n[k].text); });
      if (ndl.childNodes.length) s.append(ndl);
    });
    return s;
  }

  // ---------- header, notices, language ----------
  function applyStatic() {
    document.documentElement.lang = S.lang;
    document.title = t('pageTitle');
    document.querySelectorAll('[data-t]').forEach(function (el) { el.textContent = t(el.getAttribute('data-t')); });
    var sw = $('lang-switch');
    var other = S.lang === 'nl' ? 'en' : 'nl';
    sw.textContent = other === 'en' ? 'English' : 'Nederlands';
    sw.setAttribute('lang', other);
    $('privacy-link').href = '/api/form/privacy-' + S.lang + '.html';
    $('a11y-link').href = '/api/form/accessibility-' + S.lang + '.html';
  }

  function showIntro() {
    var box = $('intro');
    box.textContent = '';
    if (!S.signatory) return;
    box.append(h('p', null, t('reportingFor') + ' ', h('strong', { id: 'signatory-name', text: S.signatory.name }), ' · ' + t('cycle') + ' ' + S.cycle.id));
    var dl = h('p', { id: 'deadline' }, t('deadline') + ' ', h('strong', { text: fmtLocal(S.cycle.deadline) }), ' ' + t('amsterdamTime'));
    box.append(dl);
    if (S.cycle.status !== 'open') box.append(h('p', { class: 'notice', id: 'deadline-state', text: t('cycleClosed') }));
    else if (S.cycle.deadlinePassed) box.append(h('p', { class: 'notice', id: 'deadline-state', text: S.cycle.acceptLate ? t('lateAccepted') : t('lateRefused') }));
  }

  function showLatestNotice() {
    var box = $('notice');
    box.textContent = '';
    if (S.latest && S.version) {
      box.append(h('p', { id: 'latest-version' }, t('latestIntro', { version: S.version, time: fmtLocal(S.latest.receipt.receivedAtLocal) })));
    }
    if (S.staleDraft) {
      var d = S.staleDraft;
      box.append(h('p', null, d.own ? t('ownEdits', { based: d.basedOnVersion }) : t('staleDraft', { time: fmtLocal(d.savedAtLocal), based: d.basedOnVersion, version: S.version })),
        h('button', { type: 'button', class: 'secondary', id: 'load-draft', onclick: function () {
          S.staleDraft = null;
          render(d.submission);
          showLatestNotice();
          markDirty();
          status(d.own ? t('editsRestored') : t('draftRestored', { time: fmtLocal(d.savedAtLocal) }));
          $('title').focus();
        } }, d.own ? t('restoreEdits') : t('loadDraft')));
    }
    box.hidden = !box.childNodes.length;
  }

  function switchLanguage() {
    var sub = S.signatory ? collect() : null;
    var receiptShown = !$('receipt').hidden;
    S.lang = S.lang === 'nl' ? 'en' : 'nl';
    try { sessionStorage.setItem('nap-lang', S.lang); } catch (e) { /* storage may be disabled */ }
    applyStatic();
    if (!S.signatory) return;
    showIntro();
    render(sub);
    showLatestNotice();
    if (S.shownErrors && !$('error-summary').hidden) { collect(); showErrors(S.shownErrors, false); }
    if (receiptShown && S.lastReceipt) showReceipt(S.lastReceipt, S.sent);
    $('lang-switch').focus();
    status(t('languageChanged'));
  }

  function fatal(msg) {
    $('loading').hidden = true;
    alertBox(msg, h('button', { type: 'button', class: 'secondary', onclick: function () { location.reload(); } }, t('retry')));
  }

  // ---------- start ----------
  function claimedCycle(token) {
    try {
      var part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(atob(part + '==='.slice((part.length + 3) % 4))).cycle || null;
    } catch (e) {
      return null; // not a JWT we can read: the cycle list decides
    }
  }

  // Cycle: a #cycle= fragment, else the token's own cycle claim, else (same tab, later visit) what was used before.
  function readFragment() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ''));
    var token = params.get('token'), cycle = params.get('cycle');
    var store = null;
    try { store = window.sessionStorage; } catch (e) { /* storage disabled: the link must be opened again after a reload */ }
    if (store) {
      if (token) { store.setItem('nap-token', token); store.removeItem('nap-cycle'); }
      if (cycle) store.setItem('nap-cycle', cycle);
      S.lang = store.getItem('nap-lang') || S.lang;
    }
    S.token = token || (store && store.getItem('nap-token'));
    S.cycleId = cycle || (S.token && claimedCycle(S.token)) || (store && store.getItem('nap-cycle'));
    // The token must not stay in the address bar, the history or a bookmark.
    if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  }

  async function getJson(url, auth) {
    var res = await fetch(url, { headers: auth ? authHeaders() : { Accept: 'application/json' } });
    return { status: res.status, body: await readProblem(res) };
  }

  async function start() {
    readFragment();
    applyStatic();
    $('lang-switch').addEventListener('click', switchLanguage);
    if (!S.token) { $('loading').hidden = true; alertBox(t('noToken')); return; }
    var langChosen = (function () { try { return !!sessionStorage.getItem('nap-lang'); } catch (e) { return false; } })();
    try {
      var ref = await Promise.all([getJson('/api/framework'), getJson('/api/countries'), getJson('/api/submission-schema')]);
      if (ref[0].status !== 200 || ref[1].status !== 200 || ref[2].status !== 200) { fatal(t('serverError')); return; }
      S.framework = ref[0].body;
      S.limits = limitsFrom(ref[2].body);
      S.countries = ref[1].body;
      S.countries.forEach(function (c) { S.countryByCode[c.code] = c; S.countrySet.add(c.code); });
      if (!S.cycleId) {
        var cycles = await getJson('/api/cycles');
        var open = arr(cycles.body).filter(function (c) { return c.status === 'open'; });
        if (!open.length) { fatal(t('noOpenCycle')); return; }
        S.cycleId = open[open.length - 1].id;
      }
      var loadOwn = function () { return Promise.all([getJson(api('/draft'), true), getJson(api('/submissions/mine'), true)]); };
      var mine = await loadOwn();
      // Confidential parts come back only with a verified session: code-verification.js asks for the emailed code first.
      if (window.NapForm.verify && mine.some(function (r) { return r.status === 200 && r.body.confidentialWithheld; })) {
        $('loading').hidden = true;
        await window.NapForm.verify();
        mine = await loadOwn();
      }
      var draft = mine[0], latest = mine[1];
      if (draft.status === 401 || draft.status === 403) { $('loading').hidden = true; alertBox(t('tokenInvalid')); return; }
      if (draft.status !== 200) { fatal(draft.status === 404 ? t('noCycle') : t('serverError')); return; }
      S.signatory = draft.body.signatory;
      S.cycle = draft.body.cycle;
      if (!langChosen && (S.signatory.language === 'en' || S.signatory.language === 'nl')) S.lang = S.signatory.language;
      if (latest.status === 200) { S.latest = latest.body; S.version = latest.body.receipt.version; }
      var d = draft.body.draft, content = S.latest ? S.latest.submission : {}, restored = null;
      if (d && d.basedOnVersion === S.version) { content = d.submission; restored = d; }
      else if (d) S.staleDraft = d;
      S.readOnly = S.cycle.status !== 'open' || (S.cycle.deadlinePassed && !S.cycle.acceptLate);
      applyStatic();
      showIntro();
      render(content);
      showLatestNotice();
      // "Start from last year" is offered (and, once chosen, rendered) before the form is shown.
      if (window.NapCarryOver) await window.NapCarryOver.start(draft.body, { content: content, hasSubmission: !!S.latest, readOnly: S.readOnly, api: api, authHeaders: authHeaders, h: h, t: t, render: render });
      $('loading').hidden = true;
      $('report').hidden = false;
      if (S.readOnly) $('submit').setAttribute('aria-disabled', 'true');
      if (restored) status(t('draftRestored', { time: fmtLocal(restored.savedAtLocal) }));
      emit('ready');
      document.body.setAttribute('data-ready', 'true');
    } catch (e) {
      fatal(t('networkLoad'));
    }
  }

  function wire() {
    var form = $('report');
    form.addEventListener('submit', function (e) { e.preventDefault(); });
    form.addEventListener('input', function (e) { if (!e.target.classList.contains('country-input')) markDirty(); });
    form.addEventListener('change', function (e) { if (!e.target.classList.contains('country-input')) markDirty(); });
    form.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' && e.target.classList && e.target.classList.contains('country-input')) {
        e.preventDefault();
        addCountry(e.target.closest('.countries'));
      }
    });
    // Leaving a section (contact, a goal) saves at once.
    form.addEventListener('focusout', function (e) {
      var from = e.target.closest('[data-section]');
      var to = e.relatedTarget && e.relatedTarget.closest ? e.relatedTarget.closest('[data-section]') : null;
      if (from && from !== to && S.dirty) saveDraft();
    });
    $('submit').addEventListener('click', submit);
    $('error-summary').addEventListener('click', function (e) {
      var a = e.target.closest('a');
      if (!a) return;
      e.preventDefault();
      var target = $(a.getAttribute('href').slice(1));
      if (!target) return;
      var w = target.closest('[data-pointer]');
      var label = w && (w.querySelector(':scope > label, :scope > legend') || w);
      target.focus({ preventScroll: true });
      (label || target).scrollIntoView({ block: 'start' });
    });
    window.addEventListener('beforeunload', function (e) {
      if (S.dirty || S.savePromise) { e.preventDefault(); e.returnValue = ''; }
    });
    // A tab closed after the last change still sends it: keepalive outlives the page.
    document.addEventListener('visibilitychange', function () {
      if (document.visibilityState !== 'hidden' || !S.dirty || S.readOnly || !S.framework) return;
      var body = draftBody();
      if (body.length < 60000) fetch(api('/draft'), { method: 'PUT', keepalive: true, headers: authHeaders({ 'Content-Type': 'application/json' }), body: body }).catch(function () { /* best effort */ });
    });
  }

  window.NapForm = { S: S, t: t, h: h, $: $, api: api, authHeaders: authHeaders, status: status, fmtLocal: fmtLocal };
  wire();
  start();
})();
