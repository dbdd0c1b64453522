// The console's shell: who is signed in (roles from /.auth/me), the language, the cycle picker and the panels,
// one module each, chosen by the URL fragment (#overview, #signatory/{id}, #reminders, …).
import { h, clear, status } from './dom.js';
import { t, tv, lang, setLang, applyStatic } from './i18n.js';
import { get } from './api.js';
import * as overview from './overview.js';
import * as signatory from './signatory.js';
import * as reminders from './reminders.js';
import * as reports from './reports.js';
import * as registry from './registry.js';
import * as cycles from './cycles.js';
import * as audit from './audit.js';

const panels = { overview, signatory, reminders, reports, registry, cycles, audit };

export const session = { roles: new Set(), name: '', cycles: [], cycleId: null };

/** May the signed-in member do this? The API checks again (403); this only hides what would fail. */
export function may(role) {
  if (role === 'Nap.Reader') return session.roles.has('Nap.Reader') || session.roles.has('Nap.Coordinator');
  return session.roles.has(role);
}

async function loadSession() {
  const response = await fetch('/.auth/me', { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' } });
  if (response.status === 401) { location.assign('/.auth/login/aad?post_login_redirect_uri=/api/console'); return false; }
  const me = await response.json();
  const claims = (me[0] && me[0].user_claims) || [];
  const roleType = (me[0] && me[0].role_typ) || 'roles';
  session.roles = new Set(claims.filter(c => c.typ === roleType || c.typ === 'roles' || c.typ === 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role').map(c => c.val));
  session.name = (claims.find(c => c.typ === 'name') || {}).val || (me[0] && me[0].user_id) || '';
  return true;
}

async function loadCycles() {
  const { data } = await get('cycles');
  session.cycles = [...data].sort((a, b) => String(b.id).localeCompare(String(a.id)));
  const wanted = new URLSearchParams(location.hash.split('?')[1] || '').get('cycle') || localStorage.getItem('nap-console-cycle');
  const open = session.cycles.find(c => c.status === 'open');
  session.cycleId = (session.cycles.find(c => c.id === wanted) || open || session.cycles[0] || {}).id || null;
}

function renderPicker() {
  const select = document.getElementById('cycle');
  clear(select);
  for (const c of session.cycles) select.append(h('option', { value: c.id, selected: c.id === session.cycleId }, `${c.id} (${tv('cycleStatus', c.status)})`));
  document.getElementById('cycle-picker').hidden = session.cycles.length === 0;
}

function renderNav() {
  const current = route().panel;
  document.querySelectorAll('#nav a').forEach(a => {
    const role = a.dataset.role;
    a.parentElement.hidden = role ? !may(role) : false;
    if (a.dataset.panel === current) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  });
  document.getElementById('who').textContent = session.name ? t('signedInAs', { name: session.name, roles: [...session.roles].join(', ') || t('noRoles') }) : '';
}

export function route() {
  const [path, query] = location.hash.replace(/^#\/?/, '').split('?');
  const [panel, ...args] = path.split('/').map(decodeURIComponent);
  return { panel: panels[panel] ? panel : 'overview', args, query: new URLSearchParams(query || '') };
}

let rendering = 0;
export async function render(focus = true) {
  const mine = ++rendering;
  const { panel, args, query } = route();
  // After an action re-renders the panel, focus goes back to the same control (same row), not to the page's top.
  const active = document.activeElement;
  const again = !focus && active && active.dataset && active.dataset.action && active.closest('#content')
    ? (active.closest('tr[data-id]') ? `tr[data-id="${CSS.escape(active.closest('tr[data-id]').dataset.id)}"] ` : '') + `[data-action="${active.dataset.action}"]`
    : null;
  renderNav();
  const main = document.getElementById('content');
  document.body.removeAttribute('data-ready');
  const target = h('div', { class: 'panel' });
  try {
    await panels[panel].render(target, { args, query, session, may, cycleId: session.cycleId, rerender: () => render(false) });
  } catch (e) {
    target.append(h('div', { class: 'problem', role: 'alert' }, h('p', { class: 'problem-title' }, e.title || t('failed')), e.detail ? h('p', null, e.detail) : null));
  }
  if (mine !== rendering) return;
  clear(main).append(target);
  const title = target.querySelector('h1');
  document.title = (title ? title.textContent + ' – ' : '') + t('pageTitle');
  if (focus && title) title.focus();
  else if (again) (target.querySelector(again) || title || main).focus();
  document.body.setAttribute('data-ready', 'true');
}

async function start() {
  applyStatic();
  document.getElementById('lang-switch').addEventListener('click', () => { setLang(lang() === 'nl' ? 'en' : 'nl'); applyStatic(); renderPicker(); render(false); status(t('langChanged')); });
  document.getElementById('cycle').addEventListener('change', e => {
    session.cycleId = e.target.value;
    localStorage.setItem('nap-console-cycle', session.cycleId);
    render(false);
  });
  window.addEventListener('hashchange', () => render(true));
  try {
    if (!(await loadSession())) return;
    await loadCycles();
  } catch (e) {
    document.getElementById('content').append(h('div', { class: 'problem', role: 'alert' }, h('p', { class: 'problem-title' }, t('failed')), h('p', null, e.detail || e.message)));
    document.body.setAttribute('data-ready', 'true');
    return;
  }
  renderPicker();
  await render(false);
}

start();
