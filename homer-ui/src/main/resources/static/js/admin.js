import { h, mount, spinner, errorBox } from './dom.js';
import { whoAmI } from './api.js';
import { usersSection } from './admin/users.js';
import { tenantsSection } from './admin/tenants.js';
import { aliasesSection } from './admin/aliases.js';
import { tokensSection } from './admin/tokens.js';
import { sharesSection } from './admin/shares.js';

// Admin pages: /admin/users, /admin/tenants, /admin/aliases, /admin/tokens, /admin/shares. Shown for role admin (share
// links also for role user: they list and revoke their own); homer-api refuses the calls anyway.
// Every name shown here (users, tenants, nodes, aliases, tokens, Call-IDs) is text, never markup.
// One module per section under admin/, sharing the form kit in admin/kit.js; a section is
// section(root, { signal, me, app }).

const SECTIONS = [
  ['users', 'Users', ['admin'], usersSection],
  ['tenants', 'Tenants', ['admin'], tenantsSection],
  ['aliases', 'Host aliases', ['admin'], aliasesSection],
  ['tokens', 'API tokens', ['admin'], tokensSection],
  ['shares', 'Share links', ['admin', 'user'], sharesSection],
];

/** /admin/{section}: the section's page, or "admin only" for a role that may not open it. */
export function adminPage(root, app, signal, name) {
  mount(root, spinner('Checking your role…'));
  showSection(root, app, signal, name);
  return () => {};
}

async function showSection(root, app, signal, name) {
  let me;
  try {
    me = await whoAmI();
  } catch (e) {
    if (!signal.aborted) mount(root, errorBox(e));
    return;
  }
  if (signal.aborted) return;
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
  current[3](body, { signal, me, app });
}

/** The first admin page a role may open (for the navigation), or null. */
export function firstAdminPage(role) {
  const s = SECTIONS.find(([, , roles]) => roles.includes(role));
  return s ? `/admin/${s[0]}` : null;
}
