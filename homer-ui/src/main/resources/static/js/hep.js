
// HEP payload types (HEP3 chunk 0x000b), as capture agents send them: the name is shown, the number on hover.
// The names come from homer-api (GET /api/v1/meta/payload-types, the collector's registry), asked once per page load;
// the endpoint needs no login (the shared call view asks it too); until the names arrive, or when the API cannot say,
// a number is shown as "type N".

let names = new Map();
let loading = null;

/** Asks the API for the payload-type names once per page load; resolves (never rejects) when they are known or cannot be. */
export function loadPayloadTypes() {
  if (loading) return loading;
  const promise = fetch('/api/v1/meta/payload-types', { headers: { Accept: 'application/json' }, credentials: 'omit' })
    .then((res) => (res.ok ? res.json() : Promise.reject(new Error(String(res.status))))).then((body) => {
    names = new Map((body?.items || []).map((t) => [t.number, t.name]));
  }, () => {
    if (loading === promise) loading = null; // asked again by the next page
  });
  loading = promise;
  return promise;
}

/** { name, title } of a HEP payload type number: "SIP" / "HEP payload type 1"; unknown numbers keep the number as the name. */
export function payloadType(value) {
  if (value === undefined || value === null || value === '') return null;
  const n = Number(value);
  if (!Number.isInteger(n)) return { name: String(value), title: 'HEP payload type' };
  return { name: names.get(n) ?? `type ${n}`, title: `HEP payload type ${n}` };
}
