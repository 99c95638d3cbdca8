import { h, mount, spinner, answer, errorBox, empty, statusClass, levelBadge, clockNote, rowDetail } from './dom.js';
import { messageView } from './message.js';
import { loadPayloadTypes } from './hep.js';
import { json, query, callHref } from './api.js';
import { formatLocal, utcTitle, duration, micros } from './time.js';
import { resolveRange, rangePicker } from './range.js';
import { fieldValue, setField, copyField, fieldPlaceholder, jsonPathSuggestions } from './searchfields.js';
import { mediaCell } from './qos.js';

// The whole search lives in the URL (bookmarkable): /?view=calls&range=1h&fromUser=alice&sort=duration&order=asc
// The call list is sorted by the API (sort, order: its columns are the calls search's sorts in GET /api/v1/meta/search)
// and paged both ways with its cursors; the message list sorts its page here (sort, dir).

// The filters are homer-api's (searchfields.js): every field of the message search and of the call list, marked
// "(messages)" when the call list does not take it and "(calls)" when only the call list does (a call record's
// state, who hung up, cause, durations: >30s, <2s, 10s-1m).

// [item key, title, the API's sort of the column (sortable when the API lists it)]
const CALL_COLUMNS = [
  ['startedAt', 'Started', 'started'], ['callId', 'Call-ID'], ['fromUser', 'From', 'caller'], ['toUser', 'To', 'callee'],
  ['finalStatus', 'Status', 'finalStatus'], ['state', 'Result', 'state'], ['pddMs', 'PDD', 'pdd'], ['durationMs', 'Duration', 'duration'],
  ['mos', 'MOS', 'mos'], ['messageCount', 'Msgs'], ['legs', 'Legs'],
];
/** Where the call list's hidden columns are remembered (their keys, JSON), per browser. */
const HIDDEN_COLUMNS_KEY = 'hepstack.calls.hiddenColumns';

function hiddenColumns() {
  try {
    const v = JSON.parse(localStorage.getItem(HIDDEN_COLUMNS_KEY) || '[]');
    return new Set(Array.isArray(v) ? v.filter((k) => CALL_COLUMNS.some(([key]) => key === k)) : []);
  } catch {
    return new Set();
  }
}
const RESULTS = {
  ringing: 'ringing', answered: 'in progress', completed: 'completed', busy: 'busy', no_answer: 'not answered',
  cancelled: 'cancelled', rejected: 'rejected', failed: 'failed', redirected: 'redirected', auth_challenged_only: 'challenged',
};
const ENDED_BY = { caller: 'by caller', callee: 'by callee', network: 'by network', timeout: 'timed out' };

/** The call record's result in words ("busy, by callee"), with the Q.850 cause; '—' for a call without a record. */
function callResult(it) {
  if (!it.state) return '—';
  return [RESULTS[it.state] || it.state, ENDED_BY[it.hangupBy], it.reasonCause !== null && it.reasonCause !== undefined ? `cause ${it.reasonCause}` : null]
    .filter(Boolean).join(', ');
}

const MESSAGE_COLUMNS = [
  ['timestamp', 'Time'], ['method', 'Method / status'], ['fromUser', 'From'], ['toUser', 'To'],
  ['srcIp', 'Source'], ['dstIp', 'Destination'], ['userAgent', 'User-Agent'], ['node', 'Node'], ['callId', 'Call-ID'],
];

function compare(a, b, key) {
  const x = a[key];
  const y = b[key];
  if (x === y) return 0;
  if (x === undefined || x === null || x === '') return 1;
  if (y === undefined || y === null || y === '') return -1;
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  if (key === 'timestamp' || key === 'startedAt') return micros(x) - micros(y);
  return String(x).localeCompare(String(y), undefined, { numeric: true });
}

