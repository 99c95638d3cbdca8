import { h, mount, spinner, answer, empty, statusClass } from './dom.js';
import { json, query } from './api.js';
import { formatLocal, utcTitle } from './time.js';

// Registrations: /registrations?state&user&srcIp&node&order (the list: where each binding stands, failing first by
// default; GET /api/v1/registrations) and /registrations/{aor} (one AoR: its bindings and its REGISTER transactions
// of the last 24 h, newest first; GET /api/v1/registrations/{aor}). The state of the list lives in the URL.

/** The states homer-api reads, in the order the summary names them, and what each says in words. */
const STATES = {
  failed: 'Failed: the last REGISTER got a final error',
  challenge_loop: 'Challenge loop: challenged again and again, never accepted',
  expired: 'Expired: no refresh before the registration ran out',
  registered: 'Registered',
  unregistered: 'Unregistered: removed by the phone (expiry 0)',
};
const STATE_CLASS = { failed: 'st-5xx', challenge_loop: 'st-4xx', expired: 'st-6xx', registered: 'st-2xx', unregistered: 'st-1xx' };
const FIELDS = ['state', 'user', 'srcIp', 'node'];

export function registrationHref(aor) {
  return `/registrations/${encodeURIComponent(aor)}`;
}

function link(app, href, text, props = {}) {
  return h('a', { href, ...props, onclick: (e) => { e.preventDefault(); app.navigate(href); } }, text);
}

function stateBadge(state) {
  return h('span', { class: ['badge', 'reg-state', STATE_CLASS[state] || 'st-req'], title: STATES[state] || state }, state.replace('_', ' '));
}

function time(iso) {
  return iso ? h('span', { title: utcTitle(iso) }, formatLocal(iso)) : '—';
}

function endpoint(e) {
  return e ? `${e.ip}:${e.port}` : '—';
}

function bindingRow(app, r, withAor) {
  return h('tr', { 'data-key': String(r.id), class: STATE_CLASS[r.state] || false },
    withAor ? h('td', { class: 'mono', title: r.aor }, link(app, registrationHref(r.aor), r.aor, { 'aria-label': `History of ${r.aor}` })) : null,
    h('td', null, stateBadge(r.state)),
    h('td', { class: 'mono', title: r.contact }, r.contact),
    h('td', { class: 'mono' }, endpoint(r.source)),
    h('td', { title: r.userAgent || false }, r.userAgent || '—'),
    h('td', null, r.state === 'registered' || r.state === 'expired' ? time(r.expiresAt) : '—'),
    h('td', null, time(r.lastRegisterAt)),
    h('td', { class: 'num' }, String(r.challenges)),
    h('td', { class: 'num' }, String(r.failures)),
    h('td', null, r.lastFailureAt ? [h('span', { class: ['badge', statusClass(r.lastFailureStatus)] }, String(r.lastFailureStatus)), ' ', time(r.lastFailureAt)] : '—'));
}

