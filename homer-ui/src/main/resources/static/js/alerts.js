import { h, mount, spinner, answer, empty } from './dom.js';
import { json, query } from './api.js';
import { formatLocal, utcTitle } from './time.js';
import { resolveRange, rangePicker } from './range.js';

// Alerts: /alerts?range=24h&severity=critical&state=firing&node=kamailio-1 (or range=custom&from&to; the state lives
// in the URL). Firing alerts first, then the range's resolved ones (GET /api/v1/alerts, homer-api's order:
// firing first, newest first), both narrowed by the filters. Each alert links to the search of its window with what its labels name (node,
// status class, method, source IP, User-Agent) and to the dashboard of its node. The header's badge counts the
// firing ones (firingCount).

/** Minutes searched before an alert's start: its rule looks back over a window of up to 15 minutes. */
const LOOKBACK_MS = 15 * 60e3;

/** Search parameters of the labels an alert may carry (alertmanager label → the search page's parameter). */
const SEARCH_LABELS = { node: 'node', status_class: 'status', status: 'status', method: 'method', src_ip: 'srcIp', user_agent: 'userAgent' };

/** The alert's time window: from its rule's look-back before the start to its end (now while firing). */
function alertWindow(alert) {
  const from = new Date(Date.parse(alert.startsAt) - LOOKBACK_MS).toISOString();
  const to = alert.endsAt ? new Date(Date.parse(alert.endsAt) + 60e3).toISOString() : new Date().toISOString();
  return { from, to };
}

/** The message search of what the alert is about, in its window. */
export function searchHref(alert) {
  const params = { view: 'messages', range: 'custom', ...alertWindow(alert) };
  for (const [label, param] of Object.entries(SEARCH_LABELS)) {
    if (alert.labels && alert.labels[label]) params[param] = alert.labels[label];
  }
  return '/' + query(params);
}

/** The dashboard of the alert's node in its window, or null for an alert about no node. */
export function dashboardHref(alert) {
  return alert.node ? '/dashboard' + query({ range: 'custom', ...alertWindow(alert), node: alert.node }) : null;
}

/** How many alerts fire now in the caller's scope (the header's badge). */
export async function firingCount(signal) {
  const list = await json('/api/v1/alerts' + query({ state: 'firing', limit: 1 }), { signal });
  return list.firing;
}

function link(app, href, text, label) {
  return h('a', { href, 'aria-label': label, onclick: (e) => { e.preventDefault(); app.navigate(href); } }, text);
}

