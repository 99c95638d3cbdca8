import uPlot from '/webjars/uplot/dist/uPlot.esm.js';
import { h, mount, spinner, answer, empty, statusClass } from './dom.js';
import { json, query } from './api.js';
import { formatLocal, utcTitle, duration, timeAxis } from './time.js';
import { resolveRange, rangePicker } from './range.js';

// KPI dashboard: /dashboard?range=1h&node=kamailio-1 (or range=custom&from&to). The state lives in the URL.
// Data: GET /api/v1/stats/kpi and /api/v1/stats/volume (RFC 6076 ratios from the call records, messages per bucket), and
// GET /api/v1/stats/breakdown (the top nodes, source addresses and callee prefixes, from the call and registration
// records; each row names the call list's parameters that list its calls).

const COLOURS = ['#1f6feb', '#1a7f37', '#bf3989', '#bc4c00', '#8250df', '#0a7ea4', '#6e7781', '#cf222e'];
const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx', '6xx'];
const STATUS_COLOURS = { '1xx': '#6e7781', '2xx': '#1a7f37', '3xx': '#0969da', '4xx': '#9a6700', '5xx': '#cf222e', '6xx': '#8250df' };

const percent = (r) => (r === null || r === undefined ? '—' : `${(r * 100).toFixed(1)} %`);
const count = (n) => (n === null || n === undefined ? '—' : Number(n).toLocaleString('en-US'));
const ms = (n) => (n === null || n === undefined ? '—' : duration(Math.round(n)));
const mean = (n) => (n === null || n === undefined ? '—' : String(Number(n.toFixed(2))));

