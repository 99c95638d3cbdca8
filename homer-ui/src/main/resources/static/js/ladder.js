import { h, s, statusClass } from './dom.js';
import { formatLocal, delta, micros, utcTitle, timeZone, zoneLabel, agentClock } from './time.js';
import { rawText, label, failureKind, sdpOf } from './sip.js';

const COL_W = 180;
const LEFT = 170;
const TOP = 64;
const ROW_H = 36;
/** The least a ladder is scaled to fit its box (a 700 px frame, a narrow window); below, its box scrolls. */
const MIN_SCALE = 0.8;
const LEG_COLOURS = ['#1f6feb', '#8250df', '#bf3989', '#1a7f37', '#bc4c00', '#0a7ea4'];

/** A merged column's address line: "10.0.0.1:5060,5080" (ports beyond two as "+N"). */
function portsOf(c) {
  const ports = [...c.ports].sort((a, b) => a - b);
  if (!ports.length) return c.ip;
  return `${c.ip}:${ports.slice(0, 2).join(',')}${ports.length > 2 ? ` +${ports.length - 2}` : ''}`;
}

function hostKey(ip, port) {
  return `${ip}|${port ?? ''}`;
}

/**
 * Columns of the diagram for the messages shown: the flow's hosts (with aliases) and any endpoint only seen in a
 * message, in that order, those no shown message touches left out. `merge`: one column per address, whatever
 * the port (a host seen on several ports), the ports listed under it.
 */
function columns(flow, messages, merge) {
  const known = [];
  const index = new Map();
  const keyOf = (ip, port) => (merge ? hostKey(ip, '') : hostKey(ip, port));
  const add = (ip, port, alias) => {
    const key = keyOf(ip, port);
    if (!index.has(key)) {
      index.set(key, known.length);
      known.push({ ip, port: merge ? '' : port, alias, ports: new Set(), used: false });
    }
  };
  for (const host of flow.hosts || []) add(host.ip, host.port, host.alias);
  const find = (ip, port) => index.get(keyOf(ip, port)) ?? index.get(hostKey(ip, ''));
  for (const m of messages) {
    if (find(m.srcIp, m.srcPort) === undefined) add(m.srcIp, m.srcPort);
    if (find(m.dstIp, m.dstPort) === undefined) add(m.dstIp, m.dstPort);
    for (const [ip, port] of [[m.srcIp, m.srcPort], [m.dstIp, m.dstPort]]) {
      const col = known[find(ip, port)];
      col.used = true;
      if (port !== undefined && port !== null && port !== '') col.ports.add(port);
    }
  }
  const cols = known.filter((c) => c.used);
  const position = new Map(known.map((c, i) => [i, cols.indexOf(c)]));
  return { cols, find: (ip, port) => position.get(find(ip, port)) };
}

/**
 * What the ladder shows of a call (the flow panel's filters): `leg` (a Call-ID), `host` (an address: the messages
 * from or to it), `payload` (a HEP payload type number), `method` (a request's method, with the responses to it),
 * '' for all; `compact` folds retransmissions and provisional responses; `merge` draws one column per address.
 */
export const ALL = { leg: '', host: '', payload: '', method: '', compact: false, merge: false };

/** Whether a row passes the view's filters. */
function shown(row, view) {
  const { m } = row;
  return (!view.leg || row.leg === view.leg)
    && (!view.host || m.srcIp === view.host || m.dstIp === view.host)
    && (!view.payload || String(m.protoType ?? '') === String(view.payload))
    && (!view.method || (m.method || '').toUpperCase() === view.method)
    && (!view.compact || (!row.retransmission && !row.provisional));
}

/** The CSeq of a message as "number METHOD" (the API's cseq, else read from the text). */
function cseqOf(m, text) {
  if (m.cseq) return String(m.cseq).trim().replace(/\s+/g, ' ').toUpperCase();
  const line = /^(?:CSeq)\s*:\s*(.+)$/im.exec(text || '');
  return line ? line[1].trim().replace(/\s+/g, ' ').toUpperCase() : '';
}

/**
 * Messages in time order, each with its leg, whether it repeats an earlier one (a retransmission: the same bytes
 * between the same endpoints) and which one (1, 2…), how often it was sent in all (`sent`, on the first
 * transmission), what SDP it carries (`sdp`: codec and direction), the class of a failure response in words
 * (`failure`) and, for a request other than ACK, whether no final response of its transaction (same leg and
 * CSeq) was captured (`noResponse`).
 */
