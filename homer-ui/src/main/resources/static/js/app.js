import { h, mount, errorBox } from './dom.js';
import { session, login, logout, setUnauthorizedHandler, whoAmI } from './api.js';
import { searchPage } from './search.js';
import { withSearchFields } from './searchfields.js';
import { callPage } from './call.js';
import { livePage } from './live.js';
import { dashboardPage } from './dashboard.js';
import { adminPage, firstAdminPage } from './admin.js';
import { alertsPage, firingCount } from './alerts.js';
import { registrationsPage, registrationPage } from './registrations.js';
import { browserZone, zoneSetting, setZoneSetting, setClockUser } from './time.js';

// The engineer app: /login, / (search; the whole search is in the query string), /call/{callId}?from&to (or
// /call/-?callId=…&from&to), /live, /dashboard?range&node, /registrations?state&user&srcIp&node&order,
// /registrations/{aor}, /alerts, /admin/{users|tenants|aliases|tokens|shares}.
//
// Page lifecycle: a page is page(root, app, signal) → dispose. Every navigation aborts the shown page's
// AbortController, which cancels its requests (each carries the signal) and tells it to stop (after an await it
// looks at signal.aborted before touching the DOM, and an aborted request shows no error), then calls its dispose,
// which releases what the signal does not (listeners on window); then the next page is created with a new one.

const header = document.getElementById('top');
const main = document.getElementById('main');

/** The page shown: its controller and dispose. */
let current = null;

const app = {
  navigate(url, { replace = false } = {}) {
    if (replace) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
    render();
  },
};

setUnauthorizedHandler(() => {
  if (location.pathname !== '/login') {
    history.replaceState(null, '', '/login?next=' + encodeURIComponent(location.pathname + location.search));
    render();
  }
});

function navLink(href, text) {
  const here = href === '/' ? location.pathname === '/' || location.pathname.startsWith('/call/')
    : href.startsWith('/admin/') ? location.pathname.startsWith('/admin')
      : href === '/registrations' ? location.pathname.startsWith('/registrations') : location.pathname === href;
  return h('a', { href, 'aria-current': here ? 'page' : false, onclick: (e) => { e.preventDefault(); app.navigate(href); } }, text);
}

/** How often the header's count of firing alerts is asked again while a page stays open. */
const ALERT_POLL_MS = 60e3;
/** The header's alert count: its poll timer and the request in flight, replaced with the header. */
let alertBadge = null;

/** The count of firing alerts on the Alerts link, asked now and every minute; hidden at 0 or on error. */
function watchAlerts(badge) {
  if (alertBadge) {
    clearInterval(alertBadge.timer);
    alertBadge.controller.abort();
  }
  const controller = new AbortController();
  const update = () => firingCount(controller.signal).then((n) => {
    badge.textContent = n > 0 ? String(n) : '';
    badge.hidden = !(n > 0);
    badge.setAttribute('aria-label', `${n} firing`);
  }, () => { badge.hidden = true; });
  alertBadge = { controller, timer: setInterval(update, ALERT_POLL_MS) };
  update();
}

/** The clock's setting in the header: the browser's zone, UTC or any IANA zone; a change shows the page again. */
function clockPicker() {
  const current = zoneSetting();
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  if (current !== 'local' && current !== 'UTC' && !zones.includes(current)) zones.unshift(current);
  const select = h('select', { id: 'time-zone', title: 'The time zone of every time shown, kept for your account in this browser' },
    h('option', { value: 'local', selected: current === 'local' }, `Browser (${browserZone()})`),
    h('option', { value: 'UTC', selected: current === 'UTC' }, 'UTC'),
    zones.filter((z) => z !== 'UTC').map((z) => h('option', { value: z, selected: current === z }, z)));
  select.addEventListener('change', () => {
    setZoneSetting(select.value);
    render();
  });
  return h('span', { class: 'clock' }, h('label', { for: 'time-zone' }, 'Time zone'), select);
}

function renderHeader() {
  setClockUser(session.active ? session.user : null);
  const badge = h('span', { class: 'badge alert-count', id: 'alert-count', hidden: true });
  const alertsLink = session.active ? navLink('/alerts', 'Alerts') : null;
  if (alertsLink) alertsLink.append(' ', badge);
  const nav = session.active ? h('nav', { class: 'mainnav', 'aria-label': 'Main' }, navLink('/', 'Search'), navLink('/live', 'Live'), navLink('/dashboard', 'Dashboard'), navLink('/registrations', 'Registrations'), alertsLink) : null;
  mount(header,
    h('a', { class: 'brand', href: '/', onclick: (e) => { e.preventDefault(); app.navigate('/'); } }, 'hepstack'),
    nav,
    session.active ? clockPicker() : null,
    session.active ? h('button', { type: 'button', class: 'logout', onclick: () => { logout().finally(() => app.navigate('/login')); } }, 'Log out') : null);
  if (nav) watchAlerts(badge);
  else if (alertBadge) {
    clearInterval(alertBadge.timer);
    alertBadge.controller.abort();
    alertBadge = null;
  }
  // The admin link only for a role that may open an admin page (the API refuses the rest anyway).
  if (nav) {
    whoAmI().then((me) => {
      const href = firstAdminPage(me.role);
      if (href && nav.isConnected) nav.appendChild(navLink(href, me.role === 'admin' ? 'Admin' : 'Share links'));
    }, () => {});
  }
}