function stepText(seconds) {
  if (!seconds) return '';
  if (seconds % 86400 === 0) return `${seconds / 86400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** A figure with a uPlot chart of series over the buckets' times, and the same numbers as a table; the chart goes with the page (signal). */
function chart(id, title, times, isoTimes, series, signal, { format = (v) => (v === null ? '' : String(v)), yRange } = {}) {
  const box = h('div', { class: 'plot' });
  const table = h('table', { class: 'list data' },
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Time'), series.map((s) => h('th', { scope: 'col' }, s.label)))),
    h('tbody', null, isoTimes.map((t, i) => h('tr', null,
      h('td', { title: utcTitle(t) }, formatLocal(t, { digits: 0 })),
      series.map((s) => h('td', { class: 'num' }, format(s.values[i])))))));
  const figure = h('figure', { class: 'chart', id },
    h('figcaption', null, title), box,
    h('details', null, h('summary', null, 'Data table'), h('div', { class: 'table-wrap' }, table)));
  requestAnimationFrame(() => {
    if (signal.aborted) return;
    // uPlot builds its DOM with createElement/textContent and styles via CSSOM (allowed by our CSP).
    const axis = timeAxis(uPlot);
    const plot = new uPlot({
      width: Math.max(320, Math.min(640, box.clientWidth || 560)), height: 200, tzDate: axis.tzDate,
      series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: s.colour || COLOURS[i % COLOURS.length], width: 2, points: { show: times.length < 60 } }))],
      scales: { x: axis.x, ...(yRange ? { y: { range: yRange } } : {}) },
      axes: [{}, { size: 56 }],
    }, [times, ...series.map((s) => s.values)], box);
    // uPlot keeps every chart in a global set, listening on window, until it is destroyed.
    signal.addEventListener('abort', () => plot.destroy(), { once: true });
  });
  return figure;
}

function tile(id, label, value, title) {
  return h('div', { class: 'tile', id: `tile-${id}`, title: title || false },
    h('div', { class: 'tile-label' }, label), h('div', { class: 'tile-value' }, value));
}

/**
 * The search showing what a tile counts, over the dashboard's range: the call list (`extra` filters: a final
 * status), or, for a capture node (a filter the call list does not take), the message list of that node.
 */
function searchOf(q, extra = {}) {
  const p = new URLSearchParams({ view: q.node ? 'messages' : 'calls', range: 'custom', from: q.from, to: q.to });
  if (q.node) p.set('node', q.node);
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  return '/?' + p.toString();
}

const ratio = (n, d) => (!d ? null : (n || 0) / d);

/** The registrations page, failing first, of the dashboard's node when it names one. */
function registrationsHref(q) {
  return '/registrations' + query({ node: q.node.includes(',') ? '' : q.node });
}

function tiles(total, q, app) {
  const go = (href, text, title) => h('a', { href, title, onclick: (e) => { e.preventDefault(); app.navigate(href); } }, text);
  const statuses = Object.entries(total.finalStatus || {}).sort((a, b) => b[1] - a[1]);
  return h('section', { class: 'tiles', 'aria-label': 'Totals' },
    tile('calls', 'Calls', go(searchOf(q), count(total.invites), q.node ? 'The messages of this node in the range' : 'The calls of the range'), 'Call records started in the range'),
    tile('answered', 'Answered', count(total.answered), 'Answered with a 2xx: in progress or ended'),
    tile('asr', 'ASR', percent(total.asr), 'Answer-seizure ratio: answered / attempts (RFC 6076)'),
    tile('ner', 'NER', percent(total.ner), 'Network effectiveness ratio: (2xx, 486, 603, cancelled) / attempts'),
    tile('sd', 'SD', percent(total.sd), 'Session defects: 500, 503, 504 / attempts'),
    tile('isa', 'ISA', percent(total.isa), 'Ineffective session attempts: 408, 500, 503 or no answer within the ring timeout / calls'),
    tile('pdd', 'Avg PDD', ms(total.avgPddMs), 'INVITE to first 180/183, over calls that rang'),
    tile('duration', 'Avg duration', ms(total.avgDurationMs), 'Answer to end, over answered calls that ended'),
    tile('ahr', 'AHR', mean(total.ahr), 'Average hops per request: the capture points that saw a call\'s first INVITE, over the calls whose record counts them'),
    tile('registrations', 'Registrations', go(registrationsHref(q), count(total.registrations), 'The bindings, failing first'),
      'Bindings registered in the range'),
    tile('reg-success', 'Reg. success', percent(ratio(total.registrationsSucceeded, total.registrations)),
      'Bindings whose latest outcome is not a failure / registrations'),
    h('div', { class: 'tile wide', id: 'tile-status' },
      h('div', { class: 'tile-label' }, 'Final status'),
      statuses.length
        ? h('ul', { class: 'status-mix' }, statuses.map(([code, n]) =>
          h('li', null, go(searchOf(q, { status: code }), [h('span', { class: ['badge', statusClass(code)] }, code), ' ', count(n)],
            q.node ? `The ${code} replies of this node in the range` : `The calls whose final status is ${code}, in the range`))))
        : h('div', { class: 'tile-value' }, '—')));
}

/** The dashboard page; app.navigate(url) changes the URL (and so the range). */
export function dashboardPage(root, app, signal) {
  const params = new URLSearchParams(location.search);
  const resolved = resolveRange(params);

  const picker = rangePicker(resolved);
  const nodes = h('datalist', { id: 'node-list' });
  const node = h('input', { id: 'd-node', name: 'node', value: params.get('node') || '', autocomplete: 'off', spellcheck: 'false', list: 'node-list', placeholder: 'all nodes' });
  const form = h('form', { class: 'search dashboard-form', 'aria-label': 'Dashboard range' },
    h('div', { class: 'row' },
      h('div', { class: 'field' }, h('label', { for: 'range' }, 'Time range'), picker.select),
      picker.custom,
      h('div', { class: 'field' }, h('label', { for: 'd-node' }, 'Capture node'), node, nodes),
      h('button', { type: 'submit', class: 'primary', id: 'dashboard-button' }, 'Show')),
    h('p', { class: 'hint' }, 'Node: exact name, a comma separates several. Ratios as in RFC 6076, from the call records.'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    picker.writeTo(next);
    if (node.value.trim()) next.set('node', node.value.trim());
    app.navigate('/dashboard?' + next.toString());
  });

  const results = h('section', { class: 'results dashboard', id: 'dashboard', 'aria-live': 'polite', 'aria-label': 'Dashboard' });
  // Registrations are per binding, not per time bucket: their own page, failing first (of this node when one is chosen).
  const registrations = registrationsHref({ node: params.get('node') || '' });
  const registrationsLink = h('p', { class: 'dashboard-links' }, h('a', { href: registrations, id: 'dashboard-registrations',
    onclick: (e) => { e.preventDefault(); app.navigate(registrations); } }, 'Registrations, failing first'),
  ' — where each phone\u2019s registration stands');
  const breakdowns = h('section', { class: 'breakdowns', id: 'breakdowns', 'aria-label': 'Breakdowns' });
  mount(root, h('h1', { class: 'sr-only' }, 'Dashboard'), form, registrationsLink, results, breakdowns);
  const q = { from: resolved.from, to: resolved.to, node: params.get('node') || '' };
  load(results, q, nodes, signal, app);
  loadBreakdowns(breakdowns, q, signal, app);
  return () => {};
}

/** The breakdowns the dashboard shows, each a table of the top groups: [by, title, the key's column]. */
const BREAKDOWNS = [['node', 'By capture node', 'Node'], ['srcIp', 'By source address', 'Source'],
  ['calleePrefix', 'By callee prefix', 'Callee prefix']];
const TOP = 10;

/** The three breakdown tables of the range (and node), loaded beside the KPIs. */
function loadBreakdowns(box, q, signal, app) {
  mount(box, BREAKDOWNS.map(([by, title, keyTitle]) => {
    const section = h('section', { class: 'breakdown', id: `breakdown-${by}`, 'aria-labelledby': `breakdown-${by}-title` },
      h('h2', { id: `breakdown-${by}-title` }, title));
    const body = h('div', { class: 'table-wrap' }, spinner('Loading…'));
    section.append(body);
    answer(body, signal, json(`/api/v1/stats/breakdown${query({ by, top: TOP, from: q.from, to: q.to, node: q.node })}`, { signal }))
      .then((report) => {
        if (report !== undefined) mount(body, breakdownTable(report, keyTitle, q, app));
      });
    return section;
  }));
}

/** The call list of one breakdown row over the dashboard's range: the row's own search parameters. */
function rowSearch(q, search) {
  const p = new URLSearchParams({ view: 'calls', range: 'custom', from: q.from, to: q.to });
  for (const [k, v] of Object.entries(search || {})) p.set(k, v);
  return '/?' + p.toString();
}

function breakdownTable(report, keyTitle, q, app) {
  const rows = report.rows || [];
  if (!rows.length) return empty('No call or registration records in this range.');
  const registrations = rows.some((r) => r.registrations !== null && r.registrations !== undefined);
  const columns = [keyTitle, 'Calls', 'Answered', 'ASR', 'NER', '4xx', '5xx', '6xx', 'Avg duration',
    ...(registrations ? ['Registrations', 'Reg. failing'] : [])];
  const num = (v) => h('td', { class: 'num' }, v);
  return h('table', { class: 'list breakdown-table' },
    h('caption', { class: 'sr-only' }, `${keyTitle}: the ${rows.length} of ${report.groups} with the most calls`),
    h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', null, rows.map((r) => {
      const href = rowSearch(q, r.search);
      return h('tr', null,
        h('th', { scope: 'row', class: 'mono' }, h('a', { href, title: `The calls of ${r.key} in the range`,
          onclick: (e) => { e.preventDefault(); app.navigate(href); } }, r.key)),
        num(count(r.calls)), num(count(r.answered)), num(percent(r.asr)), num(percent(r.ner)),
        num(count((r.failures || {})['4xx'])), num(count((r.failures || {})['5xx'])), num(count((r.failures || {})['6xx'])),
        num(ms(r.avgDurationMs)),
        registrations ? [num(count(r.registrations)), num(percent(r.registrationFailureRatio))] : null);
    })),
    report.groups > rows.length ? h('tfoot', null, h('tr', null, h('td', { colspan: String(columns.length), class: 'hint' },
      `${report.groups - rows.length} more not shown`))) : null);
}

async function load(results, q, nodeList, signal, app) {
  const rangeText = h('p', { class: 'range', title: `UTC ${q.from} – ${q.to}` }, `${formatLocal(q.from, { digits: 0 })} – ${formatLocal(q.to, { digits: 0 })}`);
  mount(results, rangeText, spinner('Loading statistics…'));
  const both = await answer(results, signal, Promise.all([json(`/api/v1/stats/kpi${query(q)}`, { signal }),
    json(`/api/v1/stats/volume${query(q)}`, { signal })]), rangeText);
  if (both === undefined) return;
  const [kpi, volume] = both;
  mount(nodeList, (kpi.nodes || []).map((n) => h('option', { value: n })));
  const total = kpi.total || {};
  const kpiSeries = kpi.series || [];
  const volSeries = volume.series || [];
  const messages = volSeries.reduce((sum, b) => sum + (b.total || 0), 0);
  const head = h('p', { class: 'range', title: `UTC ${kpi.from} – ${kpi.to}` },
    `${formatLocal(kpi.from, { digits: 0 })} – ${formatLocal(kpi.to, { digits: 0 })}`, kpi.stepSeconds ? ` · buckets of ${stepText(kpi.stepSeconds)}` : '',
    q.node ? ` · node ${q.node}` : '');
  if (!total.invites && !messages) {
    mount(results, head, empty('No calls and no messages in this range' + (q.node ? ' on this node' : '') + '. Pick a longer range or another node.'));
    return;
  }

  const charts = h('div', { class: 'charts' });
  if (total.invites) {
    const t = kpiSeries.map((b) => Date.parse(b.t) / 1000);
    const iso = kpiSeries.map((b) => b.t);
    const pct = (key) => kpiSeries.map((b) => (b[key] === null || b[key] === undefined ? null : Math.round(b[key] * 1000) / 10));
    charts.append(
      chart('chart-ratios', 'ASR, NER, SD, ISA (%)', t, iso, [
        { label: 'ASR', values: pct('asr') }, { label: 'NER', values: pct('ner') },
        { label: 'SD', values: pct('sd') }, { label: 'ISA', values: pct('isa') },
      ], signal, { yRange: [0, 100], format: (v) => (v === null ? '—' : `${v} %`) }),
      chart('chart-calls', 'Calls', t, iso, [
        { label: 'Calls', values: kpiSeries.map((b) => b.invites ?? 0) },
        { label: 'Answered', values: kpiSeries.map((b) => b.answered ?? 0), colour: '#1a7f37' },
        { label: 'Busy', values: kpiSeries.map((b) => b.busy ?? 0), colour: '#9a6700' },
        { label: 'Failed', values: kpiSeries.map((b) => b.failed ?? 0), colour: '#cf222e' },
      ], signal));
  }
  if (messages) {
    const t = volSeries.map((b) => Date.parse(b.t) / 1000);
    const iso = volSeries.map((b) => b.t);
    const methods = [];
    for (const b of volSeries) for (const m of Object.keys(b.methods || {})) if (!methods.includes(m)) methods.push(m);
    methods.sort((a, b) => (a === 'OTHER') - (b === 'OTHER'));
    charts.append(
      chart('chart-methods', 'Messages by method', t, iso, methods.map((m) => ({ label: m, values: volSeries.map((b) => (b.methods || {})[m] ?? 0) })), signal),
      chart('chart-statuses', 'Replies by class', t, iso, STATUS_CLASSES.map((c) => ({ label: c, colour: STATUS_COLOURS[c], values: volSeries.map((b) => (b.statuses || {})[c] ?? 0) })), signal));
  }
  mount(results, head, tiles(total, q, app),
    total.invites ? null : empty('No calls in this range' + (q.node ? ' on this node' : '') + ': only other messages were captured.'),
    charts);
}
