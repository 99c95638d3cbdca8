import { h, mount, empty, statusClass, levelBadge, clockNote, rowDetail } from './dom.js';
import { ladder } from './ladder.js';
import { messageView, compareView } from './message.js';
import { formatLocal, utcTitle } from './time.js';
import { qosView, qosDiagnosis, mediaCell } from './qos.js';
import { rawText, parseSip, sdpOf } from './sip.js';
import { payloadType } from './hep.js';

/**
 * Accessible tabs: [{id, title, render()}]; panels render on first show. The tab shown is the URL's `tab`
 * parameter (the first tab when it is absent or names no tab), and showing another one writes it there (the URL
 * is replaced, not pushed: Back still leaves the page), so a tab can be linked.
 */
export function tabs(list) {
  const bar = h('div', { class: 'tabs', role: 'tablist' });
  const panels = h('div', { class: 'panels' });
  const entries = list.map((t) => {
    const tab = h('button', { type: 'button', role: 'tab', id: `tab-${t.id}`, 'aria-controls': `panel-${t.id}`, 'aria-selected': 'false', tabindex: '-1' }, t.title);
    const panel = h('section', { role: 'tabpanel', id: `panel-${t.id}`, 'aria-labelledby': `tab-${t.id}`, hidden: true });
    bar.appendChild(tab);
    panels.appendChild(panel);
    return { ...t, tab, panel, rendered: false };
  });
  const show = (id, focus) => {
    for (const e of entries) {
      const on = e.id === id;
      e.tab.setAttribute('aria-selected', String(on));
      e.tab.tabIndex = on ? 0 : -1;
      e.panel.hidden = !on;
      if (on && !e.rendered) { e.rendered = true; mount(e.panel, e.render()); }
      if (on && focus) e.tab.focus();
    }
    const url = new URL(location.href);
    if (id === entries[0].id) url.searchParams.delete('tab');
    else url.searchParams.set('tab', id);
    if (url.href !== location.href) history.replaceState(history.state, '', url);
  };
  entries.forEach((e, i) => {
    e.tab.addEventListener('click', () => show(e.id));
    e.tab.addEventListener('keydown', (ev) => {
      if (ev.key === 'ArrowRight' || ev.key === 'ArrowLeft') {
        const next = entries[(i + (ev.key === 'ArrowRight' ? 1 : entries.length - 1)) % entries.length];
        show(next.id, true);
      }
    });
  });
  const asked = new URLSearchParams(location.search).get('tab');
  show(entries.some((e) => e.id === asked) ? asked : entries[0].id);
  return { element: h('div', { class: 'tabbed' }, bar, panels), show };
}

/** The ladder's view (ladder.js ALL) from the URL: leg, host, payload, method, compact=1, merge=1. */
function viewFromUrl() {
  const q = new URLSearchParams(location.search);
  return { leg: q.get('leg') || '', host: q.get('host') || '', payload: q.get('payload') || '', method: (q.get('method') || '').toUpperCase(),
    compact: q.get('compact') === '1', merge: q.get('merge') === '1' };
}

/** Writes the view into the URL (replaced: the filters are state of this page, not steps of the history). */
function viewToUrl(view) {
  const url = new URL(location.href);
  for (const key of ['leg', 'host', 'payload', 'method']) {
    if (view[key]) url.searchParams.set(key, view[key]);
    else url.searchParams.delete(key);
  }
  for (const key of ['compact', 'merge']) {
    if (view[key]) url.searchParams.set(key, '1');
    else url.searchParams.delete(key);
  }
  if (url.href !== location.href) history.replaceState(history.state, '', url);
}

