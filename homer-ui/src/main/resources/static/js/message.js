import { h, clockNote } from './dom.js';
import { formatLocal, utcTitle } from './time.js';
import { rawText, parseSip, KEY_HEADERS } from './sip.js';
import { payloadType } from './hep.js';

function endpoint(ip, port) {
  if (!ip) return '';
  return ip.includes(':') ? `[${ip}]:${port ?? ''}` : `${ip}:${port ?? ''}`;
}

/**
 * A button (class `name`) copying text to the clipboard; where the browser refuses (no permission, not a secure context) it
 * selects `fallback`'s text for Ctrl+C instead. Its status says which.
 */
export function copyButton(text, fallback, { name, title = 'Copy' } = {}) {
  const said = h('span', { class: 'copied', role: 'status' });
  const button = h('button', { type: 'button', class: name, onclick: async () => {
    try {
      await navigator.clipboard.writeText(text);
      said.textContent = ' Copied.';
    } catch {
      getSelection().selectAllChildren(fallback);
      said.textContent = ' Selected: press Ctrl+C to copy.';
    }
  } }, title);
  return h('span', { class: 'copy' }, button, said);
}

/**
 * The full captured message: its metadata, then start line, headers (names highlighted) and body, as text, with
 * a button copying it as captured (CRLF line ends kept).
 */
/** Escapes a value for a search filter (docs/api.md, Conventions): a backslash before \\, , and *, and a leading !. */
export function filterValue(v) {
  return v.replace(/[\\,*]/g, (c) => '\\' + c).replace(/^!/, '\\!');
}

// headers searched by a field of their own (its user part, or the whole value), else as header.NAME
const FIELD_OF = {
  'call-id': ['callId', (v) => v], i: ['callId', (v) => v],
  from: ['fromUser', userOf], f: ['fromUser', userOf], to: ['toUser', userOf], t: ['toUser', userOf],
  contact: ['contactUser', userOf], m: ['contactUser', userOf], 'p-asserted-identity': ['paiUser', userOf],
  'user-agent': ['userAgent', (v) => v],
};

function userOf(v) {
  const m = /sips?:([^@;>\s]+)@/i.exec(v);
  return m ? m[1] : null;
}

/**
 * The message search for a header's value, within an hour of the message (the logged-in UI only, not the
 * customer embed): its own field where there is one (From → fromUser=alice), else header.NAME=value.
 */
function searchHref(msg, name, value) {
  if (document.body.classList.contains('embedded') || !name || !value || value.length > 256 || !msg.timestamp) return null;
  const [field, pick] = FIELD_OF[name.toLowerCase()] || [`header.${name}`, (v) => v];
  const v = pick(value);
  if (!v) return null;
  const t = Date.parse(msg.timestamp);
  const p = new URLSearchParams({ view: 'messages', range: 'custom', from: new Date(t - 3600e3).toISOString(),
    to: new Date(t + 3600e3).toISOString() });
  p.set(field, filterValue(v));
  return '/?' + p.toString();
}

export function messageView(msg, { onCompare } = {}) {
  const text = rawText(msg);
  const { startLine, headers, body } = parseSip(text);
  const type = payloadType(msg.protoType);
  const meta = [
    ['Time', [h('time', { datetime: msg.timestamp, title: utcTitle(msg.timestamp) }, formatLocal(msg.timestamp, { digits: 6 })),
      clockNote(msg.agentClockSkewMicros)].filter(Boolean)],
    ['From', endpoint(msg.srcIp, msg.srcPort)],
    ['To', endpoint(msg.dstIp, msg.dstPort)],
    ['Transport', msg.transport],
    ['Payload', type ? h('abbr', { class: 'hep-type', title: type.title }, type.name) : ''],
    ['Call-ID', msg.callId],
    ['Node', [msg.node, msg.captureId].filter((v) => v !== undefined && v !== null && v !== '').join(' / ')],
    ['Size', msg.size !== undefined ? `${msg.size} bytes` : ''],
  ].filter(([, v]) => v !== '' && v !== undefined && v !== null);
  const pre = h('pre', { class: 'sip', tabindex: '0' },
    h('span', { class: 'sip-start' }, startLine), '\n',
    headers.map(({ name, value }) => [
      name ? h('span', { class: KEY_HEADERS.has(name.toLowerCase()) ? 'hn hk' : 'hn' }, name) : null,
      name ? ': ' : null,
      headerValue(msg, name, value), '\n',
    ]),
    body ? ['\n', h('span', { class: 'sip-body' }, body)] : null);
  return h('article', { class: 'message', 'aria-label': 'Captured message' },
    h('dl', { class: 'meta' }, meta.map(([k, v]) => [h('dt', null, k), h('dd', null, v)])),
    h('div', { class: 'message-actions' }, copyButton(text, pre, { name: 'copy-raw', title: 'Copy raw message' }),
      onCompare ? h('button', { type: 'button', class: 'compare', onclick: () => onCompare(msg) }, 'Compare with…') : null),
    pre,
    msg.rawEncoding === 'base64' ? h('p', { class: 'note' }, 'Stored as binary; shown decoded as UTF-8.') : null);
}