function row(app, a) {
  const about = a.node || (a.labels && a.labels.instance) || '';
  const dashboard = dashboardHref(a);
  const runbook = a.annotations && a.annotations.runbook;
  return h('tr', { 'data-key': String(a.id), class: `sev-${a.severity || 'none'}` },
    h('td', null, h('span', { class: ['badge', `sev-${a.severity || 'none'}`] }, a.severity || 'none')),
    h('td', null,
      h('div', { class: 'alertname mono' }, a.alertname),
      a.annotations && a.annotations.summary ? h('div', { class: 'summary' }, a.annotations.summary) : null,
      a.annotations && a.annotations.description ? h('div', { class: 'hint' }, a.annotations.description) : null),
    h('td', { class: 'mono' }, about),
    h('td', { title: utcTitle(a.startsAt) }, formatLocal(a.startsAt)),
    h('td', { title: utcTitle(a.endsAt) }, a.endsAt ? formatLocal(a.endsAt) : 'firing'),
    h('td', { class: 'row-actions' },
      link(app, searchHref(a), 'Search', `Search the messages of ${a.alertname}${about ? ' on ' + about : ''}`),
      dashboard ? link(app, dashboard, 'Dashboard', `Dashboard of ${a.node}`) : null,
      runbook ? h('span', { class: 'hint runbook', title: 'Runbook in the operations guide' }, runbook.replace(/^docs\//, '')) : null));
}

function alertTable(app, id, caption, items) {
  return h('table', { class: 'list', id },
    h('caption', null, caption),
    h('thead', null, h('tr', null, ['Severity', 'Alert', 'Node / collector', 'Started', 'Ended', 'Links']
      .map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', null, items.map((a) => row(app, a))));
}

/** The filters homer-api's alert list takes besides the range, with the choices the page offers. */
const SEVERITIES = [['', 'any'], ['critical', 'critical'], ['warning', 'warning'], ['info', 'info']];
const STATES = [['', 'firing and resolved'], ['firing', 'firing'], ['resolved', 'resolved']];

function choice(id, name, options, value) {
  return h('select', { id, name }, options.map(([v, t]) => h('option', { value: v, selected: (value || '') === v }, t)));
}

export function alertsPage(root, app, signal) {
  const params = new URLSearchParams(location.search);
  if (!params.get('range') && !params.get('from')) params.set('range', '24h');
  const resolved = resolveRange(params);
  const picker = rangePicker(resolved);
  const severity = choice('a-severity', 'severity', SEVERITIES, params.get('severity'));
  const state = choice('a-state', 'state', STATES, params.get('state'));
  const node = h('input', { id: 'a-node', name: 'node', value: params.get('node') || '', autocomplete: 'off',
    spellcheck: 'false', placeholder: 'all nodes' });
  const form = h('form', { class: 'search alerts-form', 'aria-label': 'Alert filters' },
    h('div', { class: 'row' },
      h('div', { class: 'field' }, h('label', { for: 'range' }, 'Time range'), picker.select),
      picker.custom,
      h('div', { class: 'field' }, h('label', { for: 'a-severity' }, 'Severity'), severity),
      h('div', { class: 'field' }, h('label', { for: 'a-state' }, 'State'), state),
      h('div', { class: 'field' }, h('label', { for: 'a-node' }, 'Capture node'), node),
      h('button', { type: 'submit', class: 'primary', id: 'alerts-button' }, 'Show')),
    h('p', { class: 'hint' }, 'Alerts active at any time in the range. Node: the exact name of a capture node.'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    picker.writeTo(next);
    if (severity.value) next.set('severity', severity.value);
    if (state.value) next.set('state', state.value);
    if (node.value.trim()) next.set('node', node.value.trim());
    app.navigate('/alerts?' + next.toString());
  });
  const filters = { severity: params.get('severity') || '', state: params.get('state') || '', node: params.get('node') || '' };
  const narrowed = filters.severity || filters.node;
  const results = h('div', { id: 'alerts', 'aria-live': 'polite' }, spinner('Loading alerts…'));
  mount(root, h('h1', null, 'Alerts'),
    h('p', { class: 'hint' }, 'Delivered by Alertmanager from the suite\'s rules: firing now, then what fired in the range.'),
    form, results);
  (async () => {
    const list = await answer(results, signal, json('/api/v1/alerts' + query({ limit: 500, from: resolved.from, to: resolved.to,
      severity: filters.severity, state: filters.state, node: filters.node }), { signal }));
    if (!list) return;
    const firing = list.items.filter((a) => a.status === 'firing');
    const resolvedItems = list.items.filter((a) => a.status !== 'firing');
    const range = `${formatLocal(resolved.from, { digits: 0 })} – ${formatLocal(resolved.to, { digits: 0 })}`;
    const shown = [];
    if (filters.state !== 'resolved') {
      // the heading counts what the filters show; the header's badge, everything firing in the caller's scope
      shown.push(h('h2', null, narrowed ? `Firing (${firing.length} of ${list.firing})` : `Firing (${list.firing})`),
        firing.length ? alertTable(app, 'alerts-firing', 'Firing alerts', firing)
          : empty(narrowed ? 'Nothing that matches the filters is firing.' : 'Nothing is firing.'));
    }
    if (filters.state !== 'firing') {
      shown.push(h('h2', null, 'Resolved in the range'),
        resolvedItems.length ? alertTable(app, 'alerts-history', `Alerts resolved, ${range}`, resolvedItems)
          : empty(`No alert${narrowed ? ' that matches the filters' : ''} resolved in ${range}.`));
    }
    mount(results, ...shown);
    results.dataset.loads = String(Number(results.dataset.loads || 0) + 1);
  })();
  return () => {};
}
