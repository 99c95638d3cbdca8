import { h, mount, spinner, errorBox } from './dom.js';
import { json, call, download, callUrl } from './api.js';
import { loadPayloadTypes } from './hep.js';
import { formatLocal, utcTitle, timeZone } from './time.js';
import { tabs, flowPanel, messagesPanel, logsPanel, qosPanel, callSummary } from './flow.js';

const EXPIRIES = [['3600', '1 hour'], ['86400', '1 day'], ['604800', '7 days'], ['2592000', '30 days']];

function safeName(callId) {
  return callId.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'call';
}

/**
 * The `to` a share link is made with: the page's, unless it is recent or ahead (a live call's window ends an hour
 * after its last message). homer-api refuses a `to` after its own now (a link is a snapshot up to its creation);
 * omitted, homer-api ends the window at its now, so this browser's clock (a few minutes off) does not matter.
 */
function shareEnd(to) {
  if (!to) return undefined;
  const t = /^\d+$/.test(to) ? Number(to) : Date.parse(to);
  return Number.isNaN(t) || t > Date.now() - 5 * 60 * 1000 ? undefined : to;
}

function exportPanel(callId, range, signal, flow) {
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const preview = h('pre', { class: 'export-text', hidden: true, tabindex: '0' });
  const act = (fn) => async (e) => {
    const button = e.currentTarget;
    button.disabled = true;
    mount(status, spinner('Preparing…'));
    try {
      await fn();
    } catch (err) {
      if (!signal.aborted) mount(status, errorBox(err));
    } finally {
      if (!signal.aborted) button.disabled = false;
    }
  };
  const downloads = h('div', { class: 'actions' },
    h('button', { type: 'button', id: 'download-pcap', onclick: act(async () => {
      await download(callUrl(callId, 'pcap', range), `${safeName(callId)}.pcap`, { signal });
      if (!signal.aborted) mount(status, 'PCAP downloaded.');
    }) }, 'Download PCAP'),
    ...[['text', 'Text'], ['sipp', 'SIPp scenario']].map(([kind, title]) => h('button', { type: 'button', id: `show-${kind}`, onclick: act(async () => {
      // the text's times in the zone this page shows (homer-api writes them in tz)
      const url = callUrl(callId, kind, kind === 'text' ? { ...range, tz: timeZone() } : range);
      const res = await call(url, { signal });
      const text = await res.text();
      if (signal.aborted) return;
      preview.textContent = text;
      preview.hidden = false;
      mount(status, h('span', null, `${title} shown below. `),
        h('button', { type: 'button', class: 'linkish', onclick: () => download(url, `${safeName(callId)}.${kind === 'sipp' ? 'xml' : 'txt'}`, { signal }).catch((err) => { if (!signal.aborted) throw err; }) }, 'Download'));
    }) }, title)));

  const expiry = h('select', { id: 'share-expiry' }, EXPIRIES.map(([v, t]) => h('option', { value: v, selected: v === '86400' }, t)));
  const shareOut = h('div', { class: 'share-out', 'aria-live': 'polite' });
  const framers = h('p', { class: 'hint', id: 'share-origins' });
  embedOrigins().then((origins) => {
    if (signal.aborted) return;
    if (origins === null) mount(framers, 'Which sites may frame the link could not be read.');
    else if (!origins.length) mount(framers, h('strong', { class: 'warn-text' }, 'No site may frame this link: '), 'it opens on its own, but an iframe of another product shows nothing until homer.ui.embed.allowed-origins lists that product\'s origin.');
    else mount(framers, 'May be framed by: ', origins.map((o, i) => [i ? ', ' : '', h('code', null, o)]), ' (homer.ui.embed.allowed-origins).');
  });
  const view = customerViewChoice(callId, flow);
  const share = h('form', { class: 'share', onsubmit: (e) => { e.preventDefault(); createShare(); } },
    h('h2', null, 'Share this call'),
    h('p', { class: 'hint' }, 'Anyone with the link sees this one call (ladder, messages, PCAP) without logging in, until it expires.'),
    view.element,
    h('label', { for: 'share-expiry' }, 'Expires after '), expiry, ' ',
    h('button', { type: 'submit', id: 'create-share' }, 'Create share link'),
    framers, shareOut);
  async function createShare() {
    mount(shareOut, spinner('Creating link…'));
    try {
      const res = await json('/api/v1/shares', { method: 'POST', body: { callId, from: range.from, to: shareEnd(range.to), expiresAt: new Date(Date.now() + Number(expiry.value) * 1000).toISOString(), view: view.value() }, signal });
      if (signal.aborted) return;
      // The link is built from our own origin and the token, never taken from the response as a URL.
      const url = `${location.origin}/embed/${encodeURIComponent(res.token)}`;
      const field = h('input', { type: 'text', readonly: true, id: 'share-url', value: url, 'aria-label': 'Share link', size: '60' });
      const copied = h('span', { role: 'status' });
      mount(shareOut,
        field, ' ',
        h('button', { type: 'button', id: 'copy-share', onclick: async () => {
          field.select();
          try { await navigator.clipboard.writeText(url); copied.textContent = ' Copied.'; }
          catch { copied.textContent = ' Press Ctrl+C to copy.'; }
        } }, 'Copy'), copied,
        res.view ? h('p', { class: 'hint', id: 'share-view' }, viewInWords(res.view)) : null,
        h('p', { class: 'hint' }, 'Expires ', h('time', { title: utcTitle(res.expiresAt) }, formatLocal(res.expiresAt, { digits: 0 })), '. Embed it with ',
          h('code', null, `<iframe src="${url}"></iframe>`), ' from a site listed above.'));
      field.select();
    } catch (err) {
      if (!signal.aborted) mount(shareOut, errorBox(err));
    }
  }
  return h('div', { class: 'export' }, h('h2', null, 'Export'), downloads, status, preview, share);
}