/** The ladder's filters: a select per leg, host, payload type and method (those of the call), compact and merge. */
function ladderFilters(flow, view, onChange) {
  const msgs = flow.messages || [];
  const unique = (values) => [...new Set(values.filter((v) => v !== undefined && v !== null && v !== ''))];
  const aliases = new Map((flow.hosts || []).filter((x) => x.alias).map((x) => [x.ip, x.alias]));
  const select = (key, title, options) => {
    const el = h('select', { id: `ladder-${key}`, name: key },
      h('option', { value: '', selected: !view[key] }, 'All'),
      options.map(([value, text]) => h('option', { value: String(value), selected: String(view[key]) === String(value) }, text)));
    el.addEventListener('change', () => onChange({ ...view, [key]: el.value }, el.id));
    return h('span', { class: 'field inline' }, h('label', { for: el.id }, title), el);
  };
  const check = (key, title, hint) => {
    const el = h('input', { type: 'checkbox', id: `ladder-${key}`, name: key, checked: view[key] });
    el.addEventListener('change', () => onChange({ ...view, [key]: el.checked }, el.id));
    return h('span', { class: 'radio', title: hint }, el, h('label', { for: el.id }, title));
  };
  return h('div', { class: 'ladder-filters', role: 'group', 'aria-label': 'Ladder filters' },
    (flow.callIds || []).length > 1 ? select('leg', 'Leg', flow.callIds.map((id) => [id, id])) : null,
    select('host', 'Host', unique([...msgs.map((m) => m.srcIp), ...msgs.map((m) => m.dstIp)])
      .map((ip) => [ip, aliases.has(ip) ? `${aliases.get(ip)} (${ip})` : ip])),
    select('payload', 'Payload', unique(msgs.map((m) => m.protoType)).map((n) => [n, payloadType(n).name])),
    select('method', 'Method', unique(msgs.map((m) => (m.method || '').toUpperCase())).map((m) => [m, m])),
    check('compact', 'Compact', 'Fold retransmissions and provisional (1xx) responses'),
    check('merge', 'Merge ports', 'One column per address, whatever the port'));
}

/**
 * Ladder diagram with its filters (kept in the URL) and the selected message beside it, or below it when both do
 * not fit side by side (the pane never covers the ladder's last column); the layout follows the width until
 * signal (the page's) aborts.
 */
export function flowPanel(flow, signal) {
  if (!(flow.messages || []).length) return empty('No messages were captured for this call in the time range.');
  const detail = h('aside', { class: 'detail', id: 'detail', 'aria-live': 'polite', 'aria-label': 'Selected message' },
    empty('Select an arrow (click, or Tab then Enter) to read the full message.'));
  const board = h('div', { class: 'ladder-board' });
  const panel = h('div', { class: 'flow' }, board, detail);
  let svg = null;
  // Compare: "Compare with…" on a message remembers it; the next message selected is compared with it.
  let first = null;
  const show = (m) => mount(detail, messageView(m, { onCompare: (a) => {
    first = a;
    mount(detail, h('p', { class: 'compare-hint', role: 'status' }, 'Now select the message to compare it with (click an arrow, or Tab then Enter).'),
      messageView(a));
  } }));
  const select = (m) => {
    if (first && first !== m) {
      const a = first;
      first = null;
      mount(detail, compareView(a, m, { onClose: () => show(m) }));
    } else {
      first = null;
      show(m);
    }
  };
  // side by side only when the whole ladder (its width plus the scroll box's border) and the pane's least width fit
  const fit = () => panel.classList.toggle('stacked', Boolean(svg) && panel.clientWidth < svg.width.baseVal.value + 2 + DETAIL_MIN + GAP);
  // a filter changed redraws the board: the control keeps the keyboard focus
  const draw = (view, focus) => {
    viewToUrl(view);
    const diagram = ladder(flow, { view, onSelect: (m) => {
      select(m);
      if (panel.classList.contains('stacked')) detail.scrollIntoView({ block: 'nearest' });
    } });
    svg = diagram.rows.length ? diagram.element.querySelector('svg') : null;
    mount(board, ladderFilters(flow, view, draw),
      diagram.rows.length ? diagram.element : empty('No message of this call matches these filters.'));
    fit();
    if (focus) board.querySelector(`#${focus}`)?.focus();
  };
  draw(viewFromUrl());
  const watch = new ResizeObserver(fit);
  watch.observe(panel);
  signal?.addEventListener('abort', () => watch.disconnect(), { once: true });
  return panel;
}

/** Least width of the message pane beside the ladder, and the gap between them (px, as in app.css). */
const DETAIL_MIN = 340;
const GAP = 12;

