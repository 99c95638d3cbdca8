import { h } from '../dom.js';
import { json, callHref } from '../api.js';
import { time, confirming, act, table, section } from './kit.js';

// Admin section /admin/shares: share links (GET /api/v1/shares, DELETE /api/v1/shares/{id}); an admin's are all
// of them, a user's their own.

export function sharesSection(root, { signal, me, app }) {
  section(root, signal, {
    emptyText: 'No share links. Create one from a call\'s "Export & share" tab.',
    load: () => json('/api/v1/shares', { signal }),
    form: () => h('p', { class: 'hint' }, me.role === 'admin' ? 'Every share link (you are an admin).' : 'Your share links.',
      ' A revoked link stops working at once; the token cannot be shown again.'),
    render: (items, reload, out) => table('shares-table', ['Call-ID', 'Created by', 'Created', 'Expires', 'Actions'], items.map((s) => {
      const href = callHref(s.callId, { from: s.from, to: s.to });
      const expired = s.expiresAt && Date.parse(s.expiresAt) <= Date.now();
      return h('tr', { 'data-key': String(s.id), class: expired || (s.creator && s.creator !== 'active') ? 'disabled' : false },
        h('td', { class: 'mono' }, h('a', { href, onclick: (e) => { e.preventDefault(); app.navigate(href); } }, s.callId)),
        // a link stops with its creator (disabled account, expired or deleted token or account): said beside the name
        h('td', null, s.createdBy, s.creator && s.creator !== 'active' ? h('span', { class: 'hint' }, ` (${s.creator}: link stopped)`) : null),
        h('td', null, time(s.createdAt)),
        h('td', null, time(s.expiresAt), expired ? ' (expired)' : ''),
        h('td', { class: 'row-actions' }, confirming(signal, 'Revoke', `Revoke the link to ${s.callId}?`, 'Revoke link', () => act(signal, null, out, async () => {
          await json(`/api/v1/shares/${encodeURIComponent(s.id)}`, { method: 'DELETE', signal });
          await reload();
        }), `Revoke the link to ${s.callId}`)));
    })),
  });
}