/**
 * What the customer sees, as the creator chooses it (homer-api's share `view`, enforced there): the legs (this one
 * always), the addresses shown in clear (none chosen: homer-api's default, the customer's side), whether every other
 * address is masked and whether aliases and node names are hidden.
 */
function customerViewChoice(callId, flow) {
  const legs = (flow && flow.callIds) || [callId];
  const ips = [...new Set(((flow && flow.hosts) || []).map((x) => x.ip))];
  const box = (id, name, value, label, checked, disabled) => h('label', { class: 'choice', for: id },
    h('input', { type: 'checkbox', id, name, value, checked, disabled }), ' ', label);
  const mask = box('share-mask', 'maskAddresses', 'true', 'Mask every other address (shown as host A, host B…)', true);
  const hide = box('share-hide-aliases', 'hideAliases', 'true', 'Hide host names (aliases) and capture nodes', true);
  const element = h('fieldset', { class: 'share-view' }, h('legend', null, 'What the customer sees'),
    legs.length > 1 ? h('div', { id: 'share-legs' }, h('span', { class: 'hint' }, 'Legs: '),
      legs.map((leg, i) => box(`share-leg-${i}`, 'leg', leg, h('span', { class: 'mono' }, leg), leg === callId, leg === callId))) : null,
    ips.length ? h('div', { id: 'share-hosts' }, h('span', { class: 'hint' }, 'Addresses in clear (none chosen: the side that placed the call): '),
      ips.map((ip, i) => box(`share-host-${i}`, 'host', ip, h('span', { class: 'mono' }, ip), false, false))) : null,
    mask, ' ', hide);
  const checked = (name) => [...element.querySelectorAll(`input[name=${name}]`)].filter((i) => i.checked).map((i) => i.value);
  return {
    element,
    value: () => {
      const hosts = checked('host');
      return { legs: legs.length > 1 ? checked('leg') : [callId], ...(hosts.length ? { hosts } : {}),
        maskAddresses: mask.querySelector('input').checked, hideAliases: hide.querySelector('input').checked };
    },
  };
}

/** A stored view in words, as the dialog confirms it. */
function viewInWords(v) {
  const legs = v.legs.length === 1 ? 'this leg only' : `${v.legs.length} legs`;
  const clear = v.hosts.length ? `${v.hosts.join(', ')} in clear` : 'no address in clear';
  return `The customer sees ${legs}; ${v.maskAddresses ? `${clear}, every other address masked` : 'every address'}; `
    + `${v.hideAliases ? 'no host names' : 'host names shown'}.`;
}

/** The origins that may frame the embed (homer-ui's homer.ui.embed.allowed-origins, GET /ui/embed), or null. */
async function embedOrigins() {
  try {
    const res = await fetch('/ui/embed', { headers: { Accept: 'application/json' }, credentials: 'omit' });
    return res.ok ? (await res.json()).allowedOrigins || [] : null;
  } catch {
    return null;
  }
}

/** The call view: /call/{callId}?from&to. */
export function callPage(root, app, signal, callId) {
  const params = new URLSearchParams(location.search);
  const range = { from: params.get('from') || '', to: params.get('to') || '' };
  mount(root, h('nav', { class: 'crumbs' }, h('a', { href: '/', onclick: (e) => { e.preventDefault(); history.length > 1 ? history.back() : app.navigate('/'); } }, '← Back to search')),
    spinner('Loading call flow…'));
  showFlow(root, app, signal, callId, range);
  return () => {};
}

async function showFlow(root, app, signal, callId, range) {
  let flow;
  let record = null;
  try {
    // the call's record is optional: a call stored before records existed, or not recorded yet, has none (404)
    const recordOf = json(callUrl(callId, ''), { signal }).catch(() => null);
    [flow, , record] = await Promise.all([json(callUrl(callId, 'flow', range), { signal }),
      loadPayloadTypes(), recordOf]);
  } catch (e) {
    if (signal.aborted) return;
    mount(root, h('nav', { class: 'crumbs' }, h('a', { href: '/', onclick: (ev) => { ev.preventDefault(); app.navigate('/'); } }, '← Back to search')),
      errorBox(e.status === 404 ? new Error('no call with this Call-ID in the time range') : e));
    return;
  }
  if (signal.aborted) return;
  const t = tabs([
    { id: 'flow', title: 'Flow', render: () => flowPanel(flow, signal) },
    { id: 'messages', title: `Messages (${(flow.messages || []).length})`, render: () => messagesPanel(flow) },
    { id: 'qos', title: `QoS (${(flow.qos || []).length})`,
      render: () => qosPanel(flow, signal, () => json(callUrl(callId, 'qos', range), { signal })) },
    { id: 'logs', title: `Logs (${(flow.logs || []).length})`, render: () => logsPanel(flow) },
    { id: 'export', title: 'Export & share', render: () => exportPanel(callId, range, signal, flow) },
  ]);
  mount(root, h('nav', { class: 'crumbs' }, h('a', { href: '/', onclick: (e) => { e.preventDefault(); history.length > 1 ? history.back() : app.navigate('/'); } }, '← Back to search')),
    callSummary(flow, callId, record), t.element);
}