function bindingTable(app, id, caption, items, withAor) {
  const columns = [withAor ? 'AoR' : null, 'State', 'Contact', 'Source', 'User-Agent', 'Expires', 'Last REGISTER', 'Challenges', 'Failures', 'Last failure']
    .filter((c) => c);
  return h('div', { class: 'table-wrap' }, h('table', { class: 'list', id },
    h('caption', { class: 'sr-only' }, caption),
    h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', null, items.map((r) => bindingRow(app, r, withAor)))));
}

/** The list page. */
export function registrationsPage(root, app, signal) {
  const params = new URLSearchParams(location.search);
  const order = params.get('order') === 'recent' ? 'recent' : 'failing';
  const state = h('select', { id: 'r-state', name: 'state' },
    h('option', { value: '' }, 'any'),
    Object.keys(STATES).map((s) => h('option', { value: s, selected: params.get('state') === s }, s.replace('_', ' '))));
  const input = (name, label, placeholder) => h('div', { class: 'field' }, h('label', { for: `r-${name}` }, label),
    h('input', { id: `r-${name}`, name, value: params.get(name) || '', autocomplete: 'off', spellcheck: 'false', placeholder }));
  const orderSelect = h('select', { id: 'r-order', name: 'order' },
    h('option', { value: 'failing', selected: order === 'failing' }, 'failing first'),
    h('option', { value: 'recent', selected: order === 'recent' }, 'newest first'));
  const form = h('form', { class: 'search registrations-form', 'aria-label': 'Registrations' },
    h('div', { class: 'row' },
      h('div', { class: 'field' }, h('label', { for: 'r-state' }, 'State'), state),
      input('user', 'User or AoR', 'alice, 100*, *@example.com'),
      input('srcIp', 'Source IP', '10.1.0.0/16'),
      input('node', 'Capture node', 'all nodes'),
      h('div', { class: 'field' }, h('label', { for: 'r-order' }, 'Order'), orderSelect),
      h('button', { type: 'submit', class: 'primary', id: 'registrations-button' }, 'Show')),
    h('p', { class: 'hint' }, 'The bindings registered in the last 24 h (AoR, Contact, source address, User-Agent), kept by the collectors from the REGISTER transactions; the state as of now.'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const next = {};
    for (const name of FIELDS) {
      const v = form.elements[name].value.trim();
      if (v) next[name] = v;
    }
    if (orderSelect.value !== 'failing') next.order = orderSelect.value;
    app.navigate('/registrations' + query(next));
  });
  const results = h('section', { class: 'results', id: 'registrations', 'aria-live': 'polite', 'aria-label': 'Registrations' },
    spinner('Loading registrations…'));
  mount(root, h('h1', null, 'Registrations'), form, results);
  const q = { order, limit: 500 };
  for (const name of FIELDS) if (params.get(name)) q[name] = params.get(name);
  (async () => {
    const page = await answer(results, signal, json('/api/v1/registrations' + query(q), { signal }));
    if (!page) return;
    const counts = {};
    for (const r of page.items) counts[r.state] = (counts[r.state] || 0) + 1;
    const summary = h('ul', { class: 'status-mix', id: 'registration-summary', 'aria-label': 'Bindings by state' },
      Object.keys(STATES).filter((s) => counts[s]).map((s) => h('li', null, stateBadge(s), ' ', String(counts[s]))));
    mount(results,
      page.items.length ? summary : null,
      page.items.length ? bindingTable(app, 'registration-list', 'Bindings', page.items, true)
        : empty('No registration in the last 24 h matches. Registrations are recorded by collectors that keep call records.'),
      page.nextCursor ? h('p', { class: 'hint' }, `The first ${page.items.length} bindings are shown: narrow the filters to see the others.`) : null);
    results.dataset.loads = String(Number(results.dataset.loads || 0) + 1);
  })();
  return () => {};
}

function transactionRow(app, t) {
  const result = t.status ? [h('span', { class: ['badge', statusClass(t.status)] }, String(t.status)), ' ', t.phrase || ''] : 'no answer';
  const expires = t.grantedExpires !== null && t.grantedExpires !== undefined ? `${t.grantedExpires} s`
    : t.requestedExpires !== null && t.requestedExpires !== undefined ? `asked ${t.requestedExpires} s` : '—';
  const search = '/' + query({ view: 'messages', range: 'custom', callId: t.callId,
    from: new Date(Date.parse(t.requestAt) - 60e3).toISOString(), to: new Date(Date.parse(t.answeredAt || t.requestAt) + 60e3).toISOString() });
  return h('tr', { class: t.status ? statusClass(t.status) : false },
    h('td', null, time(t.requestAt)),
    h('td', null, h('span', { class: ['outcome', `outcome-${t.outcome}`] }, t.outcome)),
    h('td', null, result),
    h('td', null, expires),
    h('td', { class: 'mono', title: t.contact }, t.contact),
    h('td', { class: 'mono' }, endpoint(t.source)),
    h('td', { class: 'mono' }, link(app, search, `${t.callId} · ${t.cseq}`, { title: 'The messages of this transaction' })));
}

/** One AoR's page. */
export function registrationPage(root, app, signal, aor) {
  const results = h('section', { class: 'results', id: 'registration', 'aria-live': 'polite', 'aria-label': `Registrations of ${aor}` },
    spinner('Loading the registrations…'));
  mount(root, h('h1', null, 'Registrations of ', h('span', { class: 'mono' }, aor)),
    h('p', null, link(app, '/registrations', 'All registrations')), results);
  (async () => {
    const hist = await answer(results, signal, json(`/api/v1/registrations/${encodeURIComponent(aor)}`, { signal }));
    if (!hist) return;
    mount(results,
      h('h2', null, `Bindings (${hist.bindings.length})`),
      hist.bindings.length ? bindingTable(app, 'registration-bindings', 'Bindings of the AoR', hist.bindings, false)
        : empty('No binding recorded for this AoR.'),
      h('h2', null, `REGISTER transactions of the last 24 h (${hist.transactions.length}${hist.truncated ? ', the newest' : ''})`),
      hist.transactions.length
        ? h('div', { class: 'table-wrap' }, h('table', { class: 'list', id: 'registration-history' },
          h('caption', { class: 'sr-only' }, 'REGISTER transactions, newest first'),
          h('thead', null, h('tr', null, ['Sent', 'Outcome', 'Answer', 'Expires', 'Contact', 'Source', 'Call-ID · CSeq']
            .map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', null, hist.transactions.map((t) => transactionRow(app, t)))))
        : empty('No REGISTER of this AoR in the last 24 h.'));
    results.dataset.loads = String(Number(results.dataset.loads || 0) + 1);
  })();
  return () => {};
}
