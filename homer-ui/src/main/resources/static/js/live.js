import { h, mount, errorBox, empty, statusClass, clockNote } from './dom.js';
import { ApiError, call, query, callHref } from './api.js';
import { formatLocal, utcTitle, micros } from './time.js';
import { fieldValue, setField, copyField, fieldPlaceholder } from './searchfields.js';

// Live view, sngrep in the browser: /live?view=calls|messages&traffic=calls|registrations|options|other&method=INVITE&fromUser=...
// Streams GET /api/v1/stream/messages (server-sent events). EventSource hides a refusal's status and message, so
// the stream is read with fetch() and parsed here. When the stream drops (server closed it, network, 429,
// 5xx) the page reconnects with back-off and Last-Event-ID; events are de-duplicated by id.

/** Calls kept (newest N by first message); older ones leave the list. */
export const MAX_CALLS = 200;
/** Messages kept in the raw list. */
export const MAX_MESSAGES = 500;
/** Event ids remembered for de-duplication after a reconnect. */
const MAX_SEEN = 5000;
/** Waits before reconnect attempts 1, 2, 3, … (the last repeats); back to the first once a stream opened. */
const BACKOFF_MS = [1000, 2000, 5000, 10000, 30000];
/** Statuses worth another try: unreachable (0), too many streams, homer-api or the proxy failing. */
const RETRY = new Set([0, 429, 500, 502, 503, 504]);

/**
 * Splits SSE text into events; returns [events, rest]. A block with data is
 * { event, data, id } (id null without an id: line); a block of comments only is { comment } (":open", ":heartbeat").
 */
export function parseSse(buffer) {
  const events = [];
  const blocks = buffer.split(/\r?\n\r?\n/);
  const rest = blocks.pop();
  for (const block of blocks) {
    let event = 'message';
    let id = null;
    let comment;
    const data = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith(':')) {
        if (comment === undefined) comment = line.slice(1).trim();
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') data.push(value);
      else if (field === 'event') event = value;
      else if (field === 'id' && !value.includes('\0')) id = value;
    }
    if (data.length) events.push({ event, data: data.join('\n'), id });
    else if (comment !== undefined) events.push({ comment });
  }
  return [events, rest];
}

const sleep = (ms, signal) => new Promise((resolve) => {
  const timer = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
});

/** The kinds of traffic the view can show alone, by the method of a Call-ID's first request. */
export const TRAFFIC = [['', 'All'], ['calls', 'Calls'], ['registrations', 'Registrations'], ['options', 'OPTIONS'], ['other', 'Other']];

/** The kind of a Call-ID's traffic from its first request's method: INVITE a call, REGISTER, OPTIONS, else other. */
function kindOf(method) {
  const m = (method || '').toUpperCase();
  return m === 'INVITE' ? 'calls' : m === 'REGISTER' ? 'registrations' : m === 'OPTIONS' ? 'options' : 'other';
}

/** ↑/↓ move between the rows' links of a table body (Enter follows the link). */
function arrowKeys(tbody) {
  tbody.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const row = e.target.closest('tr');
    const next = row && (e.key === 'ArrowDown' ? row.nextElementSibling : row.previousElementSibling);
    const link = next && next.querySelector('a');
    if (link) {
      e.preventDefault();
      link.focus();
    }
  });
}

