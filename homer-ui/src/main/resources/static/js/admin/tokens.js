import { h, mount } from '../dom.js';
import { json } from '../api.js';
import { time, roleSelect, tenantSelect, fillTenants, tenantInWords, confirming, field, act, table, section } from './kit.js';

// Admin section /admin/tokens: API tokens (GET/POST /api/v1/tokens, DELETE /api/v1/tokens/{id}); a new token is shown once.

const TOKEN_EXPIRIES = [['', 'Never'], ['30', '30 days'], ['90', '90 days'], ['365', '1 year']];

export function tokensSection(root, { signal }) {
  section(root, signal, {
    emptyText: 'No API tokens.',
    load: () => json('/api/v1/tokens', { signal }),
    form: (reload) => {
      const name = h('input', { id: 'token-name', autocomplete: 'off', required: true, maxlength: '100' });
      const role = roleSelect('token-role', 'viewer');
      const expiry = h('select', { id: 'token-expiry' }, TOKEN_EXPIRIES.map(([v, t]) => h('option', { value: v }, t)));
      const tenant = tenantSelect('token-tenant', '', []);
      fillTenants(tenant, signal);
      const out = h('div', { class: 'form-error', 'aria-live': 'assertive' });
      const button = h('button', { type: 'submit', class: 'primary', id: 'token-create' }, 'Create token');
      const form = h('form', { class: 'admin-form', 'aria-labelledby': 'token-form-title' },
        h('h2', { id: 'token-form-title' }, 'New API token'),
        h('p', { class: 'hint' }, 'For scripts: sent as Authorization: Bearer hsk_…, with the role chosen here.'),
        h('div', { class: 'row' },
          field('token-name', 'Name', name, 'What it is for, e.g. nightly export'),
          field('token-role', 'Role', role),
          field('token-expiry', 'Expires', expiry),
          field('token-tenant', 'Tenant', tenant, 'Limits what the token sees; never for an admin token'),
          button),
        out);
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        act(signal, button, out, async () => {
          const days = expiry.value;
          const body = { name: name.value.trim(), role: role.value };
          if (tenant.value) body.tenant = tenant.value;
          if (days) body.expiresAt = new Date(Date.now() + Number(days) * 86400e3).toISOString();
          const created = await json('/api/v1/tokens', { method: 'POST', body, signal });
          form.reset(); // before the token is shown: the box is inside the form
          const value = h('input', { type: 'text', readonly: true, id: 'token-value', value: created.token, size: '60', 'aria-label': 'The new token', class: 'mono' });
          const copied = h('span', { role: 'status' });
          mount(out, h('div', { class: 'token-once', role: 'region', 'aria-label': 'New token' },
            h('p', { class: 'warning' }, h('strong', null, 'Copy this token now: '), 'it is shown only once. homer-api keeps only its hash; if it is lost, delete it and create another.'),
            h('p', { id: 'token-created' }, 'Token ', h('strong', null, created.name), ' (', created.role, ', ', tenantInWords(created.tenant), '): '),
            value, ' ',
            h('button', { type: 'button', id: 'token-copy', onclick: async () => {
              value.select();
              try { await navigator.clipboard.writeText(created.token); copied.textContent = ' Copied.'; }
              catch { copied.textContent = ' Press Ctrl+C to copy.'; }
            } }, 'Copy'), copied));
          value.select();
          await reload();
        });
      });
      return form;
    },
    render: (items, reload, out) => table('tokens-table', ['Name', 'Role', 'Tenant', 'Created by', 'Created', 'Expires', 'Actions'], items.map((t) =>
      h('tr', { 'data-key': String(t.id) },
        h('td', { class: 'name' }, t.name),
        h('td', null, t.role),
        h('td', { class: 'tenant' }, t.tenant || '—'),
        h('td', null, t.createdBy),
        h('td', null, time(t.createdAt)),
        h('td', null, t.expiresAt ? time(t.expiresAt) : 'never'),
        h('td', { class: 'row-actions' }, confirming(signal, 'Delete', `Delete token ${t.name}? Scripts using it stop working at once.`, 'Delete token', () => act(signal, null, out, async () => {
          await json(`/api/v1/tokens/${encodeURIComponent(t.id)}`, { method: 'DELETE', signal });
          await reload();
        }), `Delete token ${t.name}`))))),
  });
}
