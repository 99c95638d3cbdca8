import { h, mount, spinner, errorBox, empty } from './dom.js';
import { json, query, whoAmI } from './api.js';
import { formatLocal, utcTitle } from './time.js';

// Admin pages: /admin/users, /admin/tenants, /admin/aliases, /admin/tokens, /admin/shares. Shown for role admin (share
// links also for role user: they list and revoke their own); homer-api refuses the calls anyway.
// Every name shown here (users, tenants, nodes, aliases, tokens, Call-IDs) is text, never markup.

const ROLES = ['viewer', 'user', 'admin'];
const SECTIONS = [
  ['users', 'Users', ['admin']],
  ['tenants', 'Tenants', ['admin']],
  ['aliases', 'Host aliases', ['admin']],
  ['tokens', 'API tokens', ['admin']],
  ['shares', 'Share links', ['admin', 'user']],
];

const time = (iso) => (iso ? h('time', { datetime: iso, title: utcTitle(iso) }, formatLocal(iso)) : '—');

function roleSelect(id, value, label) {
  return h('select', { id, 'aria-label': label || false }, ROLES.map((r) => h('option', { value: r, selected: r === value }, r)));
}

/** The tenant names (GET /api/v1/tenants, by name); [] when they cannot be read, so the page still works. */
async function tenantNames() {
  try {
    return ((await json('/api/v1/tenants')).items || []).map((t) => t.name);
  } catch {
    return [];
  }
}

/** A tenant select: "none" (value '') and one option per tenant; a value not in the list is kept as an option. */
function tenantSelect(id, value, names, label) {
  const all = value && !names.includes(value) ? [...names, value] : names;
  return h('select', { id, class: 'tenant', 'aria-label': label || false },
    h('option', { value: '', selected: !value }, 'none (sees everything)'),
    all.map((n) => h('option', { value: n, selected: n === value }, n)));
}

/** Fills a form's tenant select once the names are read (the form is built before). */
function fillTenants(select) {
  tenantNames().then((names) => mount(select, ...tenantSelect(select.id, select.value, names).childNodes));
}

/** "a, b\nc" → ['a', 'b', 'c']: entries separated by commas or new lines, blanks dropped. */
function entries(text) {
  return text.split(/[,\n]/).map((e) => e.trim()).filter((e) => e !== '');
}

/**
 * A button that asks before acting: it turns into "question  [confirm] [Cancel]" (Escape cancels), so
 * nothing is deleted by one stray click and no browser dialog is needed.
 */
function confirming(text, question, confirmText, action, label) {
  const slot = h('span', { class: 'confirm-slot' });
  const ask = () => {
    const yes = h('button', { type: 'button', class: 'danger confirm', onclick: async () => { yes.disabled = true; try { await action(); } finally { yes.disabled = false; } } }, confirmText);
    const no = h('button', { type: 'button', class: 'cancel', onclick: () => { idle(); button.focus(); } }, 'Cancel');
    mount(slot, h('span', { class: 'question', role: 'group', 'aria-label': question, onkeydown: (e) => { if (e.key === 'Escape') { idle(); button.focus(); } } },
      question, ' ', yes, ' ', no));
    yes.focus();
  };
  const button = h('button', { type: 'button', class: 'danger', 'aria-label': label || false, onclick: ask }, text);
  const idle = () => mount(slot, button);
  idle();
  return slot;
}

/** One field: label above its input, optional hint under it (described-by). */
function field(id, label, input, hint) {
  if (hint) input.setAttribute('aria-describedby', `${id}-hint`);
  return h('div', { class: 'field' }, h('label', { for: id }, label), input, hint ? h('span', { class: 'hint', id: `${id}-hint` }, hint) : null);
}

/** Runs fn with the button disabled; an API error lands in out (next to the form or table). */
async function act(button, out, fn) {
  if (button) button.disabled = true;
  mount(out);
  try {
    await fn();
  } catch (e) {
    mount(out, errorBox(e));
  } finally {
    if (button) button.disabled = false;
  }
}

function table(id, columns, rows) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'list admin', id },
    h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', null, rows)));
}

/** A section: create form (optional), then the list, reloaded after every change. */
function section(root, { form, render, load, emptyText }) {
  const out = h('div', { class: 'table-status', 'aria-live': 'assertive' });
  const list = h('div', { class: 'admin-list', 'aria-live': 'polite', 'data-loads': '0' });
  let loads = 0;
  // The list stays while it reloads (aria-busy); data-loads counts completed loads.
  const reload = async () => {
    if (!list.firstChild) mount(list, spinner());
    list.setAttribute('aria-busy', 'true');
    try {
      const items = (await load()).items || [];
      mount(list, items.length ? render(items, reload, out) : empty(emptyText));
    } catch (e) {
      mount(list, errorBox(e));
    } finally {
      list.removeAttribute('aria-busy');
      list.setAttribute('data-loads', String(++loads));
    }
  };
  mount(root, form ? form(reload) : null, out, list);
  reload();
}