export function rows(flow) {
  const legs = new Map((flow.callIds || []).map((id, i) => [id, i]));
  const firsts = new Map();
  const answered = new Set();
  const list = [...(flow.messages || [])]
    .sort((a, b) => micros(a.timestamp) - micros(b.timestamp))
    .map((m) => {
      const text = rawText(m);
      const leg = m.legCallId || m.callId;
      if (!legs.has(leg)) legs.set(leg, legs.size);
      const cseq = cseqOf(m, text);
      if (m.status >= 200) answered.add(`${leg}\u0000${cseq}`);
      const key = [m.srcIp, m.srcPort, m.dstIp, m.dstPort, text || [m.callId, m.cseq, m.method, m.status].join('|')].join('\u0000');
      const first = firsts.get(key);
      const row = {
        m, text, leg, cseq, legIndex: legs.get(leg), label: label(m, text), retransmission: 0, sent: 1,
        sdp: sdpOf(text), failure: failureKind(m.status), provisional: m.status >= 100 && m.status < 200,
      };
      if (first) row.retransmission = ++first.sent - 1;
      else firsts.set(key, row);
      return row;
    });
  for (const row of list) {
    row.noResponse = !row.m.status && Boolean(row.m.method) && !row.retransmission && row.cseq !== '' && !/ ACK$/.test(row.cseq)
      && !answered.has(`${row.leg}\u0000${row.cseq}`);
  }
  return list;
}

/** The marks under an arrow, in words: failure class, SDP, transmissions, a missing response. */
function notes(row) {
  const out = [];
  if (row.failure) out.push(row.failure);
  if (row.sdp) out.push(['SDP', row.sdp.codec, row.sdp.direction].filter(Boolean).join(' '));
  if (!row.retransmission && row.sent > 1) out.push(`sent ${row.sent}×`);
  if (row.noResponse) out.push('no response');
  return out;
}

/**
 * The SVG ladder diagram: one column per host, one arrow per message (labelled with method or status,
 * coloured by leg, dashed when a retransmission), time and delta to the previous message on the left. A failure
 * response (4xx, 5xx, 6xx) is drawn in its class's colour on a tinted row, its class in words under it; a
 * provisional response is lighter; under an arrow its SDP (codec, direction), how often it was sent and
 * "no response" for a request whose transaction never got a final response.
 * Arrows are focusable buttons; Enter/click calls onSelect(message), arrow keys move between them.
 */