/** The search page; app.navigate(url) changes the URL (and so the search); search: the API's search fields. */
export function searchPage(root, app, signal, search) {
  const callParams = search.searches.calls.params;
  const messageParams = search.searches.messages.params;
  const fields = search.fields.filter((f) => messageParams.has(f.param) || callParams.has(f.param))
    .map((f) => ({ ...f, scope: !callParams.has(f.param) ? 'messages' : !messageParams.has(f.param) ? 'calls' : 'both' }));
  const params = new URLSearchParams(location.search);
  const view = params.get('view') === 'messages' ? 'messages' : 'calls';
  const resolved = resolveRange(params);

  const picker = rangePicker(resolved);

  const inputs = {};
  const fieldEls = fields.map(({ param: name, label, syntax, scope }) => {
    inputs[name] = h('input', { id: `f-${name}`, name, type: 'text', value: fieldValue(params, name), placeholder: fieldPlaceholder(name), autocomplete: 'off', spellcheck: 'false', title: syntax });
    return h('div', { class: ['field', scope === 'messages' && 'messages-only', scope === 'calls' && 'calls-only'] },
      h('label', { for: `f-${name}` }, label,
        scope === 'messages' ? h('span', { class: 'scope', title: 'Applies to the message list only' }, ' (messages)')
          : scope === 'calls' ? h('span', { class: 'scope', title: 'Applies to the call list only: a field of the call record' }, ' (calls)') : null),
      inputs[name], name === 'json' ? jsonPathSuggestions(inputs[name]) : null);
  });
  const viewInputs = ['calls', 'messages'].map((v) => h('label', { class: 'radio' },
    h('input', { type: 'radio', name: 'view', value: v, checked: view === v, onchange: () => applyScope(v) }), v === 'calls' ? 'Calls' : 'Messages'));
  // A filter the chosen list does not take is disabled, its tooltip says why; it is not sent nor kept in the URL.
  const LIST = { calls: 'call list', messages: 'message list' };
  const applyScope = (v) => {
    for (const { param: name, syntax, scope } of fields) {
      const off = scope !== 'both' && scope !== v;
      inputs[name].disabled = off;
      inputs[name].title = off ? `Not taken by the ${LIST[v]}: show ${scope === 'messages' ? 'Messages' : 'Calls'} to use it` : syntax;
    }
  };
  applyScope(view);
  // A link that carries such a filter (an old bookmark) says that the list shown ignores it.
  const ignored = fields.filter(({ param: name, scope }) => scope !== 'both' && scope !== view && params.get(name));

  const form = h('form', { class: 'search', id: 'search-form', role: 'search', 'aria-label': 'Search captured SIP' },
    h('div', { class: 'row' },
      h('div', { class: 'field' }, h('label', { for: 'range' }, 'Time range'), picker.select),
      picker.custom,
      h('fieldset', { class: 'view' }, h('legend', null, 'Show'), viewInputs)),
    h('div', { class: 'grid' }, fieldEls),
    h('p', { class: 'hint' }, 'Exact match; * is a wildcard, a leading ! negates, a comma separates alternatives.'),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', id: 'search-button' }, 'Search'),
      h('button', { type: 'reset', onclick: (e) => { e.preventDefault(); app.navigate('/'); } }, 'Clear')));

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    next.set('view', form.querySelector('input[name=view]:checked').value);
    picker.writeTo(next);
    for (const { param: name } of fields) if (!inputs[name].disabled) setField(next, name, inputs[name].value);
    // the order chosen stays: the call list's (sort, order) or the message list's (sort, dir)
    if (params.get('sort')) {
      next.set('sort', params.get('sort'));
      if (params.get('order')) next.set('order', params.get('order')); else next.set('dir', params.get('dir') || 'asc');
    }
    app.navigate('/?' + next.toString());
  });

  // After a search the form folds to one line, a summary of its criteria, so that the results start above the
  // fold; the summary is a button (click, Enter or Space) that opens the form, Escape in the form folds it again.
  const summary = params.toString() === '' ? null : searchSummary(form, picker, view, resolved,
    fields.filter(({ param: name, scope }) => (scope === 'both' || scope === view) && fieldValue(params, name))
      .map(({ label, param: name }) => `${label} ${fieldValue(params, name)}`));
  const results = h('section', { class: 'results', 'aria-live': 'polite', 'aria-label': 'Results' });
  // shown folded or not: the list shown ignores these
  const ignoredNote = ignored.length ? h('p', { class: 'hint warn-text', id: 'ignored-filters', role: 'note' }, `Not applied to the ${LIST[view]}: `,
    ignored.map(({ label, param: name }) => `${label} = ${params.get(name)}`).join(', '), '.') : null;
  mount(root, h('h1', { class: 'sr-only' }, 'Search'), summary, form, ignoredNote, results);
  if (params.toString() === '') {
    mount(results, empty('Pick a time range and filters, then Search. Recent calls of the last hour are shown by default.'));
  }
  runSearch(results, params, view, resolved, app, signal, fields, search.searches.calls.sorts || new Set());
  return () => {};
}

