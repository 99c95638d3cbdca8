import { h, mount, errorBox, empty, statusClass } from './dom.js';
import { session, query } from './api.js';
import { formatLocal, utcTitle } from './time.js';

// Live view: /live?method=INVITE&fromUser=... streams /api/v1/stream/messages (server-sent events).
// EventSource cannot send the bearer token, so the stream is read with fetch() and parsed here.

const MAX_ROWS = 500;
const FILTERS = [['callId', 'Call-ID'], ['fromUser', 'From user'], ['toUser', 'To user'], ['method', 'Method'], ['status', 'Status'], ['srcIp', 'Source IP'], ['dstIp', 'Destination IP'], ['node', 'Node']];

/** Splits SSE text into events; returns [events, rest]. Each event: { event, data }. */
export function parseSse(buffer) {
  const events = [];
  const blocks = buffer.split(/\r?\n\r?\n/);
  const rest = blocks.pop();
  for (const block of blocks) {
    let event = 'message';
    const data = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') data.push(value);
      else if (field === 'event') event = value;
    }
    if (data.length) events.push({ event, data: data.join('\n') });
  }
  return [events, rest];
}

export function livePage(root, app) {
  const params = new URLSearchParams(location.search);
  const inputs = {};
  const form = h('form', { class: 'search live-filter', role: 'search', 'aria-label': 'Live filter' },
    h('div', { class: 'grid' }, FILTERS.map(([name, label]) => {
      inputs[name] = h('input', { id: `l-${name}`, name, value: params.get(name) || '', autocomplete: 'off', spellcheck: 'false' });
      return h('div', { class: 'field' }, h('label', { for: `l-${name}` }, label), inputs[name]);
    })),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Apply filter')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const [name] of FILTERS) if (inputs[name].value.trim()) next.set(name, inputs[name].value.trim());
    app.navigate('/live' + (next.toString() ? '?' + next : ''));
  });

  const status = h('span', { class: 'live-status', role: 'status', 'aria-live': 'polite' }, 'Connecting…');
  const count = h('span', { class: 'count' });
  const tbody = h('tbody');
  const table = h('table', { class: 'list', id: 'live-table' },
    h('thead', null, h('tr', null, ['Time', 'Method / status', 'From', 'To', 'Source', 'Destination', 'Call-ID'].map((t) => h('th', { scope: 'col' }, t)))),
    tbody);
  let paused = false;
  let received = 0;
  const pause = h('button', { type: 'button', id: 'live-pause', 'aria-pressed': 'false', onclick: () => {
    paused = !paused;
    pause.setAttribute('aria-pressed', String(paused));
    pause.textContent = paused ? 'Resume' : 'Pause';
  } }, 'Pause');
  const body = h('div', null, h('div', { class: 'actions' }, pause, status, count), h('div', { class: 'table-wrap' }, table));
  const placeholder = empty('Waiting for messages that match the filter…');
  mount(root, h('h1', { class: 'sr-only' }, 'Live'), form, body, placeholder);

  const controller = new AbortController();
  const filter = {};
  for (const [name] of FILTERS) if (params.get(name)) filter[name] = params.get(name);

  const add = (m) => {
    received += 1;
    count.textContent = `${received} received`;
    if (paused) return;
    placeholder.remove();
    const href = `/call/${encodeURIComponent(m.callId)}${query({ from: new Date(Date.now() - 3600e3).toISOString(), to: new Date(Date.now() + 3600e3).toISOString() })}`;
    tbody.prepend(h('tr', { class: statusClass(m.status) },
      h('td', { title: utcTitle(m.timestamp) }, formatLocal(m.timestamp)),
      h('td', null, h('span', { class: ['badge', statusClass(m.status)] }, m.status ? String(m.status) : m.method)),
      h('td', null, m.fromUser), h('td', null, m.toUser),
      h('td', { class: 'mono' }, `${m.srcIp}:${m.srcPort}`), h('td', { class: 'mono' }, `${m.dstIp}:${m.dstPort}`),
      h('td', { class: 'mono' }, h('a', { href, onclick: (e) => { e.preventDefault(); app.navigate(href); } }, m.callId))));
    while (tbody.rows.length > MAX_ROWS) tbody.deleteRow(-1);
  };

  (async () => {
    try {
      const res = await fetch(`/api/v1/stream/messages${query(filter)}`, {
        headers: { Accept: 'text/event-stream', Authorization: 'Bearer ' + session.token },
        signal: controller.signal,
      });
      if (!res.ok) throw new Error(`the live stream answered ${res.status}`);
      status.textContent = 'Live';
      status.classList.add('on');
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const [events, rest] = parseSse(buffer + value);
        buffer = rest;
        for (const e of events) {
          try { add(JSON.parse(e.data)); } catch { /* not a message event */ }
        }
      }
      status.textContent = 'Stream ended';
      status.classList.remove('on');
    } catch (e) {
      if (e.name === 'AbortError') return;
      status.textContent = 'Disconnected';
      status.classList.remove('on');
      body.prepend(errorBox(e));
    }
  })();
  return { dispose: () => controller.abort() };
}
