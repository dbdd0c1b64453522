/* The coordinators' review as the signatory sees it: the state at the top (returned with its reason and revision
   deadline, waiting for review, accepted) and each comment meant for the signatory at the section, contribution or
   narrative its pointer names. The server never sends internal comments; text reaches the page only as textContent. */
(function () {
  'use strict';
  var F = window.NapForm;
  if (!F) return;
  var S = F.S, t = F.t, h = F.h, $ = F.$;

  var TEXT = {
    nl: {
      'review.returnedTitle': 'Teruggestuurd voor aanpassing',
      'review.returnedIntro': 'De coördinatoren hebben versie {version} teruggestuurd. Pas uw rapportage aan en verzend een nieuwe versie.',
      'review.reason': 'Reden:',
      'review.deadline': 'Nieuwe versie graag vóór {time} (Nederlandse tijd).',
      'review.commentsIntro': 'Opmerkingen van de coördinatoren, bij de onderdelen waar ze over gaan:',
      'review.waitingTitle': 'Wacht op beoordeling',
      'review.waitingIntro': 'Versie {version} is ontvangen en wacht op beoordeling door de coördinatoren.',
      'review.acceptedTitle': 'Geaccepteerd',
      'review.acceptedIntro': 'De coördinatoren hebben versie {version} geaccepteerd. U kunt nog een nieuwe versie verzenden; die wordt opnieuw beoordeeld.',
      'review.comment': 'Opmerking van de coördinatoren ({n} van {count})',
      'review.commentAt': 'Opmerking {n}: {where}',
      'review.notInForm': 'gaat over een onderdeel dat nu niet in het formulier staat',
      'review.narrativeAt': '{goal} – {kind}'
    },
    en: {
      'review.returnedTitle': 'Returned for revision',
      'review.returnedIntro': 'The coordinators have returned version {version}. Please revise your report and submit a new version.',
      'review.reason': 'Reason:',
      'review.deadline': 'Please submit a new version by {time} (Netherlands time).',
      'review.commentsIntro': 'Comments from the coordinators, at the parts they are about:',
      'review.waitingTitle': 'Waiting for review',
      'review.waitingIntro': 'Version {version} has been received and is waiting for review by the coordinators.',
      'review.acceptedTitle': 'Accepted',
      'review.acceptedIntro': 'The coordinators have accepted version {version}. You can still submit a new version; it will be reviewed again.',
      'review.comment': 'Comment from the coordinators ({n} of {count})',
      'review.commentAt': 'Comment {n}: {where}',
      'review.notInForm': 'is about a part that is not in the form now',
      'review.narrativeAt': '{goal} – {kind}'
    }
  };
  Object.keys(TEXT).forEach(function (lang) { Object.assign(window.NAP_TEXT[lang], TEXT[lang]); });

  // A version sent from this page after the review was read: waiting for review until the page reads it again.
  var sentHere = null, known = null;

  function current() {
    var r = S.latest && S.latest.review;
    if (sentHere && (!r || sentHere.version > r.version)) return sentHere;
    return r || null;
  }
  function waiting(state) { return state === 'submitted' || state === 'resubmitted'; }

  function banner() {
    var box = $('review-state');
    if (!box) {
      box = h('section', { id: 'review-state', class: 'review-state', tabindex: '-1', 'aria-labelledby': 'review-state-title', hidden: true });
      $('intro').after(box);
    }
    return box;
  }

  // Where a pointer lands: the goal, one contribution (by its stable id) or one narrative.
  function anchorFor(pointer) {
    var m = /^\/goals\/([^/]+)(?:\/(contributions|narratives)\/([^/]+))?$/.exec(pointer || '');
    if (!m) return null;
    var goal = $('goal-' + m[1]);
    if (!goal) return null;
    if (!m[2]) return { el: goal, where: goal.getAttribute('data-label') };
    if (m[2] === 'contributions') {
      var c = Array.prototype.filter.call(goal.querySelectorAll('.contribution'), function (x) { return x.getAttribute('data-id') === m[3]; })[0];
      return c ? { el: c, where: c.getAttribute('data-label') } : null;
    }
    var field = goal.querySelector('[data-pointer="/goals/' + m[1] + '/narratives/' + m[3] + '/text"]');
    var n = field && field.closest('.narrative');
    return n ? { el: n, where: t('review.narrativeAt', { goal: m[1], kind: t('narrative.' + m[3]) }), inside: true } : null;
  }

  function place(el, anchor) {
    if (anchor.inside) { anchor.el.prepend(el); return; }
    var legend = anchor.el.querySelector(':scope > legend');
    if (legend) legend.after(el); else anchor.el.prepend(el);
  }

  function draw() {
    document.querySelectorAll('.review-comment').forEach(function (el) { el.remove(); });
    var r = current(), box = banner();
    if (r) known = r;
    box.textContent = '';
    if (!r) { box.hidden = true; return []; }
    var placed = [];
    if (waiting(r.state)) {
      box.append(h('h2', { id: 'review-state-title', text: t('review.waitingTitle') }),
        h('p', { id: 'review-state-text', text: t('review.waitingIntro', { version: r.version }) }));
    } else {
      var returned = r.state === 'returned';
      box.append(h('h2', { id: 'review-state-title', text: t(returned ? 'review.returnedTitle' : 'review.acceptedTitle') }),
        h('p', { id: 'review-state-text', text: t(returned ? 'review.returnedIntro' : 'review.acceptedIntro', { version: r.version }) }));
      if (returned && r.reason) box.append(h('p', { class: 'review-reason' }, h('strong', { text: t('review.reason') }), ' ', h('span', { id: 'review-reason', text: r.reason })));
      if (returned && r.revisionDeadline) box.append(h('p', { id: 'review-deadline', text: t('review.deadline', { time: F.fmtLocal(r.revisionDeadline) }) }));
      var comments = Array.isArray(r.comments) ? r.comments : [];
      if (comments.length) {
        var list = h('ul', { class: 'review-links' });
        comments.forEach(function (c, i) {
          var id = 'review-comment-' + (i + 1), anchor = anchorFor(c.pointer);
          if (anchor) {
            var note = h('div', { class: 'review-comment', id: id, tabindex: '-1', role: 'note', 'aria-labelledby': id + '-title', 'data-pointer-ref': c.pointer },
              h('p', { class: 'review-comment-title', id: id + '-title', text: t('review.comment', { n: i + 1, count: comments.length }) }),
              h('p', { class: 'review-comment-text', text: c.text }));
            place(note, anchor);
            placed.push(note);
            list.append(h('li', null, h('a', { href: '#' + id, text: t('review.commentAt', { n: i + 1, where: anchor.where }) })));
          } else {
            // The part is gone from what is being edited (say a contribution was removed): the comment stays readable here.
            list.append(h('li', { class: 'review-orphan' }, t('review.commentAt', { n: i + 1, where: t('review.notInForm') }) + ': ', h('span', { text: c.text })));
          }
        });
        box.append(h('p', { text: t('review.commentsIntro') }), list);
      }
    }
    box.hidden = false;
    return placed;
  }

  document.addEventListener('nap:render', function () { draw(); });
  document.addEventListener('nap:ready', function () {
    var placed = draw(), r = current();
    if (placed.length) placed[0].focus();
    else if (r && r.state === 'returned') banner().focus();
  });
  document.addEventListener('nap:receipt', function (e) {
    var receipt = e.detail, before = known;
    if (!sentHere || receipt.version > sentHere.version)
      sentHere = { state: before && before.state !== 'submitted' ? 'resubmitted' : 'submitted', version: receipt.version, comments: [] };
    draw();
    var box = $('receipt');
    if (box && !$('receipt-review')) box.querySelector('.receipt-data').after(h('p', { id: 'receipt-review', text: t('review.waitingIntro', { version: receipt.version }) }));
  });
  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('.review-links a');
    if (!a) return;
    var target = $(a.getAttribute('href').slice(1));
    if (!target) return;
    e.preventDefault();
    if (!$('receipt').hidden) { $('receipt').hidden = true; $('report').hidden = false; }
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: 'start' });
  });
})();
