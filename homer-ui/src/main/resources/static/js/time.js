// Times from the API are ISO-8601 UTC with microseconds ("2024-05-01T10:00:00.123456Z").
// Shown in the browser's time zone; the UTC value is the title (hover).

/** Microseconds since the epoch of an ISO-8601 timestamp, keeping the sub-millisecond digits. */
export function micros(iso) {
  if (!iso) return NaN;
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)?$/.exec(iso);
  if (!m) return Date.parse(iso) * 1000;
  const base = Date.parse(m[1] + (m[3] || 'Z'));
  const frac = (m[2] || '').padEnd(6, '0').slice(0, 6);
  return base * 1000 + Number(frac);
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

/** "2024-05-01 12:00:00.123456" in the browser's time zone. */
export function formatLocal(iso, { date = true } = {}) {
  const us = micros(iso);
  if (Number.isNaN(us)) return iso || '';
  const d = new Date(Math.floor(us / 1000));
  const frac = pad(((us % 1_000_000) + 1_000_000) % 1_000_000, 6);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${frac}`;
  return date ? `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}` : time;
}

/** The UTC form for a title attribute. */
export function utcTitle(iso) {
  return iso ? `UTC ${iso}` : '';
}

/**
 * "agent clock 3 h 12 min behind" for a message the collector stored away from its agent's own time (the API's
 * agentClockSkewMicros: the agent's clock minus the stored time; docs/ingest.md, "Agent clocks"), else ''.
 */
export function agentClock(skewMicros) {
  if (skewMicros === null || skewMicros === undefined) return '';
  const us = Number(skewMicros);
  if (!Number.isFinite(us)) return '';
  const s = Math.round(Math.abs(us) / 1e6);
  const days = Math.floor(s / 86400);
  const parts = days >= 365 ? [`${Math.floor(days / 365.25)} years`]
    : s < 60 ? [`${s} s`]
      : [days && `${days} d`, Math.floor((s % 86400) / 3600) && `${Math.floor((s % 86400) / 3600)} h`,
        Math.floor((s % 3600) / 60) && `${Math.floor((s % 3600) / 60)} min`].filter(Boolean);
  return `agent clock ${parts.join(' ')} ${us < 0 ? 'behind' : 'ahead'}`;
}

/** "+1.234 s" / "+12.3 ms" between two timestamps. */
export function delta(fromIso, toIso) {
  const us = micros(toIso) - micros(fromIso);
  if (Number.isNaN(us)) return '';
  if (Math.abs(us) < 1000) return `+${us} µs`;
  if (Math.abs(us) < 1_000_000) return `+${(us / 1000).toFixed(1)} ms`;
  return `+${(us / 1_000_000).toFixed(3)} s`;
}

export function duration(ms) {
  if (ms === null || ms === undefined || ms === '') return '';
  const n = Number(ms);
  if (n < 1000) return `${n} ms`;
  const s = Math.round(n / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** Quick picks of the search form: relative ranges resolved when the search runs. */
export const RANGES = { '15m': 15 * 60e3, '1h': 3600e3, '24h': 24 * 3600e3 };

/** ISO-8601 UTC (milliseconds) of a Date. */
export function iso(date) {
  return date.toISOString();
}

/** Value for <input type="datetime-local"> (browser time zone) of an ISO string. */
export function toLocalInput(isoString) {
  const d = new Date(isoString);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** ISO UTC of a datetime-local input value (read in the browser time zone). */
export function fromLocalInput(value) {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}
