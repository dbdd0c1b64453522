// Reports of a cycle: request a final (coordinators), every draft and final with its status and files (DOCX, JSON,
// CSV served by the app to signed-in staff) and the SharePoint copy once published.
import { h, field, table, heading, showProblem, clearErrors, status } from './dom.js';
import { t, tv, amsterdam } from './i18n.js';
import { get, api, enc } from './api.js';

export async function render(root, ctx) {
  root.append(heading(t('reportsTitle')));
  if (!ctx.cycleId) { root.append(h('p', null, t('noCycles'))); return; }
  const { data } = await get(`cycles/${enc(ctx.cycleId)}/report`);

  if (ctx.may('Nap.Coordinator')) {
    const language = field({ label: t('reportLanguage'), type: 'select', name: 'lang', value: 'nl', options: [{ value: 'nl', label: 'Nederlands' }, { value: 'en', label: 'English' }] });
    const form = h('form', { class: 'request-final', novalidate: true },
      h('h2', null, t('requestFinal')), h('p', { class: 'hint' }, t('requestFinalHint')),
      h('div', { class: 'inline' }, language, h('button', { type: 'submit', class: 'primary', 'data-action': 'request-final' }, t('requestFinalButton'))));
    const progress = h('p', { class: 'progress', role: 'status' });
    form.append(progress);
    form.addEventListener('submit', async e => {
      e.preventDefault();
      clearErrors(form);
      const button = form.querySelector('button[type=submit]');
      button.setAttribute('aria-disabled', 'true');
      try {
        // A fresh key per click: a retried request with the same key is answered once, not compiled twice.
        const { data: receipt } = await api('POST', `cycles/${enc(ctx.cycleId)}/report?lang=${enc(language.control.value)}`, { headers: { 'Idempotency-Key': crypto.randomUUID() } });
        progress.textContent = t('finalRequested');
        await waitFor(ctx.cycleId, receipt.requestId, progress);
        await ctx.rerender();
      } catch (err) {
        button.removeAttribute('aria-disabled');
        showProblem(form, progress, err).focus();
      }
    });
    root.append(form);
  }

  root.append(h('h2', null, t('reportVersions')), table({
    caption: t('reportVersionsCaption', { cycle: ctx.cycleId }),
    columns: [
      { label: t('version'), header: true, cell: v => v.version },
      { label: t('reportKind'), cell: v => tv('reportKind', v.kind) },
      { label: t('reportStatus'), cell: v => v.status },
      { label: t('created'), cell: v => v.createdAtLocal ? v.createdAtLocal.replace('T', ' ') : amsterdam(v.createdAt) },
      { label: t('submissionsCount'), cell: v => v.submissions },
      { label: t('published'), cell: v => tv('publish', v.publishStatus) },
      { label: t('files'), cell: v => h('ul', { class: 'files' }, v.files.map(f => h('li', null,
        h('a', { href: f.url, download: f.name, 'data-file': f.file }, t('download', { file: f.file })), ` (${Math.max(1, Math.round(f.bytes / 1024))} KB)`,
        f.publishedUrl ? [' · ', h('a', { href: f.publishedUrl, rel: 'noopener' }, t('sharePoint'))] : null))) },
    ],
    rows: [...data.versions].sort((a, b) => b.version - a.version),
    empty: t('noReports'),
  }));
  if (data.requests && data.requests.length) root.append(h('h2', null, t('reportRequests')), table({
    caption: t('reportRequests'),
    columns: [
      { label: t('requested'), header: true, cell: r => amsterdam(r.requestedAt) },
      { label: t('reportStatus'), cell: r => r.status },
      { label: t('reportLanguage'), cell: r => r.language },
      { label: t('version'), cell: r => r.reportVersion ?? '–' },
    ],
    rows: [...data.requests].sort((a, b) => String(b.requestedAt).localeCompare(String(a.requestedAt))),
  }));
}

/** Polls the listing until the request has its version (the compile runs in the background), at most two minutes. */
async function waitFor(cycleId, requestId, progress) {
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    const { data } = await get(`cycles/${enc(cycleId)}/report`);
    const request = (data.requests || []).find(r => r.requestId === requestId);
    if (request && request.reportVersion && data.versions.some(v => v.version === request.reportVersion && v.files.length)) {
      progress.textContent = t('finalReady', { version: request.reportVersion });
      return;
    }
    if (request && /fail/.test(request.status)) throw Object.assign(new Error(), { title: t('finalFailed'), status: 500 });
    await new Promise(r => setTimeout(r, 1500));
  }
  progress.textContent = t('finalSlow');
}