export function ladder(flow, { onSelect, view = ALL } = {}) {
  const all = rows(flow);
  const list = all.filter((row) => shown(row, view));
  const { cols, find } = columns(flow, list.map((row) => row.m), view.merge);
  const width = LEFT + Math.max(cols.length, 1) * COL_W;
  const height = TOP + list.length * ROW_H + 24;
  const cx = (i) => LEFT + i * COL_W + COL_W / 2;

  const svg = s('svg', {
    class: 'ladder', width, height, viewBox: `0 0 ${width} ${height}`, role: 'group',
    'aria-label': `Call flow: ${list.length} of ${all.length} messages between ${cols.length} hosts`,
  });
  // narrower than its box: drawn smaller down to MIN_SCALE of its size (app.css: max-width), then scrolled
  svg.style.minWidth = `${Math.round(width * MIN_SCALE)}px`;
  svg.appendChild(s('text', { x: 8, y: 24, class: 'zone' }, 'Time', s('title', null, `Times in ${zoneLabel()}`)));
  svg.appendChild(s('text', { x: 8, y: 40, class: 'zone' }, timeZone()));
  cols.forEach((c, i) => {
    const name = c.alias || c.ip;
    svg.appendChild(s('g', { class: 'host' },
      s('rect', { x: cx(i) - COL_W / 2 + 8, y: 6, width: COL_W - 16, height: 42, rx: 6 }),
      s('text', { x: cx(i), y: 24, class: 'host-name' }, name.length > 24 ? name.slice(0, 23) + '…' : name),
      s('text', { x: cx(i), y: 40, class: 'host-addr' }, c.port ? `${c.ip}:${c.port}` : portsOf(c)),
      s('title', null, `${c.alias ? c.alias + ' — ' : ''}${c.ip}${c.port ? ':' + c.port : c.ports.size ? ' ports ' + [...c.ports].join(', ') : ''}`),
      s('line', { class: 'lifeline', x1: cx(i), x2: cx(i), y1: 48, y2: height - 8 })));
  });

  const arrows = [];
  list.forEach((row, i) => {
    const { m } = row;
    const y = TOP + i * ROW_H + 20;
    const from = find(m.srcIp, m.srcPort);
    const to = find(m.dstIp, m.dstPort);
    const colour = LEG_COLOURS[row.legIndex % LEG_COLOURS.length];
    const prev = i > 0 ? list[i - 1].m.timestamp : null;
    const x1 = cx(from);
    const x2 = cx(to);
    const dir = x2 >= x1 ? 1 : -1;
    const shape = from === to
      ? [s('path', { d: `M${x1} ${y - 8} h40 v14 h-36`, class: 'shaft', stroke: row.failure ? null : colour }),
        s('polygon', { class: 'head', points: `${x1 + 2},${y + 6} ${x1 + 10},${y + 2} ${x1 + 10},${y + 10}`, fill: row.failure ? null : colour })]
      : [s('line', { x1, y1: y, x2: x2 - dir * 8, y2: y, class: 'shaft', stroke: row.failure ? null : colour }),
        s('polygon', { class: 'head', points: `${x2},${y} ${x2 - dir * 10},${y - 5} ${x2 - dir * 10},${y + 5}`, fill: row.failure ? null : colour })];
    const labelX = from === to ? x1 + 46 : (x1 + x2) / 2;
    const clock = agentClock(m.agentClockSkewMicros);
    const marks = notes(row);
    const aria = `${row.label} from ${m.srcIp}:${m.srcPort ?? ''} to ${m.dstIp}:${m.dstPort ?? ''} at ${formatLocal(m.timestamp)}${clock ? `, ${clock}` : ''}`
      + `${row.retransmission ? `, retransmission ${row.retransmission}` : ''}${marks.length ? ', ' + marks.join(', ') : ''}`;
    const g = s('g', {
      class: ['arrow', row.retransmission && 'retrans', `leg-${row.legIndex % LEG_COLOURS.length}`, statusClass(m.status),
        row.provisional && 'prov', row.failure && 'failure', row.noResponse && 'no-response'],
      tabindex: '0', role: 'button', 'aria-label': aria, dataset: { id: String(m.id ?? i) },
    },
    s('rect', { class: 'hit', x: LEFT, y: y - ROW_H / 2, width: width - LEFT, height: ROW_H }),
    s('text', { x: 8, y: y - 2, class: ['ts', clock && 'skewed'] }, formatLocal(m.timestamp, { date: false, digits: 6 }) + (clock ? ' \u23F1' : ''),
      s('title', null, utcTitle(m.timestamp) + (clock ? ` \u2014 ${clock}` : ''))),
    s('text', { x: 8, y: y + 12, class: 'dt' }, prev ? delta(prev, m.timestamp) : ''),
    ...shape,
    s('text', { x: labelX, y: y - 6, class: ['label', from === to && 'self'], fill: row.failure ? null : colour },
      row.label + (row.retransmission ? ` (retransmission ${row.retransmission})` : '')),
    marks.length ? s('text', { x: labelX, y: y + 13, class: ['notes', from === to && 'self'] }, marks.join(' · ')) : null);
    const select = () => {
      svg.querySelectorAll('.arrow.sel').forEach((a) => a.classList.remove('sel'));
      g.classList.add('sel');
      onSelect?.(m, row);
    };
    g.addEventListener('click', select);
    g.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); select(); }
      else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const next = arrows[i + (e.key === 'ArrowDown' ? 1 : -1)];
        if (next) { next.focus(); next.dispatchEvent(new Event('click')); }
      }
    });
    arrows.push(g);
    svg.appendChild(g);
  });

  const legend = (flow.callIds || []).length > 1
    ? h('ul', { class: 'legs', 'aria-label': 'Call legs' }, (flow.callIds || []).map((id, i) =>
      h('li', { class: `leg-${i % LEG_COLOURS.length}` }, h('span', { class: 'swatch', 'aria-hidden': 'true' }), id)))
    : null;
  return { element: h('div', { class: 'ladder-wrap' }, legend, h('div', { class: 'ladder-scroll' }, svg)), arrows, rows: list };
}
