import { h, mount } from '../dom.js';
import { json } from '../api.js';
import { time, roleSelect, tenantNames, tenantSelect, fillTenants, tenantInWords, confirming, field, act, table, section } from './kit.js';

// Admin section /admin/users: accounts (GET/POST /api/v1/users, PATCH/DELETE /api/v1/users/{name}).

export function usersSection(root, { signal, me }) {
  let tenants = [];
  section(root, signal, {
    emptyText: 'No accounts.',
    load: async () => {
      const [users, names] = await Promise.all([json('/api/v1/users', { signal }), tenantNames(signal)]);
      tenants = names;
      return users;
    },
    form: (reload) => {
      const name = h('input', { id: 'user-name', autocomplete: 'off', spellcheck: 'false', required: true, maxlength: '64' });
      const pass = h('input', { id: 'user-password', type: 'password', autocomplete: 'new-password', required: true, minlength: '12' });
      const role = roleSelect('user-role', 'user');
      const tenant = tenantSelect('user-tenant', '', []);
      fillTenants(tenant, signal);
      const out = h('div', { class: 'form-error', 'aria-live': 'assertive' });
      const button = h('button', { type: 'submit', class: 'primary', id: 'user-create' }, 'Create user');
      const form = h('form', { class: 'admin-form', 'aria-labelledby': 'user-form-title' },
        h('h2', { id: 'user-form-title' }, 'New user'),
        h('div', { class: 'row' },
          field('user-name', 'User name', name, 'A–Z a–z 0–9 . _ @ -, up to 64'),
          field('user-password', 'Password', pass, 'At least 12 characters'),
          field('user-role', 'Role', role),
          field('user-tenant', 'Tenant', tenant, 'Limits what the account sees; never for an admin'),
          button),
        out);
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        act(signal, button, out, async () => {
          const body = { username: name.value.trim(), password: pass.value, role: role.value };
          if (tenant.value) body.tenant = tenant.value;
          const created = await json('/api/v1/users', { method: 'POST', body, signal });
          mount(out, h('p', { class: 'ok', role: 'status', id: 'user-created' }, 'User ', h('strong', null, created.username ?? body.username), ' created (',
            created.role ?? body.role, ', ', tenantInWords(created.tenant), ').'));
          form.reset();
          await reload();
        });
      });
      return form;
    },
    render: (items, reload, out) => table('users-table', ['User', 'Role', 'Tenant', 'Status', 'Created', 'Password changed', 'Actions'], items.map((u) => {
      const path = `/api/v1/users/${encodeURIComponent(u.username)}`;
      const patch = (body) => json(path, { method: 'PATCH', body, signal });
      const self = me && u.username === me.name;
      const role = roleSelect(`role-${u.username}`, u.role, `Role of ${u.username}`);
      role.addEventListener('change', () => act(signal, role, out, async () => {
        try {
          await patch({ role: role.value });
        } finally {
          await reload();
        }
      }));
      // An admin never has a tenant (homer-api refuses one): its select is shown disabled.
      const tenant = tenantSelect(`tenant-${u.username}`, u.tenant || '', tenants, `Tenant of ${u.username}`);
      tenant.disabled = u.role === 'admin' && !u.tenant;
      tenant.addEventListener('change', () => act(signal, tenant, out, async () => {
        try {
          await patch({ tenant: tenant.value || null });
        } finally {
          await reload();
        }
      }));
      const reset = h('span', { class: 'reset-slot' });
      const resetIdle = () => mount(reset, h('button', { type: 'button', class: 'reset-password', 'aria-label': `Reset the password of ${u.username}`, onclick: () => {
        const input = h('input', { type: 'password', autocomplete: 'new-password', minlength: '12', required: true, 'aria-label': `New password for ${u.username}`, class: 'new-password' });
        const save = h('button', { type: 'submit', class: 'save' }, 'Set password');
        const f = h('form', { class: 'inline-form' }, input, ' ', save, ' ',
          h('button', { type: 'button', onclick: resetIdle }, 'Cancel'));
        f.addEventListener('submit', (e) => {
          e.preventDefault();
          act(signal, save, out, async () => {
            await patch({ password: input.value });
            resetIdle();
            mount(out, h('p', { class: 'ok', role: 'status' }, 'Password of ', h('strong', null, u.username), ' changed.'));
          });
        });
        mount(reset, f);
        input.focus();
      } }, 'Reset password'));
      resetIdle();
      return h('tr', { 'data-key': u.username, class: u.disabled ? 'disabled' : false },
        h('td', { class: 'name' }, u.username, self ? h('span', { class: 'note' }, ' (you)') : null),
        h('td', null, role),
        h('td', null, tenant),
        h('td', { class: 'state' }, u.disabled ? 'disabled' : 'enabled'),
        h('td', null, time(u.createdAt)),
        h('td', null, time(u.passwordChangedAt)),
        h('td', { class: 'row-actions' },
          h('button', { type: 'button', class: 'toggle-disabled', 'aria-label': `${u.disabled ? 'Enable' : 'Disable'} ${u.username}`,
            onclick: (e) => act(signal, e.currentTarget, out, async () => { await patch({ disabled: !u.disabled }); await reload(); }) },
          u.disabled ? 'Enable' : 'Disable'),
          ' ', reset, ' ',
          confirming(signal, 'Delete', `Delete user ${u.username}?`, 'Delete user', () => act(signal, null, out, async () => {
            await json(path, { method: 'DELETE', signal });
            await reload();
          }), `Delete user ${u.username}`)));
    })),
  });
}
