import { h, mount } from '../dom.js';
import { json } from '../api.js';
import { time, confirming, field, act, table, section } from './kit.js';

// Admin section /admin/aliases: host aliases (GET/POST /api/v1/aliases, PATCH/DELETE /api/v1/aliases/{id}).

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

export function aliasesSection(root, { signal }) {
  section(root, signal, {
    emptyText: 'No aliases yet: ladder columns show ip:port.',
    load: () => json('/api/v1/aliases', { signal }),
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
        act(signal, button, out, async () => {
          const created = await json('/api/v1/aliases', { method: 'POST', body: aliasBody(f), signal });
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
          confirming(signal, 'Delete', `Delete alias ${a.alias}?`, 'Delete alias', () => act(signal, null, out, async () => {
            await json(`/api/v1/aliases/${encodeURIComponent(a.id)}`, { method: 'DELETE', signal });
            await reload();
          }), `Delete alias ${a.alias}`)));
      function edit() {
        const f = aliasFields(`edit-${a.id}`, a);
        f.ip.setAttribute('aria-label', 'IP address');
        f.port.setAttribute('aria-label', 'Port');
        f.name.setAttribute('aria-label', 'Name');
        const save = h('button', { type: 'button', class: 'save primary', onclick: () => act(signal, save, out, async () => {
          await json(`/api/v1/aliases/${encodeURIComponent(a.id)}`, { method: 'PATCH', body: aliasBody(f), signal });
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
