/* Client-side mirror of Core/Submissions/SubmissionParser.cs: same checks, same order, same JSON pointers and
   codes, limits from GET /api/framework "rules". The server stays authoritative; this only saves a round trip. */
(function () {
  'use strict';

  function esc(name) {
    var s = name.length > 64 ? name.slice(0, 64) : name;
    return s.replace(/~/g, '~0').replace(/\//g, '~1');
  }
  function isObj(v) { return v !== null && typeof v === 'object' && !Array.isArray(v); }
  function has(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }
  // char.IsControl: U+0000–U+001F and U+007F–U+009F; tab, CR and LF are allowed.
  var CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
  var LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/;

  // Close to System.Net.Mail.MailAddress with the import rules: one address, no display name, a dot somewhere.
  function isEmail(v) {
    if (typeof v !== 'string' || v.length <= 2 || v.length > 254) return false;
    var t = v.trim();
    return t.indexOf('.') >= 0 && /^[^\s@<>()\[\]\\,;:"]+@[^\s@<>()\[\]\\,;:"]+$/.test(t) && !/^\.|\.@|@\.|\.$|\.\./.test(t);
  }

  function validate(root, framework, countryCodes) {
    var rules = framework.rules;
    var errors = [];
    function add(pointer, code, params) { errors.push({ pointer: pointer, code: code, params: params || {} }); }
    function object(el, path) {
      if (isObj(el)) return true;
      add(path, 'type'); return false;
    }
    function array(el, path, max) {
      if (!Array.isArray(el)) { add(path, 'type'); return false; }
      if (el.length > max) { add(path, 'too-many', { max: max }); return false; }
      return true;
    }
    function optional(o, name) { return has(o, name) ? o[name] : undefined; }
    function member(o, path, name) {
      if (has(o, name) && o[name] !== null) return o[name];
      add(path + '/' + name, 'required'); return undefined;
    }
    function unknown(o, path, known) {
      Object.keys(o).forEach(function (k) { if (known.indexOf(k) < 0) add(path + '/' + esc(k), 'unknown-field'); });
    }
    // present = the member exists (possibly null), as the server's Text(el is not null) distinction.
    function text(el, present, path, max, required) {
      if (el === undefined || el === null) {
        if (required && present) add(path, 'required');
        return null;
      }
      if (typeof el !== 'string') { add(path, 'type'); return null; }
      if (el.length > max) { add(path, 'too-long', { max: max, length: el.length }); return null; }
      if (CONTROL.test(el) || LONE_SURROGATE.test(el)) { add(path, 'invalid-characters'); return null; }
      var t = el.trim();
      if (t.length === 0) { if (required) add(path, 'required'); return null; }
      return t;
    }
    function number(el, path, max, required) {
      if (el === undefined || el === null) { if (required) add(path, 'required'); return null; }
      if (typeof el !== 'number' || !isFinite(el)) { add(path, 'type'); return null; }
      if (el < 0 || el > max) { add(path, 'out-of-range', { max: max }); return null; }
      return el;
    }
    // A member read with member() already reported its absence: never a second 'required'.
    function required(el, path, max) { return text(el, el !== undefined, path, max, true); }
    function bool(el, path) {
      if (el === undefined || el === null) return null;
      if (typeof el === 'boolean') return el;
      add(path, 'type'); return null;
    }
    function codes(el, path, max, known) {
      var list = [];
      if (el === undefined || el === null || !array(el, path, max)) return list;
      el.forEach(function (item, i) {
        var p = path + '/' + i;
        if (typeof item !== 'string') { add(p, 'type'); return; }
        if (!known(item)) add(p, 'unknown-code', { code: item });
        else if (list.indexOf(item) >= 0) add(p, 'duplicate');
        else list.push(item);
      });
      return list;
    }
    function startsWith(prefix) { return errors.some(function (e) { return e.pointer.indexOf(prefix) === 0; }); }

    var goalsByCode = {}, outcomeGoal = {}, indicators = {};
    framework.goals.forEach(function (g) {
      goalsByCode[g.code] = g;
      g.outcomes.forEach(function (o) {
        outcomeGoal[o.code] = g.code;
        o.indicators.forEach(function (ind) { indicators[ind.code] = { goal: g.code, indicator: ind }; });
      });
    });

    function indicatorResult(goal, el, path) {
      if (!object(el, path)) return null;
      var before = errors.length;
      unknown(el, path, ['indicator', 'value', 'unit', 'target', 'comment']);
      var code = required(member(el, path, 'indicator'), path + '/indicator', 32);
      if (code === null) return null;
      var hit = indicators[code];
      if (!hit || hit.goal !== goal) { add(path + '/indicator', 'unknown-code', { code: code }); return null; }
      text(optional(el, 'comment'), has(el, 'comment'), path + '/comment', rules.commentMax, false);
      var valueEl = member(el, path, 'value');
      if (hit.indicator.kind === 'qualitative') {
        if (has(el, 'unit') && el.unit !== null) add(path + '/unit', 'not-allowed');
        if (has(el, 'target') && el.target !== null) add(path + '/target', 'not-allowed');
        var t = text(valueEl, valueEl !== undefined, path + '/value', rules.qualitativeValueMax, true);
        return errors.length > before || t === null ? null : code;
      }
      var max = hit.indicator.unit === 'percent' ? rules.percentMax : rules.numberMax;
      var value = valueEl === undefined ? null : number(valueEl, path + '/value', max, true);
      number(optional(el, 'target'), path + '/target', max, false);
      var unit = text(optional(el, 'unit'), has(el, 'unit'), path + '/unit', 32, false);
      if (unit !== null && unit !== hit.indicator.unit) add(path + '/unit', 'unit-mismatch', { unit: hit.indicator.unit });
      return errors.length > before || value === null ? null : code;
    }

    function contribution(goal, el, path) {
      if (!object(el, path)) return;
      unknown(el, path, ['title', 'description', 'focus', 'countries', 'outcomes', 'indicatorResults', 'budgetSpentEur', 'partners', 'confidential']);
      required(member(el, path, 'title'), path + '/title', rules.titleMax);
      text(optional(el, 'description'), has(el, 'description'), path + '/description', rules.descriptionMax, false);
      var focus = [];
      var fe = member(el, path, 'focus');
      if (fe !== undefined && array(fe, path + '/focus', 2)) {
        fe.forEach(function (f, i) {
          var v = f === 'national' || f === 'international' ? f : null;
          if (v === null) add(path + '/focus/' + i, 'invalid-value');
          else if (focus.indexOf(v) >= 0) add(path + '/focus/' + i, 'duplicate');
          else focus.push(v);
        });
        if (fe.length === 0) add(path + '/focus', 'required');
      }
      var countries = codes(optional(el, 'countries'), path + '/countries', rules.countriesMax, function (c) { return countryCodes.has(c); });
      if (focus.indexOf('international') >= 0 && countries.length === 0 && !startsWith(path + '/countries'))
        add(path + '/countries', 'required');
      var outcomes = codes(member(el, path, 'outcomes'), path + '/outcomes', rules.outcomesMax, function (c) { return outcomeGoal[c] === goal; });
      if (outcomes.length === 0 && !startsWith(path + '/outcomes')) add(path + '/outcomes', 'required');
      var re = optional(el, 'indicatorResults');
      if (re !== undefined && array(re, path + '/indicatorResults', rules.indicatorResultsMax)) {
        var seen = [];
        re.forEach(function (r, i) {
          var code = indicatorResult(goal, r, path + '/indicatorResults/' + i);
          if (code !== null && seen.indexOf(code) >= 0) add(path + '/indicatorResults/' + i + '/indicator', 'duplicate');
          else if (code !== null) seen.push(code);
        });
      }
      var budget = number(optional(el, 'budgetSpentEur'), path + '/budgetSpentEur', rules.numberMax, false);
      if (budget !== null && Math.round(budget * 100) / 100 !== budget) add(path + '/budgetSpentEur', 'invalid-value');
      var pe = optional(el, 'partners');
      if (pe !== undefined && array(pe, path + '/partners', rules.partnersMax))
        pe.forEach(function (p, i) { text(p, true, path + '/partners/' + i, rules.partnerMax, true); });
      bool(optional(el, 'confidential'), path + '/confidential');
    }

    function goalReport(goal, el, path) {
      if (!object(el, path)) return;
      unknown(el, path, ['contributions', 'narratives']);
      var list = optional(el, 'contributions');
      if (list !== undefined && array(list, path + '/contributions', rules.contributionsMax))
        list.forEach(function (c, i) { contribution(goal, c, path + '/contributions/' + i); });
      var n = optional(el, 'narratives');
      if (n !== undefined && object(n, path + '/narratives')) {
        unknown(n, path + '/narratives', rules.narrativeKinds);
        rules.narrativeKinds.forEach(function (kind) {
          var np = path + '/narratives/' + kind;
          var ne = optional(n, kind);
          if (ne === undefined || ne === null || !object(ne, np)) return;
          unknown(ne, np, ['text', 'confidential']);
          required(member(ne, np, 'text'), np + '/text', rules.narrativeMax);
          bool(optional(ne, 'confidential'), np + '/confidential');
        });
      }
    }

    if (!object(root, '')) return errors;
    unknown(root, '', ['contact', 'goals']);
    var contact = member(root, '', 'contact');
    if (contact !== undefined && object(contact, '/contact')) {
      unknown(contact, '/contact', ['name', 'email']);
      required(member(contact, '/contact', 'name'), '/contact/name', rules.nameMax);
      var email = required(member(contact, '/contact', 'email'), '/contact/email', rules.emailMax);
      if (email !== null && !isEmail(email)) add('/contact/email', 'invalid-email');
    }
    var goals = member(root, '', 'goals');
    if (goals !== undefined && object(goals, '/goals')) {
      var seen = 0;
      Object.keys(goals).forEach(function (k) {
        var path = '/goals/' + esc(k);
        if (!has(goalsByCode, k)) { add(path, 'unknown-code', { code: k }); return; }
        seen++;
        goalReport(k, goals[k], path);
      });
      if (seen === 0 && !startsWith('/goals/')) add('/goals', 'required');
    }
    return errors;
  }

  window.NapValidate = { validate: validate, isEmail: isEmail };
})();