/** Table of the call's messages; a message's time opens it directly under its row. */
export function messagesPanel(flow) {
  const columns = ['Time', 'Method / status', 'Source', 'Destination', 'CSeq', 'Call-ID'];
  // a message opens directly under its row
  const under = rowDetail(columns.length, { 'aria-live': 'polite', 'aria-label': 'Selected message' });
  const rows = [...(flow.messages || [])];
  if (!rows.length) return empty('No messages.');
  return h('div', null,
    h('div', { class: 'table-wrap' }, h('table', { class: 'list', id: 'call-messages' },
      h('thead', null, h('tr', null, columns.map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, rows.map((m) => h('tr', { class: statusClass(m.status) },
        h('td', { title: utcTitle(m.timestamp) }, h('button', { type: 'button', class: 'linkish', onclick: (e) => mount(under.open(e.currentTarget.closest('tr')), messageView(m)) }, formatLocal(m.timestamp)), clockNote(m.agentClockSkewMicros)),
        h('td', null, h('span', { class: ['badge', statusClass(m.status)] }, m.status ? String(m.status) : m.method)),
        h('td', { class: 'mono' }, `${m.srcIp}:${m.srcPort}`), h('td', { class: 'mono' }, `${m.dstIp}:${m.dstPort}`),
        h('td', null, m.cseq), h('td', { class: 'mono' }, m.legCallId || m.callId)))))));
}

export function logsPanel(flow) {
  const logs = flow.logs || [];
  if (!logs.length) return empty('No log lines were captured for this call.');
  return h('div', { class: 'table-wrap' }, h('table', { class: 'list logs' },
    h('thead', null, h('tr', null, ['Time', 'Level', 'Source', 'Message'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, logs.map((l) => h('tr', null,
      h('td', { title: utcTitle(l.timestamp) }, formatLocal(l.timestamp)),
      h('td', null, levelBadge(l.logLevel)),
      h('td', null, [l.node, l.srcIp].filter(Boolean).join(' ')),
      h('td', null, h('pre', { class: 'log' }, l.raw !== undefined && l.raw !== null ? rawText(l) : (l.message ?? l.text ?? JSON.stringify(l)))))))));
}

/**
 * The QoS tab: the diagnosis (load() fetches the call's /qos), then the reports' charts and table; the charts
 * are released when signal (the page's) aborts.
 */
export function qosPanel(flow, signal, load) {
  const reports = flow.qos || [];
  return h('div', null, qosDiagnosis(load, signal, mediaChanges(flow)), reports.length ? qosView(reports) : null);
}

/** The re-INVITEs that carry SDP (an INVITE with a To tag: within the dialog), where the media may have moved. */
function mediaChanges(flow) {
  return (flow.messages || []).filter((m) => m.method === 'INVITE' && !m.status).flatMap((m) => {
    const text = rawText(m);
    const to = parseSip(text).headers.find((x) => /^(to|t)$/i.test(x.name));
    const sdp = sdpOf(text);
    if (!to || !/;\s*tag=/i.test(to.value) || !sdp) return [];
    return [{ timestamp: m.timestamp, label: `re-INVITE (SDP ${[sdp.codec, sdp.direction].filter(Boolean).join(' ')})` }];
  });
}

const STATES = {
  ringing: 'Ringing', answered: 'In progress', completed: 'Completed', busy: 'Busy', no_answer: 'Not answered',
  cancelled: 'Cancelled', rejected: 'Rejected', failed: 'Failed', redirected: 'Redirected',
  auth_challenged_only: 'Challenged, never retried',
};
const HANGUP = { caller: 'the caller ended it', callee: 'the callee ended it', network: 'the network ended it', timeout: 'it timed out' };

function seconds(ms) {
  return ms === null || ms === undefined ? null : (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);
}

/** A record's media: MOS and verdicts, then the worst stream's loss, jitter and round trip; null with nothing to say. */
function recordMedia(m) {
  const cell = mediaCell(m.mos, m.verdicts);
  if (!cell) return null;
  if (m.mos === null || m.mos === undefined) return cell;
  const parts = [`loss ${m.lossPercent.toFixed(1)} %`, `jitter ${Math.round(m.jitterMs)} ms`];
  if (m.rttMs !== null && m.rttMs !== undefined) parts.push(`round trip ${Math.round(m.rttMs)} ms`);
  return h('span', { id: 'record-media' }, cell, h('span', { class: 'muted' }, ` (worst stream: ${parts.join(', ')}; ${m.reports} report${m.reports === 1 ? '' : 's'})`));
}

/** What became of an early dialog, in words: answered, its final status, or that it rang. */
function dialogResult(d) {
  if (d.answered) return 'answered';
  if (d.cancelled) return '487 cancelled';
  if (d.lastStatus >= 200) return String(d.lastStatus);
  return d.ringingAt ? 'rang' : String(d.lastStatus);
}

/**
 * A forked INVITE's early dialogs (the record's `dialogs`): one per device, named by the flow's alias of its address
 * (`names`, ip → alias), the answered one first; null for a call that was not forked (fewer than two).
 */
function recordForks(r, names) {
  const dialogs = r.dialogs || [];
  const count = dialogs.length + (r.dialogsDropped || 0);
  if (count < 2) return null;
  const ordered = [...dialogs.filter((d) => d.answered), ...dialogs.filter((d) => !d.answered)];
  const parts = ordered.flatMap((d, i) => {
    const ip = d.source ? d.source.ip : null;
    const name = (ip && names.get(ip)) || ip || `tag ${d.toTag}`;
    const title = `To tag ${d.toTag}${d.source ? `, from ${d.source.ip}:${d.source.port}` : ''}`;
    return [i ? ', ' : '', h('span', { class: ['fork', d.answered ? 'answered' : ''], title }, `${name} ${dialogResult(d)}`)];
  });
  return h('span', { id: 'record-forks' }, `to ${count} devices: `, parts,
    r.dialogsDropped ? `, and ${r.dialogsDropped} more` : '');
}

/** The call's record in words (GET /api/v1/calls/{callId}), or null without one; `names`: aliases by address. */
function recordSummary(r, names) {
  if (!r) return null;
  const result = [STATES[r.state] || r.state];
  if (r.finalStatus && r.state !== 'completed' && r.state !== 'answered') result.push(` (${r.finalStatus}${r.finalPhrase ? ' ' + r.finalPhrase : ''})`);
  if (HANGUP[r.hangupBy]) result.push(`: ${HANGUP[r.hangupBy]}`);
  const reason = r.reason ? `${r.reason.protocol}${r.reason.cause !== null && r.reason.cause !== undefined ? ' cause ' + r.reason.cause : ''}${r.reason.text ? ' — ' + r.reason.text : ''}` : null;
  const party = (p) => (p ? [p.name ? `"${p.name}" ` : '', p.user || '?'].join('') : '?');
  const items = [
    ['Result', result.join('')],
    ['Reason', reason],
    ['Forked', recordForks(r, names)],
    ['Parties', `${party(r.caller)} → ${party(r.callee)}`],
    ['Post-dial delay', seconds(r.pddMs)],
    ['Ringing', seconds(r.ringMs)],
    ['Talk time', seconds(r.durationMs)],
    ['Codecs', (r.codecs || []).join(', ') || null],
    ['Media', r.media ? recordMedia(r.media) : null],
    ['Messages', `${r.messages}${r.retransmissions ? `, ${r.retransmissions} retransmitted` : ''}${r.reInvites ? `, ${r.reInvites} re-INVITE${r.reInvites > 1 ? 's' : ''}` : ''}`],
  ].filter(([, v]) => v !== null && v !== undefined && v !== '');
  return h('dl', { class: ['call-record', `state-${r.state}`], id: 'call-record' },
    items.flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
}

/** Call header: Call-IDs, time span and, when the collectors recorded the call, what happened to it. */
export function callSummary(flow, callId, record) {
  const msgs = flow.messages || [];
  const first = msgs.length ? msgs.reduce((a, b) => (a.timestamp < b.timestamp ? a : b)) : null;
  const last = msgs.length ? msgs.reduce((a, b) => (a.timestamp > b.timestamp ? a : b)) : null;
  return h('header', { class: 'call-head' },
    h('h1', null, 'Call ', h('span', { class: 'mono' }, callId)),
    (flow.callIds || []).length > 1 ? h('p', null, `${flow.callIds.length} legs: `, flow.callIds.join(', ')) : null,
    flow.truncated ? h('p', { class: 'error', role: 'alert', id: 'flow-truncated' }, flow.truncatedBy === 'bytes'
      ? 'This flow was cut at the API\'s size limit (its messages\' bytes): the messages after the cut are not shown; narrow the time range to see them.'
      : 'This flow was cut at the API\'s message limit: narrow the time range to see all of it.') : null,
    first ? h('p', { class: 'span' }, `${msgs.length} messages, `,
      h('time', { title: utcTitle(first.timestamp) }, formatLocal(first.timestamp)), ' – ',
      h('time', { title: utcTitle(last.timestamp) }, formatLocal(last.timestamp))) : null,
    recordSummary(record, new Map((flow.hosts || []).filter((x) => x.alias).map((x) => [x.ip, x.alias]))));
}
