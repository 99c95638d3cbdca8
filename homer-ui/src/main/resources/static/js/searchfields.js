import { json } from './api.js';
import { h, mount, spinner, errorBox } from './dom.js';

// The search filters, as homer-api defines them (GET /api/v1/meta/search): the search form and the live filters are
// built from it, so a filter added to the API appears in both without a change here. Asked once per page load.

let known = null;
let loading = null;

/**
 * { fields: [{ param, label, syntax }], searches: { messages | calls | stream: { paged, params: Set, sorts: Set } } }
 * (sorts: the columns the API sorts that search on, its own order first);
 * rejects when the API cannot say (the page shows the error).
 */
export function loadSearchFields(signal) {
  if (known) return Promise.resolve(known);
  if (!loading) {
    loading = json('/api/v1/meta/search').then((body) => {
      known = {
        fields: body.fields || [],
        searches: Object.fromEntries((body.searches || []).map((s) => [s.name, { paged: s.paged, params: new Set(s.fields), sorts: new Set(s.sorts || []) }])),
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

// Two fields' parameters carry a name: `header.NAME=value` (any SIP header) and `json.PATH=value` (a field of a
// JSON payload), on GET /api/v1/messages and the stream. Their inputs take "NAME: value" ("X-Customer-Id: acme*",
// "stats.mos: <3.5"; a name alone: present).
const NAMED = { header: { prefix: 'header.', example: 'X-Customer-Id: acme*' }, json: { prefix: 'json.', example: 'stats.mos: <3.5' } };

/** What the input of field `name` shows for the URL's parameters. */
export function fieldValue(params, name) {
  const named = NAMED[name];
  if (!named) return params.get(name) || '';
  for (const [k, v] of params) if (k.startsWith(named.prefix)) return `${k.slice(named.prefix.length)}: ${v}`;
  return '';
}

/** Sets the URL's parameter of field `name` from its input's text. */
export function setField(params, name, text) {
  const t = text.trim();
  if (!t) return;
  const named = NAMED[name];
  if (!named) {
    params.set(name, t);
    return;
  }
  const colon = t.indexOf(':');
  const key = (colon < 0 ? t : t.slice(0, colon)).trim();
  params.set(named.prefix + key, (colon < 0 ? '' : t.slice(colon + 1).trim()) || '*');
}

/** Copies the URL's parameters of field `name` into the API query `q`. */
export function copyField(params, name, q) {
  const named = NAMED[name];
  if (!named) {
    if (params.get(name)) q[name] = params.get(name);
    return;
  }
  for (const [k, v] of params) if (k.startsWith(named.prefix)) q[k] = v;
}

/**
 * Offers the paths of the JSON payloads stored in the last hour (GET /api/v1/meta/json-fields, asked once, when
 * the input is first focused) as the JSON field input's suggestions: "stats.mos: ", with the payload types that
 * carry each path and its value types. The input stays free text: a path not sampled can still be typed.
 */
export function jsonPathSuggestions(input) {
  const list = h('datalist', { id: 'json-paths' });
  input.setAttribute('list', 'json-paths');
  let asked = false;
  input.addEventListener('focus', () => {
    if (asked) return;
    asked = true;
    json('/api/v1/meta/json-fields').then((body) => {
      for (const f of body.fields) {
        list.appendChild(h('option', { value: `${f.path}: ` },
          `${f.valueTypes.join('/')} · payload type ${f.payloadTypes.join(', ')} · in ${f.payloads} of ${body.sampled} sampled`));
      }
    }).catch(() => { asked = false; });
  });
  return list;
}

/** A placeholder for field `name`'s input, where its syntax needs an example. */
export function fieldPlaceholder(name) {
  return NAMED[name] ? NAMED[name].example : null;
}
