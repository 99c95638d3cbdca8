import { json } from './api.js';
import { mount, spinner, errorBox } from './dom.js';

// The search filters, as homer-api defines them (GET /api/v1/meta/search): the search form and the live filters are
// built from it, so a filter added to the API appears in both without a change here. Asked once per page load.

let known = null;
let loading = null;

/**
 * { fields: [{ param, label, syntax }], searches: { messages | calls | stream: { paged, params: Set } } };
 * rejects when the API cannot say (the page shows the error).
 */
export function loadSearchFields(signal) {
  if (known) return Promise.resolve(known);
  if (!loading) {
    loading = json('/api/v1/meta/search').then((body) => {
      known = {
        fields: body.fields || [],
        searches: Object.fromEntries((body.searches || []).map((s) => [s.name, { paged: s.paged, params: new Set(s.fields) }])),
      };
      return known;
    }).finally(() => { loading = null; });
  }
  // one request for every page that waits; a page left stops waiting, the request goes on for the next
  return signal ? Promise.race([loading, new Promise((_, reject) => signal.addEventListener('abort',
    () => reject(signal.reason), { once: true }))]) : loading;
}

/**
 * A page (root, app, signal, search) → dispose that needs the search fields, as a page of the router: created at
 * once when they are known, else after they arrive (a spinner meanwhile, an error box when they cannot be had).
 */
export function withSearchFields(page) {
  return (root, app, signal) => {
    if (known) return page(root, app, signal, known);
    let dispose = () => {};
    mount(root, spinner('Loading…'));
    loadSearchFields(signal).then((search) => {
      if (!signal.aborted) dispose = page(root, app, signal, search);
    }, (e) => {
      if (!signal.aborted) mount(root, errorBox(e));
    });
    return () => dispose();
  };
}

// One field's parameter carries a name: `header.NAME=value` (any SIP header, GET /api/v1/messages and the
// stream). Its input takes "NAME: value" ("X-Customer-Id: acme*"; a name alone: the header is present).
const HEADER = 'header';
const HEADER_PREFIX = 'header.';

/** What the input of field `name` shows for the URL's parameters. */
export function fieldValue(params, name) {
  if (name !== HEADER) return params.get(name) || '';
  for (const [k, v] of params) if (k.startsWith(HEADER_PREFIX)) return `${k.slice(HEADER_PREFIX.length)}: ${v}`;
  return '';
}

/** Sets the URL's parameter of field `name` from its input's text. */
export function setField(params, name, text) {
  const t = text.trim();
  if (!t) return;
  if (name !== HEADER) {
    params.set(name, t);
    return;
  }
  const colon = t.indexOf(':');
  const header = (colon < 0 ? t : t.slice(0, colon)).trim();
  params.set(HEADER_PREFIX + header, (colon < 0 ? '' : t.slice(colon + 1).trim()) || '*');
}

/** Copies the URL's parameters of field `name` into the API query `q`. */
export function copyField(params, name, q) {
  if (name !== HEADER) {
    if (params.get(name)) q[name] = params.get(name);
    return;
  }
  for (const [k, v] of params) if (k.startsWith(HEADER_PREFIX)) q[k] = v;
}

/** A placeholder for field `name`'s input, where its syntax needs an example. */
export function fieldPlaceholder(name) {
  return name === HEADER ? 'X-Customer-Id: acme*' : null;
}