/** The live view; the stream ends when the page is left (signal) or hidden (pagehide). */
/** The live page; search: the API's search fields (the filters are those the stream takes). */
export function livePage(root, app, signal, search) {
  const filters = search.fields.filter((f) => search.searches.stream.params.has(f.param));
  const params = new URLSearchParams(location.search);
  let view = params.get('view') === 'messages' ? 'messages' : 'calls';
  let traffic = TRAFFIC.some(([k]) => k && k === params.get('traffic')) ? params.get('traffic') : '';
  const inputs = {};
  const form = h('form', { class: 'search live-filter', role: 'search', 'aria-label': 'Live filter' },
    h('div', { class: 'grid' }, filters.map(({ param: name, label, syntax }) => {
      inputs[name] = h('input', { id: `l-${name}`, name, value: fieldValue(params, name), placeholder: fieldPlaceholder(name), autocomplete: 'off', spellcheck: 'false', title: syntax });
      return h('div', { class: 'field' }, h('label', { for: `l-${name}` }, label), inputs[name]);
    })),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'live-apply' }, 'Apply filter')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    if (view === 'messages') next.set('view', view);
    if (traffic) next.set('traffic', traffic);
    for (const { param: name } of filters) setField(next, name, inputs[name].value);
    app.navigate('/live' + (next.toString() ? '?' + next : ''));
  });

  const status = h('span', { class: 'live-status', id: 'live-status', role: 'status', 'aria-live': 'polite', 'data-state': 'connecting' }, 'Connecting…');
  const count = h('span', { class: 'count', id: 'live-count' });
  const callRows = h('tbody');
  const messageRows = h('tbody');
  arrowKeys(callRows);
  arrowKeys(messageRows);
  const callsTable = h('table', { class: 'list', id: 'live-calls', 'aria-label': 'Live calls' },
    h('thead', null, h('tr', null, ['First', 'Last', 'Call-ID', 'Method', 'From', 'To', 'Address', 'Status', 'Messages'].map((t) => h('th', { scope: 'col' }, t)))),
    callRows);
  const messagesTable = h('table', { class: 'list', id: 'live-messages', 'aria-label': 'Live messages' },
    h('thead', null, h('tr', null, ['Time', 'Method / status', 'From', 'To', 'Source', 'Destination', 'Call-ID'].map((t) => h('th', { scope: 'col' }, t)))),
    messageRows);
  const callsWrap = h('div', { class: 'table-wrap', hidden: view !== 'calls' }, callsTable);
  const messagesWrap = h('div', { class: 'table-wrap', hidden: view !== 'messages' }, messagesTable);

  let paused = false;
  let received = 0;
  let whilePaused = 0;
  let reconnects = 0;
  const calls = new Map(); // Call-ID → call, in order of arrival (the first is the oldest)
  let messages = []; // newest first
  const seen = new Set();
  const seenOrder = [];

  const viewCalls = h('button', { type: 'button', id: 'live-view-calls', 'aria-pressed': String(view === 'calls'), onclick: () => setView('calls') }, 'Calls');
  const viewMessages = h('button', { type: 'button', id: 'live-view-messages', 'aria-pressed': String(view === 'messages'), onclick: () => setView('messages') }, 'Messages');
  const pause = h('button', { type: 'button', id: 'live-pause', 'aria-pressed': 'false', onclick: () => togglePause() }, 'Pause');
  const errors = h('div', { class: 'live-errors' });
  // the traffic shown: rows of other kinds are hidden by the stylesheet (.live[data-traffic]), not dropped
  const trafficButtons = TRAFFIC.map(([kind, title]) => h('button', { type: 'button', id: `live-traffic-${kind || 'all'}`,
    'aria-pressed': String(traffic === kind), onclick: () => setTraffic(kind) }, title));
  const body = h('div', { class: 'live', 'data-reconnects': '0', 'data-traffic': traffic },
    h('div', { class: 'actions' },
      h('div', { class: 'segmented', role: 'group', 'aria-label': 'Show' }, viewCalls, viewMessages),
      h('div', { class: 'segmented', role: 'group', 'aria-label': 'Traffic' }, trafficButtons),
      pause, status, count),
    errors, callsWrap, messagesWrap);
  const placeholder = empty('Waiting for messages that match the filter…');
  mount(root, h('h1', { class: 'sr-only' }, 'Live'), form, body, placeholder);

  function setView(next) {
    view = next;
    viewCalls.setAttribute('aria-pressed', String(view === 'calls'));
    viewMessages.setAttribute('aria-pressed', String(view === 'messages'));
    callsWrap.hidden = view !== 'calls';
    messagesWrap.hidden = view !== 'messages';
    const url = new URLSearchParams(location.search);
    if (view === 'messages') url.set('view', view); else url.delete('view');
    history.replaceState(history.state, '', '/live' + (url.toString() ? '?' + url : ''));
  }

  function setTraffic(next) {
    traffic = next;
    body.dataset.traffic = traffic;
    trafficButtons.forEach((b, i) => b.setAttribute('aria-pressed', String(TRAFFIC[i][0] === traffic)));
    const url = new URLSearchParams(location.search);
    if (traffic) url.set('traffic', traffic); else url.delete('traffic');
    history.replaceState(history.state, '', '/live' + (url.toString() ? '?' + url : ''));
  }

  function togglePause() {
    paused = !paused;
    pause.setAttribute('aria-pressed', String(paused));
    pause.textContent = paused ? 'Resume' : 'Pause';
    if (!paused) {
      whilePaused = 0;
      redraw();
    }
    showCount();
  }

  function showCount() {
    count.textContent = `${received} received · ${calls.size} ${calls.size === 1 ? 'call' : 'calls'}` + (paused ? ` · ${whilePaused} new while paused` : '');
  }

  function setState(state, text) {
    status.dataset.state = state;
    status.textContent = text;
    status.classList.toggle('on', state === 'live');
    status.classList.toggle('warn', state === 'reconnecting');
  }

  const hrefOf = (c) => callHref(c.callId, {
    from: new Date(Math.floor(c.first / 1000) - 3600e3).toISOString(),
    to: new Date(Math.floor(c.last / 1000) + 3600e3).toISOString(),
  });
  const link = (c) => h('a', { href: hrefOf(c), onclick: (e) => { e.preventDefault(); app.navigate(hrefOf(c)); } }, c.callId);

  /** The row of a call; its cells are updated in place as messages arrive (focus stays on its link). */
  function callRow(c) {
    c.cells = {
      first: h('td', { class: 'first' }), last: h('td', { class: 'last' }), link: h('td', { class: 'mono callid' }, link(c)),
      method: h('td', { class: 'method' }), from: h('td', { class: 'from' }), to: h('td', { class: 'to' }),
      address: h('td', { class: 'mono address' }), status: h('td', { class: 'status' }), count: h('td', { class: 'num msgs' }),
    };
    c.row = h('tr', null, Object.values(c.cells));
    c.row.dataset.callId = c.callId;
    fillCall(c);
    return c.row;
  }

  function fillCall(c) {
    const { cells } = c;
    cells.first.textContent = formatLocal(c.firstIso);
    cells.first.title = utcTitle(c.firstIso);
    cells.last.textContent = formatLocal(c.lastIso);
    cells.last.title = utcTitle(c.lastIso);
    cells.from.textContent = c.fromUser || '';
    cells.to.textContent = c.toUser || '';
    cells.method.textContent = c.method || '';
    cells.address.textContent = c.address || '';
    mount(cells.status, h('span', { class: ['badge', statusClass(c.status)] }, c.status ? String(c.status) : (c.method || '')));
    cells.count.textContent = String(c.count);
    c.row.className = statusClass(c.status);
    c.row.dataset.kind = kindOf(c.method);
  }

  function messageRow(m) {
    const c = calls.get(m.callId) || { callId: m.callId, first: micros(m.timestamp), last: micros(m.timestamp) };
    return h('tr', { class: statusClass(m.status), dataset: { kind: kindOf(c.method || m.method) } },
      h('td', { title: utcTitle(m.timestamp) }, formatLocal(m.timestamp), clockNote(m.agentClockSkewMicros)),
      h('td', null, h('span', { class: ['badge', statusClass(m.status)] }, m.status ? String(m.status) : m.method)),
      h('td', null, m.fromUser), h('td', null, m.toUser),
      h('td', { class: 'mono' }, `${m.srcIp}:${m.srcPort}`), h('td', { class: 'mono' }, `${m.dstIp}:${m.dstPort}`),
      h('td', { class: 'mono' }, m.callId ? link(c) : ''));
  }

  function redraw() {
    mount(callRows, [...calls.values()].reverse().map(callRow));
    mount(messageRows, messages.map(messageRow));
  }

  /** Adds one streamed message to the model (and the tables unless paused); false for a repeat. */
  function add(m) {
    if (m.id) {
      if (seen.has(m.id)) return false;
      seen.add(m.id);
      seenOrder.push(m.id);
      if (seenOrder.length > MAX_SEEN) seen.delete(seenOrder.shift());
    }
    received += 1;
    const t = micros(m.timestamp);
    let c = m.callId ? calls.get(m.callId) : null;
    let fresh = false;
    if (m.callId && !c) {
      c = { callId: m.callId, first: t, last: t, firstIso: m.timestamp, lastIso: m.timestamp, statusAt: -Infinity, count: 0 };
      calls.set(m.callId, c);
      fresh = true;
    }
    if (c) {
      c.count += 1;
      if (t < c.first) { c.first = t; c.firstIso = m.timestamp; }
      if (t >= c.last) { c.last = t; c.lastIso = m.timestamp; }
      // From/To of the earliest request; the status of the latest reply (else the first request's method).
      if (m.method && (!c.method || t <= c.methodAt)) {
        c.method = m.method; c.methodAt = t; c.fromUser = m.fromUser; c.toUser = m.toUser;
        c.address = `${m.srcIp}:${m.srcPort ?? ''} → ${m.dstIp}:${m.dstPort ?? ''}`;
      } else if (!c.fromUser && !c.method) {
        c.fromUser = m.fromUser; c.toUser = m.toUser;
      }
      if (m.status && t >= c.statusAt) { c.status = m.status; c.statusAt = t; }
    }
    let evicted = null;
    if (calls.size > MAX_CALLS) {
      const oldest = calls.keys().next().value;
      evicted = calls.get(oldest);
      calls.delete(oldest);
    }
    messages.unshift(m);
    if (messages.length > MAX_MESSAGES) messages = messages.slice(0, MAX_MESSAGES);

    if (paused) {
      whilePaused += 1;
    } else {
      placeholder.remove();
      if (c && fresh) callRows.prepend(callRow(c));
      else if (c && c.row) fillCall(c);
      if (evicted && evicted.row) evicted.row.remove();
      messageRows.prepend(messageRow(m));
      while (messageRows.rows.length > MAX_MESSAGES) messageRows.deleteRow(-1);
    }
    showCount();
    return true;
  }

  // The stream ends when the page is left (signal) or hidden (pagehide): `ended` aborts in both cases.
  const stream = new AbortController();
  const ended = stream.signal;
  const stop = () => stream.abort();
  signal.addEventListener('abort', stop, { once: true });
  const filter = {};
  for (const { param: name } of filters) copyField(params, name, filter);

  (async () => {
    let lastId = null;
    let attempt = 0;
    while (!ended.aborted) {
      let reason;
      try {
        const headers = { Accept: 'text/event-stream' };
        if (lastId) headers['Last-Event-ID'] = lastId;
        const res = await call(`/api/v1/stream/messages${query(filter)}`, { headers, signal: ended });
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        let opened = false;
        const open = () => {
          opened = true;
          attempt = 0;
          errors.replaceChildren();
          setState('live', 'Live');
        };
        for (;;) {
          const { value, done } = await reader.read();
          if (ended.aborted) return;
          if (done) break;
          const [events, rest] = parseSse(buffer + value);
          buffer = rest;
          for (const e of events) {
            if (e.comment === 'open') open();
            if (e.comment !== undefined || e.event !== 'message') continue;
            let m;
            try { m = JSON.parse(e.data); } catch { continue; }
            if (!opened) open();
            add(m);
            lastId = e.id || m.id || lastId;
          }
        }
        reason = 'the stream ended';
      } catch (e) {
        if (ended.aborted || e.name === 'AbortError') return;
        if (e instanceof ApiError && !RETRY.has(e.status)) {
          setState('stopped', 'Stopped');
          errors.replaceChildren(errorBox(e));
          return;
        }
        reason = e instanceof ApiError && e.status === 429 ? 'too many live streams are open' : (e.message || String(e));
      }
      if (ended.aborted) return;
      const delay = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)];
      attempt += 1;
      reconnects += 1;
      body.dataset.reconnects = String(reconnects);
      setState('reconnecting', `Reconnecting in ${delay / 1000} s (${reason})…`);
      await sleep(delay, ended);
      if (!ended.aborted) setState('reconnecting', 'Reconnecting…');
    }
  })();
  // Leaving the page (or Chrome keeping it in the back/forward cache) must end the stream at once: homer-api
  // allows few streams per replica. Coming back from that cache, the page starts afresh.
  const show = (e) => { if (e.persisted) location.reload(); };
  window.addEventListener('pagehide', stop);
  window.addEventListener('pageshow', show);
  return () => {
    stop();
    window.removeEventListener('pagehide', stop);
    window.removeEventListener('pageshow', show);
  };
}
