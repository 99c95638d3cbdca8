import { h } from './dom.js';
import { RANGES, toLocalInput, fromLocalInput, zoneLabel } from './time.js';

// The time-range picker the search page and the dashboard share: quick picks (15 min, 1 h, 6 h, 24 h, 7 d: the
// widest range a search takes) or a
// custom range in the clock's time zone (time.js). The URL holds the state (range=1h, or range=custom&from&to).

/** Absolute from/to (ISO UTC) of the range in params: a quick pick resolved now, or the custom range. */
export function resolveRange(params) {
  const range = params.get('range') || (params.get('from') ? 'custom' : '1h');
  if (range !== 'custom' && RANGES[range]) {
    const to = new Date();
    return { range, from: new Date(to.getTime() - RANGES[range]).toISOString(), to: to.toISOString() };
  }
  return { range: 'custom', from: params.get('from') || '', to: params.get('to') || '' };
}

/**
 * The picker's elements for a resolved range: `select` (#range), `custom` (the from/to inputs, shown for
 * "Custom…"), and `writeTo(params)`, which puts the chosen range into URLSearchParams.
 */
export function rangePicker(resolved) {
  const select = h('select', { id: 'range', name: 'range' },
    [['15m', 'Last 15 min'], ['1h', 'Last 1 h'], ['6h', 'Last 6 h'], ['24h', 'Last 24 h'], ['7d', 'Last 7 d'], ['custom', 'Custom…']].map(([v, t]) =>
      h('option', { value: v, selected: resolved.range === v }, t)));
  const input = (id, value) => h('input', { type: 'datetime-local', id, step: '1',
    value: resolved.range === 'custom' && value ? toLocalInput(value) : '' });
  const fromInput = input('from', resolved.from);
  const toInput = input('to', resolved.to);
  const custom = h('div', { class: 'custom-range', hidden: resolved.range !== 'custom' },
    h('label', { for: 'from' }, 'From'), fromInput, h('label', { for: 'to' }, 'To'), toInput,
    h('span', { class: 'tz', id: 'range-zone' }, zoneLabel()));
  select.addEventListener('change', () => {
    custom.hidden = select.value !== 'custom';
    if (select.value === 'custom' && !fromInput.value) {
      fromInput.value = toLocalInput(resolved.from);
      toInput.value = toLocalInput(resolved.to);
    }
  });
  const writeTo = (params) => {
    params.set('range', select.value);
    if (select.value === 'custom') {
      const from = fromLocalInput(fromInput.value);
      const to = fromLocalInput(toInput.value);
      if (from) params.set('from', from);
      if (to) params.set('to', to);
    }
  };
  return { select, custom, writeTo };
}
