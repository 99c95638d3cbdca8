import { h } from './dom.js';
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
export function messageView(msg) {
  const text = rawText(msg);
  const { startLine, headers, body } = parseSip(text);
  const type = payloadType(msg.protoType);
  const meta = [
    ['Time', h('time', { datetime: msg.timestamp, title: utcTitle(msg.timestamp) }, formatLocal(msg.timestamp, { digits: 6 }))],
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
      h('span', { class: 'hv' }, value), '\n',
    ]),
    body ? ['\n', h('span', { class: 'sip-body' }, body)] : null);
  return h('article', { class: 'message', 'aria-label': 'Captured message' },
    h('dl', { class: 'meta' }, meta.map(([k, v]) => [h('dt', null, k), h('dd', null, v)])),
    h('div', { class: 'message-actions' }, copyButton(text, pre, { name: 'copy-raw', title: 'Copy raw message' })),
    pre,
    msg.rawEncoding === 'base64' ? h('p', { class: 'note' }, 'Stored as binary; shown decoded as UTF-8.') : null);
}
