import { h, mount, spinner, answer, empty } from './dom.js';
import { json, query } from './api.js';
import { formatLocal, utcTitle } from './time.js';

// Alerts: /alerts. Firing alerts first, then the last 24 h's resolved ones (GET /api/v1/alerts, homer-api's order:
// firing first, newest first). Each alert links to the search of its window with what its labels name (node,
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

export function alertsPage(root, app, signal) {
  const results = h('div', { id: 'alerts', 'aria-live': 'polite' }, spinner('Loading alerts…'));
  mount(root, h('h1', null, 'Alerts'),
    h('p', { class: 'hint' }, 'Delivered by Alertmanager from the suite\'s rules: firing now, then what fired in the last 24 h.'),
    results);
  (async () => {
    const list = await answer(results, signal, json('/api/v1/alerts' + query({ limit: 500 }), { signal }));
    if (!list) return;
    const firing = list.items.filter((a) => a.status === 'firing');
    const resolved = list.items.filter((a) => a.status !== 'firing');
    mount(results,
      h('h2', null, `Firing (${list.firing})`),
      firing.length ? alertTable(app, 'alerts-firing', 'Firing alerts', firing) : empty('Nothing is firing.'),
      h('h2', null, 'Recent history'),
      resolved.length ? alertTable(app, 'alerts-history', 'Alerts resolved in the last 24 h', resolved)
        : empty('No alert resolved in the last 24 h.'));
    results.dataset.loads = String(Number(results.dataset.loads || 0) + 1);
  })();
  return () => {};
}