function loginPage(root, app, signal) {
  const next = new URLSearchParams(location.search).get('next');
  const user = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true });
  const pass = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const out = h('div', { 'aria-live': 'assertive' });
  const button = h('button', { type: 'submit', class: 'primary', id: 'login-button' }, 'Log in');
  const form = h('form', { class: 'login', 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title' }, 'Log in'),
    h('label', { for: 'username' }, 'User name'), user,
    h('label', { for: 'password' }, 'Password'), pass,
    button, out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    button.disabled = true;
    mount(out);
    try {
      await login(user.value, pass.value);
      if (signal.aborted) return;
      // Only a same-origin path is followed after login.
      app.navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
    } catch (err) {
      if (signal.aborted) return;
      mount(out, errorBox(err));
      pass.select();
    } finally {
      if (!signal.aborted) button.disabled = false;
    }
  });
  mount(root, form);
  user.focus();
  return () => {};
}

/** The page of the URL, as (root, app, signal) → dispose; a redirect replaces the URL first. */
function route() {
  const path = location.pathname;
  if (path === '/login') return loginPage;
  if (!session.active) {
    history.replaceState(null, '', '/login?next=' + encodeURIComponent(path + location.search));
    return loginPage;
  }
  if (path === '/admin' || path === '/admin/') {
    history.replaceState(null, '', '/admin/users');
    return (root, app, signal) => adminPage(root, app, signal, 'users');
  }
  const call = /^\/call\/([^/]+)$/.exec(path);
  if (call) {
    // /call/-?callId=… for a Call-ID a path step cannot be (callHref in api.js)
    const inQuery = call[1] === '-' ? new URLSearchParams(location.search).get('callId') : null;
    const callId = inQuery ?? decodeURIComponent(call[1]);
    return (root, app, signal) => callPage(root, app, signal, callId);
  }
  const admin = /^\/admin\/([a-z]+)$/.exec(path);
  if (admin) return (root, app, signal) => adminPage(root, app, signal, admin[1]);
  if (path === '/dashboard') return dashboardPage;
  if (path === '/registrations') return registrationsPage;
  const registration = /^\/registrations\/([^/]+)$/.exec(path);
  if (registration) {
    let aor;
    try { aor = decodeURIComponent(registration[1]); } catch { aor = registration[1]; }
    return (root, app, signal) => registrationPage(root, app, signal, aor);
  }
  if (path === '/alerts') return alertsPage;
  if (path === '/live') return withSearchFields(livePage);
  return withSearchFields(searchPage);
}

const ADMIN_TITLES = { users: 'Users', tenants: 'Tenants', aliases: 'Host aliases', tokens: 'API tokens', shares: 'Share links' };

/** The tab's title for the URL shown, so that several tabs of the app differ: "Call 1-123@host — hepstack". */
function titleOf(path) {
  const call = /^\/call\/([^/]+)$/.exec(path);
  let what = 'Search';
  if (call) {
    try { what = `Call ${decodeURIComponent(call[1])}`; } catch { what = 'Call'; }
  } else if (path === '/login') what = 'Log in';
  else if (path === '/live') what = 'Live';
  else if (path === '/dashboard') what = 'Dashboard';
  else if (path === '/registrations') what = 'Registrations';
  else if (path.startsWith('/registrations/')) {
    try { what = `Registrations of ${decodeURIComponent(path.split('/')[2])}`; } catch { what = 'Registrations'; }
  }
  else if (path.startsWith('/admin')) what = `${ADMIN_TITLES[path.split('/')[2]] || 'Admin'} (admin)`;
  return `${what} — hepstack`;
}

/** Leaves the page shown (aborts its signal, then disposes it) and shows the page of the URL. */
function render() {
  if (current) {
    current.controller.abort();
    current.dispose();
    current = null;
  }
  const page = route();
  document.title = titleOf(location.pathname);
  renderHeader();
  const controller = new AbortController();
  let dispose = () => {};
  try {
    dispose = page(main, app, controller.signal);
  } catch (e) {
    mount(main, errorBox(e));
  }
  current = { controller, dispose };
}

window.addEventListener('popstate', render);
render();