// ---- users

function usersSection(root, me) {
  let tenants = [];
  section(root, {
    emptyText: 'No accounts.',
    load: async () => {
      const [users, names] = await Promise.all([json('/api/v1/users'), tenantNames()]);
      tenants = names;
      return users;
    },
    form: (reload) => {
      const name = h('input', { id: 'user-name', autocomplete: 'off', spellcheck: 'false', required: true, maxlength: '64' });
      const pass = h('input', { id: 'user-password', type: 'password', autocomplete: 'new-password', required: true, minlength: '12' });
      const role = roleSelect('user-role', 'user');
      const tenant = tenantSelect('user-tenant', '', []);
      fillTenants(tenant);
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
        act(button, out, async () => {
          const body = { username: name.value.trim(), password: pass.value, role: role.value };
          if (tenant.value) body.tenant = tenant.value;
          await json('/api/v1/users', { method: 'POST', body });
          mount(out, h('p', { class: 'ok', role: 'status' }, 'User ', h('strong', null, name.value.trim()), ' created.'));
          form.reset();
          await reload();
        });
      });
      return form;
    },
    render: (items, reload, out) => table('users-table', ['User', 'Role', 'Tenant', 'Status', 'Created', 'Password changed', 'Actions'], items.map((u) => {
      const path = `/api/v1/users/${encodeURIComponent(u.username)}`;
      const patch = (body) => json(path, { method: 'PATCH', body });
      const self = me && u.username === me.name;
      const role = roleSelect(`role-${u.username}`, u.role, `Role of ${u.username}`);
      role.addEventListener('change', () => act(role, out, async () => {
        try {
          await patch({ role: role.value });
        } finally {
          await reload();
        }
      }));
      // An admin never has a tenant (homer-api refuses one): its select is shown disabled.
      const tenant = tenantSelect(`tenant-${u.username}`, u.tenant || '', tenants, `Tenant of ${u.username}`);
      tenant.disabled = u.role === 'admin' && !u.tenant;
      tenant.addEventListener('change', () => act(tenant, out, async () => {
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
          act(save, out, async () => {
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
            onclick: (e) => act(e.currentTarget, out, async () => { await patch({ disabled: !u.disabled }); await reload(); }) },
          u.disabled ? 'Enable' : 'Disable'),
          ' ', reset, ' ',
          confirming('Delete', `Delete user ${u.username}?`, 'Delete user', () => act(null, out, async () => {
            await json(path, { method: 'DELETE' });
            await reload();
          }), `Delete user ${u.username}`)));
    })),
  });
}

// ---- tenants

function tenantFields(prefix, t = {}) {
  const area = (name, list, placeholder) => h('textarea', { id: `${prefix}-${name}`, class: name, rows: '3', cols: '28', spellcheck: 'false', placeholder },
    (list || []).join('\n'));
  return {
    nodes: area('nodes', t.nodes, 'kamailio-1, kamailio-2'),
    networks: area('networks', t.networks, '10.1.0.0/16\n2001:db8::/32'),
  };
}

const lines = (list) => (list && list.length ? list.map((e) => h('div', null, e)) : h('span', { class: 'note' }, 'none'));

