// Times from the API are ISO-8601 UTC with microseconds ("2024-05-01T10:00:00.123456Z").
// Shown in the clock's time zone (below); the UTC value is the title (hover).

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

// The clock: one time zone for every time the app shows — the browser's ('local', the default), 'UTC' or an IANA
// zone — chosen in the header and kept in localStorage per user (homer-api stores no preferences).

const ZONE_KEY = 'hepstack.timeZone';
let clockUser = null;

/** The browser's own IANA zone. */
export function browserZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** True for 'local', 'UTC' or an IANA zone this browser knows. */
export function isZoneSetting(value) {
  if (value === 'local') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return typeof value === 'string' && value !== '';
  } catch {
    return false;
  }
}

/** Whose setting the clock reads and writes: the logged-in user's name; null (the embed, logged out): the browser's zone. */
export function setClockUser(name) {
  clockUser = name === null || name === undefined ? null : String(name);
}

/** The setting: 'local', 'UTC' or an IANA zone ('local' when none or an unknown one is stored). */
export function zoneSetting() {
  const stored = clockUser === null ? null : localStorage.getItem(`${ZONE_KEY}:${clockUser}`);
  return stored && isZoneSetting(stored) ? stored : 'local';
}

/** Stores the setting of the current user; refuses what is not a zone. */
export function setZoneSetting(value) {
  if (!isZoneSetting(value)) throw new RangeError(`not a time zone: ${value} (expected: local, UTC or an IANA name such as Europe/Berlin)`);
  if (clockUser !== null) localStorage.setItem(`${ZONE_KEY}:${clockUser}`, value);
}

/** The IANA zone times are shown in. */
export function timeZone() {
  const setting = zoneSetting();
  return setting === 'local' ? browserZone() : setting;
}

const formatters = new Map();

/** Wall-clock fields of an instant (ms) in the clock's zone, and the zone's offset name ("GMT+5:30"). */
function wall(ms) {
  const tz = timeZone();
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'shortOffset' });
    formatters.set(tz, f);
  }
  const o = {};
  for (const part of f.formatToParts(new Date(ms))) o[part.type] = part.value;
  o.zone = tz === 'UTC' ? 'UTC' : o.timeZoneName;
  return o;
}

/** The zone as shown beside times: "UTC", or its name and current offset ("Asia/Kolkata, GMT+5:30"). */
export function zoneLabel() {
  const tz = timeZone();
  return tz === 'UTC' ? 'UTC' : `${tz}, ${wall(Date.now()).zone}`;
}

/**
 * An absolute time in the clock's zone, the one format of the app: "2024-05-01 12:00:00.123 GMT+2" — `digits`
 * of the second (6 where they matter: the ladder, a message; 3 in lists; 0 for expiries), the zone named unless
 * `date` is false (the ladder's column names it once).
 */
export function formatLocal(iso, { date = true, digits = 3 } = {}) {
  const us = micros(iso);
  if (Number.isNaN(us)) return iso || '';
  const p = wall(Math.floor(us / 1000));
  const frac = digits ? '.' + pad(((us % 1_000_000) + 1_000_000) % 1_000_000, 6).slice(0, digits) : '';
  const time = `${p.hour}:${p.minute}:${p.second}${frac}`;
  return date ? `${p.year}-${p.month}-${p.day} ${time} ${p.zone}` : time;
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
export const RANGES = { '15m': 15 * 60e3, '1h': 3600e3, '6h': 6 * 3600e3, '24h': 24 * 3600e3, '7d': 7 * 24 * 3600e3 };

/** ISO-8601 UTC (milliseconds) of a Date. */
export function iso(date) {
  return date.toISOString();
}

/** Value for <input type="datetime-local"> (in the clock's zone) of an ISO string. */
export function toLocalInput(isoString) {
  const ms = Date.parse(isoString);
  if (Number.isNaN(ms)) return '';
  const p = wall(ms);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}

/** Offset (ms) of the clock's zone at an instant: its wall time read as UTC, minus the instant. */
function offsetAt(ms) {
  const p = wall(ms);
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second))
    - Math.floor(ms / 1000) * 1000;
}

/** ISO UTC of a datetime-local input value, read as a wall time in the clock's zone. */
export function fromLocalInput(value) {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d))?/.exec(value || '');
  if (!m) return '';
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] || 0));
  // the offset at the wall time's instant, corrected once for a change of offset (summer time) in between
  const first = asUtc - offsetAt(asUtc);
  return new Date(asUtc - offsetAt(first)).toISOString();
}

/**
 * uPlot options of a time axis in the clock's zone: `tzDate` for the chart, `x` for its scales. A single point
 * gets a window of two minutes around it, never an axis of years.
 */
export function timeAxis(uPlot) {
  const tz = timeZone();
  return {
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), tz),
    x: { time: true, range: (u, min, max) => (min === max ? [min - 60, max + 60] : [min, max]) },
  };
}
