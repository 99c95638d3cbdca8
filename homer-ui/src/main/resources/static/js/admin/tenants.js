import { h, mount } from '../dom.js';
import { json } from '../api.js';
import { time, entries, confirming, field, act, table, section } from './kit.js';

// Admin section /admin/tenants: tenants (GET/POST /api/v1/tenants, PATCH/DELETE /api/v1/tenants/{name}) and who uses each.

function tenantFields(prefix, t = {}) {
  const area = (name, list, placeholder) => h('textarea', { id: `${prefix}-${name}`, class: name, rows: '3', cols: '28', spellcheck: 'false', placeholder },
    (list || []).join('\n'));
  return {
    nodes: area('nodes', t.nodes, 'kamailio-1, kamailio-2'),
    networks: area('networks', t.networks, '10.1.0.0/16\n2001:db8::/32'),
  };
}

const lines = (list) => (list && list.length ? list.map((e) => h('div', null, e)) : h('span', { class: 'note' }, 'none'));

export function tenantsSection(root, { signal }) {
  section(root, signal, {
    emptyText: 'No tenants: every account and token sees every message.',
    // homer-api does not list a tenant's users: the page matches them from the accounts and tokens.
    load: async () => {
      const [tenants, users, tokens] = await Promise.all([json('/api/v1/tenants', { signal }), json('/api/v1/users', { signal }), json('/api/v1/tokens', { signal })]);
      const usedBy = new Map();
      const add = (tenant, what) => { if (tenant) usedBy.set(tenant, [...(usedBy.get(tenant) || []), what]); };
      (users.items || []).forEach((u) => add(u.tenant, `account ${u.username}`));
      (tokens.items || []).forEach((t) => add(t.tenant, `token ${t.name}`));
      return { items: (tenants.items || []).map((t) => ({ ...t, usedBy: usedBy.get(t.name) || [] })) };
    },
    form: (reload) => {
      const name = h('input', { id: 'tenant-name', autocomplete: 'off', spellcheck: 'false', required: true, maxlength: '64' });
      const f = tenantFields('tenant');
      const out = h('div', { class: 'form-error', 'aria-live': 'assertive' });
      const button = h('button', { type: 'submit', class: 'primary', id: 'tenant-create' }, 'Create tenant');
      const form = h('form', { class: 'admin-form', 'aria-labelledby': 'tenant-form-title' },
        h('h2', { id: 'tenant-form-title' }, 'New tenant'),
        h('p', { class: 'hint' }, 'An account or token with a tenant sees only the messages captured by one of its nodes or sent from or to one of its networks. A tenant with neither sees nothing.'),
        h('div', { class: 'row' },
          field('tenant-name', 'Name', name, 'A–Z a–z 0–9 . _ -, up to 64; not renamed later'),
          field('tenant-nodes', 'Capture nodes', f.nodes, 'Node names, separated by commas or lines'),
          field('tenant-networks', 'Networks', f.networks, 'Addresses or networks (host bits clear), by commas or lines'),
          button),
        out);
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        act(signal, button, out, async () => {
          const created = await json('/api/v1/tenants', { method: 'POST', body: { name: name.value.trim(), nodes: entries(f.nodes.value), networks: entries(f.networks.value) }, signal });
          mount(out, h('p', { class: 'ok', role: 'status' }, 'Tenant ', h('strong', null, created.name), ' created.'));
          form.reset();
          await reload();
        });
      });
      return form;
    },
    render: (items, reload, out) => table('tenants-table', ['Name', 'Nodes', 'Networks', 'Used by', 'Created', 'Actions'], items.map((t) => {
      const path = `/api/v1/tenants/${encodeURIComponent(t.name)}`;
      const row = h('tr', { 'data-key': t.name });
      const used = t.usedBy.length ? t.usedBy.map((u) => h('div', null, u)) : h('span', { class: 'note' }, 'nobody');
      const view = () => mount(row,
        h('td', { class: 'name' }, t.name),
        h('td', { class: 'mono nodes' }, lines(t.nodes)),
        h('td', { class: 'mono networks' }, lines(t.networks)),
        h('td', { class: 'used-by' }, used),
        h('td', null, time(t.createdAt)),
        h('td', { class: 'row-actions' },
          h('button', { type: 'button', class: 'edit', 'aria-label': `Edit tenant ${t.name}`, onclick: edit }, 'Edit'), ' ',
          confirming(signal, 'Delete', `Delete tenant ${t.name}?`, 'Delete tenant', () => act(signal, null, out, async () => {
            await json(path, { method: 'DELETE', signal });
            await reload();
          }), `Delete tenant ${t.name}`)));
      function edit() {
        const f = tenantFields(`edit-${t.name}`, t);
        f.nodes.setAttribute('aria-label', `Capture nodes of ${t.name}`);
        f.networks.setAttribute('aria-label', `Networks of ${t.name}`);
        const save = h('button', { type: 'button', class: 'save primary', onclick: () => act(signal, save, out, async () => {
          await json(path, { method: 'PATCH', body: { nodes: entries(f.nodes.value), networks: entries(f.networks.value) }, signal });
          await reload();
        }) }, 'Save');
        mount(row, h('td', { class: 'name' }, t.name), h('td', null, f.nodes), h('td', null, f.networks), h('td', { class: 'used-by' }, used),
          h('td', null, time(t.createdAt)),
          h('td', { class: 'row-actions', onkeydown: (e) => { if (e.key === 'Escape') view(); } }, save, ' ',
            h('button', { type: 'button', class: 'cancel', onclick: view }, 'Cancel')));
        f.nodes.focus();
      }
      view();
      return row;
    })),
  });
}