/**
 * The one-line summary of a search made (`criteria`: "Label value" of each filter given) that folds `form` away:
 * a button whose aria-expanded tells whether the form is open; opening it moves the focus to the range.
 */
function searchSummary(form, picker, view, resolved, criteria) {
  const range = resolved.range === 'custom'
    ? `${formatLocal(resolved.from, { digits: 0 })} – ${formatLocal(resolved.to, { digits: 0 })}`
    : picker.select.selectedOptions[0]?.textContent || resolved.range;
  const action = h('span', { class: 'summary-action' }, 'Edit search');
  const button = h('button', { type: 'button', class: 'search-summary', id: 'search-summary', 'aria-expanded': 'false',
    'aria-controls': 'search-form' },
  h('span', { class: 'summary-text' }, [view === 'calls' ? 'Calls' : 'Messages', range, ...criteria].join(' · ')), action);
  const open = (yes) => {
    form.hidden = !yes;
    button.setAttribute('aria-expanded', String(yes));
    action.textContent = yes ? 'Hide search' : 'Edit search';
  };
  button.addEventListener('click', () => {
    open(form.hidden);
    if (!form.hidden) picker.select.focus();
  });
  form.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    open(false);
    button.focus();
  });
  open(false);
  return button;
}

async function runSearch(results, params, view, resolved, app, signal, fields, callSorts) {
  const q = { from: resolved.from, to: resolved.to, limit: params.get('limit') || 100, cursor: params.get('cursor') || '' };
  for (const { param: name, scope } of fields) {
    if (scope !== 'both' && scope !== view) continue;
    copyField(params, name, q);
  }
  const serverSort = view === 'calls' && callSorts.has(params.get('sort')) ? params.get('sort') : null;
  if (serverSort) {
    q.sort = serverSort;
    q.order = params.get('order') === 'asc' ? 'asc' : 'desc';
  }
  const rangeText = h('p', { class: 'range', title: `UTC ${resolved.from} – ${resolved.to}` },
    `${formatLocal(resolved.from, { digits: 0 })} – ${formatLocal(resolved.to, { digits: 0 })}`);
  mount(results, rangeText, spinner('Searching…'));
  const page = await answer(results, signal, json(`/api/v1/${view}${query(q)}`, { signal }), rangeText);
  if (page === undefined) return;
  const items = page.items || [];
  if (!items.length) {
    mount(results, rangeText, empty(params.get('cursor') ? 'No more results.' : 'No ' + view + ' match this search. Widen the time range or remove a filter.'));
    return;
  }
  const columns = view === 'calls' ? CALL_COLUMNS : MESSAGE_COLUMNS;
  let head;
  if (view === 'calls') {
    // sorted by the API: a click asks for that order from the first page (the started column's own: newest first)
    const active = serverSort || (callSorts.has('started') ? 'started' : null);
    const ascending = serverSort ? q.order === 'asc' : false;
    head = h('tr', null, columns.map(([key, title, sort]) => {
      if (!sort || !callSorts.has(sort)) return h('th', { scope: 'col', 'data-col': key }, title);
      const on = active === sort;
      const p = new URLSearchParams(params);
      p.delete('cursor');
      p.delete('dir');
      p.set('sort', sort);
      p.set('order', on && ascending ? 'desc' : on ? 'asc' : sort === 'started' ? 'desc' : 'asc');
      return h('th', { scope: 'col', 'data-col': key, 'aria-sort': on ? (ascending ? 'ascending' : 'descending') : 'none' },
        h('button', { type: 'button', class: 'sort', title: 'Sort all calls by ' + title, onclick: () => app.navigate('/?' + p.toString()) },
          title, on ? (ascending ? ' ▲' : ' ▼') : ''));
    }));
  } else {
    const sortKey = params.get('sort');
    const dir = params.get('dir') === 'desc' ? -1 : 1;
    if (sortKey) items.sort((a, b) => dir * compare(a, b, sortKey));
    head = h('tr', null, columns.map(([key, title]) => {
      const active = sortKey === key;
      const nextDir = active && dir === 1 ? 'desc' : 'asc';
      const p = new URLSearchParams(params);
      p.set('sort', key);
      p.set('dir', nextDir);
      return h('th', { scope: 'col', 'aria-sort': active ? (dir === 1 ? 'ascending' : 'descending') : 'none' },
        h('button', { type: 'button', class: 'sort', onclick: () => app.navigate('/?' + p.toString(), { replace: true }) },
          title, active ? (dir === 1 ? ' ▲' : ' ▼') : ''));
    }));
  }

  const hrefOf = (callId, from, to) => callHref(callId, { from, to });
  const link = (href, text) => h('a', { href, onclick: (e) => { if (!e.ctrlKey && !e.metaKey && !e.shiftKey) { e.preventDefault(); app.navigate(href); } } }, text);
  const margin = 5 * 60e3;
  // a message opens directly under its row
  const under = rowDetail(columns.length, { id: 'message-detail', 'aria-live': 'polite', 'aria-label': 'Selected message' });
  const openMessage = async (id, tr) => {
    const detail = under.open(tr);
    mount(detail, spinner('Loading message…'));
    try {
      const [msg] = await Promise.all([json(`/api/v1/messages/${encodeURIComponent(id)}`, { signal }), loadPayloadTypes()]);
      if (signal.aborted) return;
      mount(detail, messageView(msg));
      detail.scrollIntoView({ block: 'nearest' });
    } catch (e) {
      if (!signal.aborted) mount(detail, errorBox(e));
    }
  };
  const body = h('tbody', null, items.map((it) => {
    if (view === 'calls') {
      const from = new Date(Math.floor(micros(it.startedAt) / 1000) - margin).toISOString();
      const to = new Date(Math.floor(micros(it.endedAt || it.startedAt) / 1000) + margin).toISOString();
      const cells = {
        startedAt: h('td', { title: utcTitle(it.startedAt) }, formatLocal(it.startedAt)),
        callId: h('td', { class: 'mono', title: it.callId }, link(hrefOf(it.callId, from, to), it.callId)),
        fromUser: h('td', { title: it.fromUser }, it.fromUser),
        toUser: h('td', { title: it.toUser }, it.toUser),
        finalStatus: h('td', null, h('span', { class: ['badge', statusClass(it.finalStatus)] }, it.finalStatus ?? '—')),
        state: h('td', { class: 'result' }, callResult(it)),
        pddMs: h('td', { class: 'num' }, duration(it.pddMs)),
        durationMs: h('td', { class: 'num' }, duration(it.durationMs)),
        mos: h('td', { class: 'media' }, mediaCell(it.mos, it.verdicts)),
        messageCount: h('td', { class: 'num' }, it.messageCount),
        legs: h('td', { class: 'num' }, Array.isArray(it.legs) ? it.legs.length : it.legs),
      };
      return h('tr', { class: statusClass(it.finalStatus) }, columns.map(([key]) => {
        cells[key].dataset.col = key;
        return cells[key];
      }));
    }
    return h('tr', { class: statusClass(it.status) },
      h('td', { title: utcTitle(it.timestamp) }, h('button', { type: 'button', class: 'linkish', onclick: (e) => openMessage(it.id, e.currentTarget.closest('tr')), 'aria-label': `Open message of ${formatLocal(it.timestamp)}` }, formatLocal(it.timestamp)), clockNote(it.agentClockSkewMicros)),
      h('td', null, it.logLevel ? levelBadge(it.logLevel) : h('span', { class: ['badge', statusClass(it.status)] }, it.status ? String(it.status) : it.method)),
      h('td', { title: it.fromUser }, it.fromUser), h('td', { title: it.toUser }, it.toUser),
      h('td', { class: 'mono', title: `${it.srcIp}:${it.srcPort}` }, `${it.srcIp}:${it.srcPort}`),
      h('td', { class: 'mono', title: `${it.dstIp}:${it.dstPort}` }, `${it.dstIp}:${it.dstPort}`),
      h('td', { title: it.userAgent }, it.userAgent), h('td', { title: it.node }, it.node),
      h('td', { class: 'mono', title: it.callId }, link(hrefOf(it.callId, resolved.from, resolved.to), it.callId)));
  }));

  // a cursor keeps the range it was read in: a relative range ("last hour") would move under it
  const toPage = (cursor) => {
    const p = new URLSearchParams(params);
    if (cursor) p.set('cursor', cursor); else p.delete('cursor');
    if (cursor && !p.get('from')) { p.set('range', 'custom'); p.set('from', resolved.from); p.set('to', resolved.to); }
    app.navigate('/?' + p.toString());
  };
  const count = view === 'calls' && typeof page.total === 'number'
    ? `${items.length.toLocaleString()} of ${page.totalExact ? '' : 'about '}${page.total.toLocaleString()} calls`
    : `${items.length} ${view}${page.nextCursor ? ' (more available)' : ''}`;
  const pager = (where) => h('nav', { class: ['pager', `pager-${where}`], 'aria-label': where === 'top' ? 'Pages (top)' : 'Pages' },
    params.get('cursor') ? h('button', { type: 'button', class: 'first-page', onclick: () => toPage(null) }, '« First page') : null,
    page.prevCursor ? h('button', { type: 'button', class: 'prev-page', onclick: () => toPage(page.prevCursor) }, '‹ Previous') : null,
    h('span', { class: 'count', title: view === 'calls' && page.totalExact === false ? 'An estimate: there are too many calls to count on every page' : null }, count),
    page.nextCursor ? h('button', { type: 'button', class: 'next-page', id: where === 'bottom' ? 'next-page' : null, onclick: () => toPage(page.nextCursor) }, 'Next ›') : null);
  const table = h('table', { class: ['list', view], id: `${view}-table` }, h('thead', null, head), body);
  mount(results, rangeText,
    view === 'calls' ? columnChooser(table) : null,
    pager('top'),
    h('div', { class: 'table-wrap' }, table),
    pager('bottom'));
  if (view === 'calls') showColumns(table, hiddenColumns());
}

/** Hides the cells of the hidden columns of the call table. */
function showColumns(table, hidden) {
  for (const cell of table.querySelectorAll('[data-col]')) cell.hidden = hidden.has(cell.dataset.col);
}

/** The call list's column chooser: a checkbox per column, what is hidden remembered in this browser (localStorage). */
function columnChooser(table) {
  const hidden = hiddenColumns();
  return h('details', { class: 'columns', id: 'column-chooser' },
    h('summary', null, 'Columns'),
    h('fieldset', null, h('legend', { class: 'sr-only' }, 'Columns shown'),
      CALL_COLUMNS.map(([key, title]) => h('label', { class: 'check' },
        h('input', { type: 'checkbox', name: 'column', value: key, checked: !hidden.has(key), onchange: (e) => {
          const now = hiddenColumns();
          if (e.currentTarget.checked) now.delete(key); else now.add(key);
          try { localStorage.setItem(HIDDEN_COLUMNS_KEY, JSON.stringify([...now])); } catch { /* storage off: this page only */ }
          showColumns(table, now);
        } }), ' ', title))));
}
