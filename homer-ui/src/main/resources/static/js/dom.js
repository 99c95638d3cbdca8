// DOM construction for data that is attacker-controlled (SIP headers, bodies, user agents, aliases).
// Every string child becomes a Text node; attribute values go through setAttribute. There is no
// innerHTML anywhere in this app. Event handlers are functions only, never strings, and href/src
// only take URLs of our own origin.
import { agentClock } from './time.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** True for a same-origin path ("/call/x", "?a=b") or a blob: URL we created; never javascript:, data: or another host. */
export function isOwnUrl(url) {
  if (typeof url !== 'string') return false;
  if (url.startsWith('blob:')) return url.startsWith('blob:' + location.origin + '/');
  try {
    const u = new URL(url, location.href);
    return u.origin === location.origin && (u.protocol === 'http:' || u.protocol === 'https:');
  } catch {
    return false;
  }
}

function apply(el, props) {
  if (!props) return;
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) {
      if (typeof value !== 'function') throw new TypeError('event handler must be a function: ' + key);
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === 'class') {
      el.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    } else if (key === 'href' || key === 'src' || key === 'action' || key === 'xlink:href') {
      if (!isOwnUrl(String(value))) throw new TypeError('refusing foreign URL in ' + key);
      el.setAttribute(key, String(value));
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (key === 'selected') {
      // also the default, so that a form's reset() comes back to the option chosen when it was built
      el.defaultSelected = value;
      el.selected = value;
    } else if (key === 'value' || key === 'checked' || key === 'disabled') {
      el[key] = value;
    } else if (key === 'text') {
      el.textContent = String(value);
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

/** An HTML element: h('td', {class: 'x'}, 'text', otherNode). Strings are always text. */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  apply(el, props);
  append(el, children);
  return el;
}

/** An SVG element; text children become text nodes (textContent), never markup. */
export function s(tag, props, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  apply(el, props);
  append(el, children);
  return el;
}

/** Replaces the children of el. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export function spinner(label = 'Loading…') {
  return h('div', { class: 'loading', role: 'status', 'aria-live': 'polite' }, h('span', { class: 'spin', 'aria-hidden': 'true' }), label);
}

export function errorBox(err) {
  const message = err && err.message ? err.message : String(err);
  return h('div', { class: 'error', role: 'alert' }, h('strong', null, 'Error: '), message);
}

/**
 * The answer of `request` for a page: `box` is aria-busy while it runs; when it fails, `box` shows `before`
 * and the error. Undefined when it failed or the page was left (`signal` aborted: nothing is shown then).
 */
export async function answer(box, signal, request, ...before) {
  box.setAttribute('aria-busy', 'true');
  try {
    const value = await request;
    return signal.aborted ? undefined : value;
  } catch (e) {
    if (!signal.aborted) mount(box, ...before, errorBox(e));
    return undefined;
  } finally {
    if (!signal.aborted) box.removeAttribute('aria-busy');
  }
}

/**
 * The note beside a message stored away from its agent's own time ("agent clock 3 h 12 min behind"), or null:
 * wherever a message appears, its reader is told that its time is the collector's estimate.
 */
export function clockNote(skewMicros) {
  const text = agentClock(skewMicros);
  return text ? h('span', { class: 'clock-note', title: 'Stored at the collector\u2019s time of it: the agent\u2019s clock was off' }, text) : null;
}

/**
 * A detail opened directly under a table row (one row spanning the table's `columns`), not after the whole table:
 * `open(tr)` moves it under that row and returns its content box (`props` on it: id, aria-…).
 */
export function rowDetail(columns, props) {
  const box = h('section', { class: 'detail inline', ...props });
  const row = h('tr', { class: 'detail-row' }, h('td', { colspan: String(columns) }, box));
  return {
    open(tr) {
      tr.after(row);
      return box;
    },
  };
}

export function empty(message) {
  return h('div', { class: 'empty' }, message);
}

/** The badge of a log line's level ("error", "warning"...: homer-api's logLevel), or null when it names none. */
export function levelBadge(level) {
  return level ? h('span', { class: ['badge', `lv-${level}`], title: 'Log level' }, level) : null;
}

/** Colour class of a SIP status or request: 1xx provisional, 2xx success, 3xx redirect, 4xx, 5xx and 6xx failure. */
export function statusClass(status) {
  const n = Number(status);
  if (!n) return 'st-req';
  if (n < 200) return 'st-1xx';
  if (n < 300) return 'st-2xx';
  if (n < 400) return 'st-3xx';
  if (n < 500) return 'st-4xx';
  if (n < 600) return 'st-5xx';
  return 'st-6xx';
}