function tenantsSection(root) {
  section(root, {
    emptyText: 'No tenants: every account and token sees every message.',
    // homer-api does not list a tenant's users: the page matches them from the accounts and tokens.
    load: async () => {
      const [tenants, users, tokens] = await Promise.all([json('/api/v1/tenants'), json('/api/v1/users'), json('/api/v1/tokens')]);
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
        act(button, out, async () => {
          const created = await json('/api/v1/tenants', { method: 'POST', body: { name: name.value.trim(), nodes: entries(f.nodes.value), networks: entries(f.networks.value) } });
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
          confirming('Delete', `Delete tenant ${t.name}?`, 'Delete tenant', () => act(null, out, async () => {
            await json(path, { method: 'DELETE' });
            await reload();
          }), `Delete tenant ${t.name}`)));
      function edit() {
        const f = tenantFields(`edit-${t.name}`, t);
        f.nodes.setAttribute('aria-label', `Capture nodes of ${t.name}`);
        f.networks.setAttribute('aria-label', `Networks of ${t.name}`);
        const save = h('button', { type: 'button', class: 'save primary', onclick: () => act(save, out, async () => {
          await json(path, { method: 'PATCH', body: { nodes: entries(f.nodes.value), networks: entries(f.networks.value) } });
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

// ---- aliases

function aliasFields(prefix, a = {}) {
  return {
    ip: h('input', { id: `${prefix}-ip`, value: a.ip || '', autocomplete: 'off', spellcheck: 'false', required: true, maxlength: '49', placeholder: '10.0.0.1 or 10.0.0.0/24' }),
    port: h('input', { id: `${prefix}-port`, type: 'number', min: '0', max: '65535', value: a.port ?? '', placeholder: 'any' }),
    name: h('input', { id: `${prefix}-name`, value: a.alias || '', autocomplete: 'off', required: true, maxlength: '100' }),
  };
}

function aliasBody(f) {
  const port = f.port.value.trim();
  return { ip: f.ip.value.trim(), port: port === '' ? null : Number(port), alias: f.name.value.trim() };
}

function aliasesSection(root) {
  section(root, {
    emptyText: 'No aliases yet: ladder columns show ip:port.',
    load: () => json('/api/v1/aliases'),
    form: (reload) => {
      const f = aliasFields('alias');
      const out = h('div', { class: 'form-error', 'aria-live': 'assertive' });
      const button = h('button', { type: 'submit', class: 'primary', id: 'alias-create' }, 'Add alias');
      const form = h('form', { class: 'admin-form', 'aria-labelledby': 'alias-form-title' },
        h('h2', { id: 'alias-form-title' }, 'New alias'),
        h('p', { class: 'hint' }, 'The name replaces the address as a column title of the call ladder. A host gets the most specific alias: its address and port, its address on any port, the longest network with its port, the longest network on any port.'),
        h('div', { class: 'row' },
          field('alias-ip', 'IP address', f.ip, 'IPv4 or IPv6 address, or a network like 10.0.0.0/24'),
          field('alias-port', 'Port', f.port, 'Empty: any port'),
          field('alias-name', 'Name', f.name),
          button),
        out);
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        act(button, out, async () => {
          const created = await json('/api/v1/aliases', { method: 'POST', body: aliasBody(f) });
          mount(out, h('p', { class: 'ok', role: 'status' }, 'Alias ', h('strong', null, created.alias), ' added.'));
          form.reset();
          await reload();
        });
      });
      return form;
    },
    render: (items, reload, out) => table('aliases-table', ['IP address', 'Port', 'Name', 'Created by', 'Created', 'Actions'], items.map((a) => {
      const row = h('tr', { 'data-key': `${a.ip}|${a.port ?? ''}` });
      const view = () => mount(row,
        h('td', { class: 'mono' }, a.ip),
        h('td', { class: 'num' }, a.port ?? 'any'),
        h('td', { class: 'name' }, a.alias),
        h('td', null, a.createdBy),
        h('td', null, time(a.createdAt)),
        h('td', { class: 'row-actions' },
          h('button', { type: 'button', class: 'edit', 'aria-label': `Edit alias ${a.alias}`, onclick: edit }, 'Edit'), ' ',
          confirming('Delete', `Delete alias ${a.alias}?`, 'Delete alias', () => act(null, out, async () => {
            await json(`/api/v1/aliases/${encodeURIComponent(a.id)}`, { method: 'DELETE' });
            await reload();
          }), `Delete alias ${a.alias}`)));
      function edit() {
        const f = aliasFields(`edit-${a.id}`, a);
        f.ip.setAttribute('aria-label', 'IP address');
        f.port.setAttribute('aria-label', 'Port');
        f.name.setAttribute('aria-label', 'Name');
        const save = h('button', { type: 'button', class: 'save primary', onclick: () => act(save, out, async () => {
          await json(`/api/v1/aliases/${encodeURIComponent(a.id)}`, { method: 'PATCH', body: aliasBody(f) });
          await reload();
        }) }, 'Save');
        mount(row, h('td', null, f.ip), h('td', null, f.port), h('td', null, f.name), h('td', null, a.createdBy), h('td', null, time(a.createdAt)),
          h('td', { class: 'row-actions', onkeydown: (e) => { if (e.key === 'Escape') view(); } }, save, ' ',
            h('button', { type: 'button', class: 'cancel', onclick: view }, 'Cancel')));
        f.name.focus();
      }
      view();
      return row;
    })),
  });
}

// ---- API tokens

const TOKEN_EXPIRIES = [['', 'Never'], ['30', '30 days'], ['90', '90 days'], ['365', '1 year']];

function tokensSection(root) {
  section(root, {
    emptyText: 'No API tokens.',
    load: () => json('/api/v1/tokens'),
    form: (reload) => {
      const name = h('input', { id: 'token-name', autocomplete: 'off', required: true, maxlength: '100' });
      const role = roleSelect('token-role', 'viewer');
      const expiry = h('select', { id: 'token-expiry' }, TOKEN_EXPIRIES.map(([v, t]) => h('option', { value: v }, t)));
      const tenant = tenantSelect('token-tenant', '', []);
      fillTenants(tenant);
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
        act(button, out, async () => {
          const days = expiry.value;
          const body = { name: name.value.trim(), role: role.value };
          if (tenant.value) body.tenant = tenant.value;
          if (days) body.expiresAt = new Date(Date.now() + Number(days) * 86400e3).toISOString();
          const created = await json('/api/v1/tokens', { method: 'POST', body });
          form.reset(); // before the token is shown: the box is inside the form
          const value = h('input', { type: 'text', readonly: true, id: 'token-value', value: created.token, size: '60', 'aria-label': 'The new token', class: 'mono' });
          const copied = h('span', { role: 'status' });
          mount(out, h('div', { class: 'token-once', role: 'region', 'aria-label': 'New token' },
            h('p', { class: 'warning' }, h('strong', null, 'Copy this token now: '), 'it is shown only once. homer-api keeps only its hash; if it is lost, delete it and create another.'),
            h('p', null, 'Token ', h('strong', null, created.name), ' (', created.role, '): '),
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
        h('td', { class: 'row-actions' }, confirming('Delete', `Delete token ${t.name}? Scripts using it stop working at once.`, 'Delete token', () => act(null, out, async () => {
          await json(`/api/v1/tokens/${encodeURIComponent(t.id)}`, { method: 'DELETE' });
          await reload();
        }), `Delete token ${t.name}`))))),
  });
}

// ---- share links

function sharesSection(root, me, app) {
  section(root, {
    emptyText: 'No share links. Create one from a call\'s "Export & share" tab.',
    load: () => json('/api/v1/shares'),
    form: () => h('p', { class: 'hint' }, me.role === 'admin' ? 'Every share link (you are an admin).' : 'Your share links.',
      ' A revoked link stops working at once; the token cannot be shown again.'),
    render: (items, reload, out) => table('shares-table', ['Call-ID', 'Created by', 'Created', 'Expires', 'Actions'], items.map((s) => {
      const href = `/call/${encodeURIComponent(s.callId)}${query({ from: s.from, to: s.to })}`;
      const expired = s.expiresAt && Date.parse(s.expiresAt) <= Date.now();
      return h('tr', { 'data-key': String(s.id), class: expired ? 'disabled' : false },
        h('td', { class: 'mono' }, h('a', { href, onclick: (e) => { e.preventDefault(); app.navigate(href); } }, s.callId)),
        h('td', null, s.createdBy),
        h('td', null, time(s.createdAt)),
        h('td', null, time(s.expiresAt), expired ? ' (expired)' : ''),
        h('td', { class: 'row-actions' }, confirming('Revoke', `Revoke the link to ${s.callId}?`, 'Revoke link', () => act(null, out, async () => {
          await json(`/api/v1/shares/${encodeURIComponent(s.id)}`, { method: 'DELETE' });
          await reload();
        }), `Revoke the link to ${s.callId}`)));
    })),
  });
}

/** /admin/{section}: the section's page, or "admin only" for a role that may not open it. */
export async function adminPage(root, app, name) {
  mount(root, spinner('Checking your role…'));
  let me;
  try {
    me = await whoAmI();
  } catch (e) {
    mount(root, errorBox(e));
    return;
  }
  const allowed = SECTIONS.filter(([, , roles]) => roles.includes(me.role));
  const current = SECTIONS.find(([id]) => id === name);
  if (!current) {
    mount(root, errorBox(new Error('no such admin page: ' + name)));
    return;
  }
  if (!current[2].includes(me.role)) {
    mount(root, h('h1', null, current[1]),
      h('div', { class: 'error', role: 'alert', id: 'admin-only' }, h('strong', null, 'Admin only. '),
        `You are logged in as ${me.name} with role ${me.role}; this page needs role ${current[2].join(' or ')}.`));
    return;
  }
  const nav = h('nav', { class: 'subnav', 'aria-label': 'Admin' }, allowed.map(([id, title]) => {
    const href = `/admin/${id}`;
    return h('a', { href, 'aria-current': id === name ? 'page' : false, onclick: (e) => { e.preventDefault(); app.navigate(href); } }, title);
  }));
  const body = h('div', { class: 'admin-body' });
  mount(root, nav, h('h1', null, current[1]), body);
  if (name === 'users') usersSection(body, me);
  else if (name === 'tenants') tenantsSection(body);
  else if (name === 'aliases') aliasesSection(body);
  else if (name === 'tokens') tokensSection(body);
  else sharesSection(body, me, app);
}

/** The first admin page a role may open (for the navigation), or null. */
export function firstAdminPage(role) {
  const s = SECTIONS.find(([, , roles]) => roles.includes(role));
  return s ? `/admin/${s[0]}` : null;
}