/** A header's value, a link to the messages with the same value when it can be searched. */
function headerValue(msg, name, value) {
  const href = searchHref(msg, name, value);
  return href ? h('a', { class: 'hv search-value', href, title: `Search messages with this ${name}` }, value)
    : h('span', { class: 'hv' }, value);
}

/**
 * The lines of two texts as an edit script from a to b: [{op: ' ' | '-' | '+', text}], common lines once (the
 * longest common subsequence of lines, as diff does), a changed line's old form before its new one. Line ends (CRLF or LF) are not part of a line.
 */
export function diffLines(a, b) {
  const x = a.split(/\r?\n/);
  const y = b.split(/\r?\n/);
  const n = x.length;
  const m = y.length;
  // lcs[i][j]: length of the longest common subsequence of x[i..] and y[j..]
  const lcs = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) { out.push({ op: ' ', text: x[i] }); i++; j++; }
    else if (j < m && (i === n || lcs[i][j + 1] > lcs[i + 1][j])) { out.push({ op: '+', text: y[j] }); j++; }
    else { out.push({ op: '-', text: x[i] }); i++; }
  }
  return out;
}

/** A message named for the comparison's heading: "INVITE 02:04:44.000000 192.0.2.10:5060 → 192.0.2.20:5060". */
function nameOf(msg) {
  const start = parseSip(rawText(msg)).startLine;
  return `${start.length > 48 ? start.slice(0, 47) + '…' : start} · ${formatLocal(msg.timestamp, { date: false, digits: 6 })} · `
    + `${endpoint(msg.srcIp, msg.srcPort)} → ${endpoint(msg.dstIp, msg.dstPort)}`;
}

/**
 * Two captured messages compared, as sngrep does: their start lines, headers and bodies as one diff, the lines
 * only the first has marked "−", those only the second has "+" (in words for screen readers, colour besides).
 */
export function compareView(a, b, { onClose } = {}) {
  const lines = diffLines(rawText(a), rawText(b));
  const changed = lines.filter((l) => l.op !== ' ').length;
  return h('article', { class: 'compare-view', 'aria-label': 'Two messages compared' },
    h('h3', null, 'Compared'),
    h('p', { class: 'compare-a' }, h('span', { class: 'diff-sign del' }, '−'), ' ', nameOf(a)),
    h('p', { class: 'compare-b' }, h('span', { class: 'diff-sign add' }, '+'), ' ', nameOf(b)),
    h('p', { class: 'hint', role: 'status' }, changed ? `${lines.filter((l) => l.op === '-').length} lines only in −, `
      + `${lines.filter((l) => l.op === '+').length} only in +.` : 'The two messages are identical.'),
    onClose ? h('div', { class: 'message-actions' }, h('button', { type: 'button', class: 'compare-close', onclick: onClose }, 'Show the second message alone')) : null,
    h('pre', { class: 'sip diff', tabindex: '0' }, lines.map((l) => h('span', {
      class: ['diff-line', l.op === '-' && 'del', l.op === '+' && 'add'],
      title: l.op === '-' ? 'only in the first message' : l.op === '+' ? 'only in the second message' : null,
    }, `${l.op === '-' ? '−' : l.op} ${l.text}\n`))));
}
