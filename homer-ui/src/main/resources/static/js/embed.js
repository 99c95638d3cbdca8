import { h, mount, spinner, errorBox } from './dom.js';
import { tabs, flowPanel, messagesPanel, qosPanel, callSummary } from './flow.js';
import { loadPayloadTypes } from './hep.js';
import { zoneLabel, formatLocal, utcTitle } from './time.js';

// The shared call view, framed by a customer portal: /embed/{token}. No login, no links elsewhere;
// everything comes from /api/v1/shared/{token}/...

const root = document.getElementById('main');
const match = /^\/embed\/([^/]+)$/.exec(location.pathname);

async function show() {
  if (!match) {
    mount(root, errorBox(new Error('this link is incomplete')));
    return;
  }
  const token = match[1];
  const base = `/api/v1/shared/${encodeURIComponent(decodeURIComponent(token))}`;
  mount(root, spinner('Loading call flow…'));
  let flow;
  let record;
  let about;
  try {
    const recordAsked = sharedRecord(base); // beside the flow, not after it
    const aboutAsked = sharedAbout(base);
    const res = await fetch(`${base}/flow`, { headers: { Accept: 'application/json' }, credentials: 'omit' });
    if (res.status === 404 || res.status === 410) {
      gone();
      return;
    }
    if (!res.ok) throw new Error(`the call could not be loaded (${res.status})`);
    [flow, , record, about] = await Promise.all([res.json(), loadPayloadTypes(), recordAsked, aboutAsked]);
  } catch (e) {
    mount(root, errorBox(e));
    return;
  }
  const callId = (flow.callIds && flow.callIds[0]) || (flow.messages && flow.messages[0] && flow.messages[0].callId) || '';
  const t = tabs([
    { id: 'flow', title: 'Flow', render: () => flowPanel(flow, null) },
    { id: 'messages', title: `Messages (${(flow.messages || []).length})`, render: () => messagesPanel(flow) },
    { id: 'qos', title: 'Media quality', render: () => qosPanel(flow, new AbortController().signal, () => sharedQos(base)) },
  ]);
  mount(root, about && about.brand ? brandBar(base, about.brand) : null,
    callSummary(flow, callId, record),
    about ? h('p', { class: 'embed-about', id: 'embed-about' }, `Shared by ${about.createdBy}; the link is valid until `,
      h('time', { title: utcTitle(about.expiresAt) }, formatLocal(about.expiresAt, { digits: 0 })), '.',
      about.view && about.view.maskAddresses ? ' Addresses of hosts other than yours are masked (host A, host B…).' : '') : null,
    h('p', { class: 'hint', id: 'embed-zone' }, `Times are in ${zoneLabel()}, this browser's time zone.`),
    h('p', { class: 'actions' }, h('a', { href: `${base}/pcap`, download: 'call.pcap', id: 'download-pcap', class: 'button' }, 'Download PCAP')),
    t.element);
}

/**
 * The creator's tenant's branding (homer-api's TenantBrand): its name as text, its logo from the API's own origin,
 * its accent colour through the CSSOM (a colour homer-api checked as #rrggbb; no style attribute, no inline style).
 */
function brandBar(base, brand) {
  if (brand.accent && /^#[0-9a-f]{6}$/.test(brand.accent)) document.documentElement.style.setProperty('--accent', brand.accent);
  return h('div', { class: 'embed-brand', id: 'embed-brand' },
    brand.logo ? h('img', { src: `${base}/logo`, alt: brand.title ? `${brand.title} logo` : 'logo', height: '28' }) : null,
    brand.title ? h('span', { class: 'embed-brand-name' }, brand.title) : null);
}

/** The calm page of a link that no longer works: unknown, expired or revoked (the API tells them not apart). */
function gone() {
  document.title = 'Link no longer valid';
  root.classList.add('calm');
  mount(root, h('h1', { id: 'embed-gone' }, 'This link is no longer valid'),
    h('p', null, 'It may have expired or been revoked. Ask whoever shared the call with you for a new link.'));
}

/** Who shared the call, until when, and what the link shows (GET /api/v1/shared/{token}/about), or null. */
async function sharedAbout(base) {
  try {
    const res = await fetch(`${base}/about`, { headers: { Accept: 'application/json' }, credentials: 'omit' });
    return res.ok ? await res.json() : null;
  } catch (e) {
    return null; // the call still shows
  }
}

/** The shared call's record (what happened: result, who ended it, why, times), or null when it has none. */
async function sharedRecord(base) {
  try {
    const res = await fetch(`${base}/record`, { headers: { Accept: 'application/json' }, credentials: 'omit' });
    return res.ok ? await res.json() : null;
  } catch (e) {
    return null; // the flow still shows; the summary is what is missing
  }
}

/** The shared call's media quality, as the API answers it. */
async function sharedQos(base) {
  const res = await fetch(`${base}/qos`, { headers: { Accept: 'application/json' }, credentials: 'omit' });
  if (!res.ok) throw new Error(`the media quality could not be loaded (${res.status})`);
  return res.json();
}

show();
