import { h, mount, spinner, errorBox, empty } from '../dom.js';
import { json } from '../api.js';
import { formatLocal, utcTitle } from '../time.js';

// The form kit the admin sections share: fields, selects, a confirming button, an action runner and the
// section frame (create form, then the list, reloaded after every change). Everything that waits for homer-api
// takes the page's signal: its requests carry it, and once the page is left nothing is shown.

export const ROLES = ['viewer', 'user', 'admin'];

export const time = (iso) => (iso ? h('time', { datetime: iso, title: utcTitle(iso) }, formatLocal(iso, { digits: 0 })) : '—');

export function roleSelect(id, value, label) {
  return h('select', { id, 'aria-label': label || false }, ROLES.map((r) => h('option', { value: r, selected: r === value }, r)));
}

/** The tenant names (GET /api/v1/tenants, by name); [] when they cannot be read, so the page still works. */
export async function tenantNames(signal) {
  try {
    return ((await json('/api/v1/tenants', { signal })).items || []).map((t) => t.name);
  } catch {
    return [];
  }
}

/** What a tenant select shows for "no tenant". */
export const NO_TENANT = 'none (sees everything)';

/** The options of a tenant select: "none" (value '') and one per tenant; a value not in the list is kept as one. */
function tenantOptions(value, names) {
  const all = value && !names.includes(value) ? [...names, value] : names;
  return [h('option', { value: '', selected: !value }, NO_TENANT),
    ...all.map((n) => h('option', { value: n, selected: n === value }, n))];
}

/** A tenant select: "none" (value '') and one option per tenant; a value not in the list is kept as an option. */
export function tenantSelect(id, value, names, label) {
  return h('select', { id, class: 'tenant', 'aria-label': label || false }, tenantOptions(value, names));
}

/**
 * Fills a form's tenant select once the names are read (the form is built before), keeping its choice ("none" on a
 * fresh form). The options are made detached, never moved out of another select: a select whose chosen option is
 * taken out chooses its next one, so moving options one by one from a select would leave the last one chosen.
 */
export function fillTenants(select, signal) {
  tenantNames(signal).then((names) => {
    if (!signal.aborted) mount(select, ...tenantOptions(select.value, names));
  });
}

/** The tenant of a created account or token in words, for its confirmation. */
export function tenantInWords(tenant) {
  return tenant ? `tenant ${tenant}` : 'no tenant: sees everything';
}

/** "a, b\nc" → ['a', 'b', 'c']: entries separated by commas or new lines, blanks dropped. */
export function entries(text) {
  return text.split(/[,\n]/).map((e) => e.trim()).filter((e) => e !== '');
}

/**
 * A button that asks before acting: it turns into "question  [confirm] [Cancel]" (Escape cancels), so
 * nothing is deleted by one stray click and no browser dialog is needed.
 */
export function confirming(signal, text, question, confirmText, action, label) {
  const slot = h('span', { class: 'confirm-slot' });
  const ask = () => {
    const yes = h('button', { type: 'button', class: 'danger confirm', onclick: async () => {
      yes.disabled = true;
      try { await action(); } finally { if (!signal.aborted) yes.disabled = false; }
    } }, confirmText);
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
export function field(id, label, input, hint) {
  if (hint) input.setAttribute('aria-describedby', `${id}-hint`);
  return h('div', { class: 'field' }, h('label', { for: id }, label), input, hint ? h('span', { class: 'hint', id: `${id}-hint` }, hint) : null);
}

/** Runs fn with the button disabled; an API error lands in out (next to the form or table), unless the page was left. */
export async function act(signal, button, out, fn) {
  if (button) button.disabled = true;
  mount(out);
  try {
    await fn();
  } catch (e) {
    if (!signal.aborted) mount(out, errorBox(e));
  } finally {
    if (button && !signal.aborted) button.disabled = false;
  }
}

export function table(id, columns, rows) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'list admin', id },
    h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', null, rows)));
}

/** A section: create form (optional), then the list, reloaded after every change. */
export function section(root, signal, { form, render, load, emptyText }) {
  const out = h('div', { class: 'table-status', 'aria-live': 'assertive' });
  const list = h('div', { class: 'admin-list', 'aria-live': 'polite', 'data-loads': '0' });
  let loads = 0;
  // The list stays while it reloads (aria-busy); data-loads counts completed loads.
  const reload = async () => {
    if (signal.aborted) return;
    if (!list.firstChild) mount(list, spinner());
    list.setAttribute('aria-busy', 'true');
    try {
      const items = (await load()).items || [];
      if (!signal.aborted) mount(list, items.length ? render(items, reload, out) : empty(emptyText));
    } catch (e) {
      if (!signal.aborted) mount(list, errorBox(e));
    } finally {
      if (!signal.aborted) {
        list.removeAttribute('aria-busy');
        list.setAttribute('data-loads', String(++loads));
      }
    }
  };
  mount(root, form ? form(reload) : null, out, list);
  reload();
}
