// Calls to homer-api through our own origin (/api/v1/...). The session is homer-api's cookie (HttpOnly: no
// script here can read it; every tab shares it); a request that changes something carries the CSRF token that
// homer-api sets beside it in the readable cookie hepstack_csrf (docs/api.md, "Browser sessions").

const CSRF_COOKIE = 'hepstack_csrf';
const USER_KEY = 'hepstack.user';
const SAFE_METHODS = ['GET', 'HEAD', 'OPTIONS'];

/** The value of the readable CSRF cookie, or null when there is no session. */
function csrfToken() {
  for (const part of document.cookie.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === CSRF_COOKIE && value.join('=')) return value.join('=');
  }
  return null;
}

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export const session = {
  /** Whether this browser has a session (its CSRF cookie lives as long as the session cookie). */
  get active() {
    return csrfToken() !== null;
  },
  /** The user name given at login (its settings, such as the time zone, are kept under it), or ''. */
  get user() {
    return localStorage.getItem(USER_KEY) || '';
  },
  set(user) {
    localStorage.setItem(USER_KEY, user);
  },
  /** Forgets the session here (the HttpOnly session cookie is homer-api's to clear). */
  clear() {
    document.cookie = `${CSRF_COOKIE}=; Max-Age=0; Path=/; SameSite=Strict`;
    localStorage.removeItem(USER_KEY);
    me = null;
  },
};

let me = null;

/** {name, role, kind} of the logged-in caller (GET /api/v1/auth/me), asked once per session. */
export function whoAmI() {
  const token = csrfToken();
  if (!me || me.token !== token) {
    const promise = json('/api/v1/auth/me');
    me = { token, promise };
    promise.catch(() => { if (me && me.promise === promise) me = null; });
  }
  return me.promise;
}

let onUnauthorized = () => {};
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

/** Query string of the non-empty entries of params. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

/**
 * The API URL of one call's resource: its record (kind ''), 'flow', 'qos', 'pcap', 'text' or 'sipp'. The Call-ID
 * always goes in the callId parameter with "-" in its place in the path, as a path cannot carry every Call-ID
 * (a "/", "%", "\\" or ";" in it, or "." and "..": docs/api.md).
 */
export function callUrl(callId, kind, params) {
  return `/api/v1/calls/-${kind ? '/' + kind : ''}${query({ callId, ...params })}`;
}

/**
 * The page of one call: /call/{callId}?from&to, or /call/-?callId=…&from&to for a Call-ID that is a path step of
 * its own ("." and "..", which the browser resolves away) or "-".
 */
export function callHref(callId, params) {
  return ['.', '..', '-'].includes(callId) ? `/call/-${query({ callId, ...params })}`
    : `/call/${encodeURIComponent(callId)}${query(params)}`;
}

async function errorMessage(res) {
  try {
    const body = await res.clone().json();
    return body.message || body.error || body.detail || `${res.status} ${res.statusText}`;
  } catch {
    return `${res.status} ${res.statusText || 'error'}`;
  }
}

/**
 * fetch() to the API with the session cookie (and, when it changes something, the CSRF token; and extra headers);
 * throws ApiError for non-2xx, ApiError(0) when unreachable. signal is the page's AbortSignal: leaving the page
 * cancels the request (and the reading of its body), which then rejects with the AbortError, never an ApiError.
 */
export async function call(path, { method = 'GET', body, auth = true, signal, headers: extra } = {}) {
  const headers = { Accept: 'application/json', ...extra };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const csrf = csrfToken();
  if (auth && csrf && !SAFE_METHODS.includes(method.toUpperCase())) headers['X-CSRF-Token'] = csrf;
  let res;
  try {
    res = await fetch(path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal,
      credentials: auth ? 'same-origin' : 'omit',
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'cannot reach the server (' + e.message + ')');
  }
  if (res.status === 401 && auth) {
    session.clear();
    onUnauthorized();
    throw new ApiError(401, 'session expired: please log in again');
  }
  if (!res.ok) throw new ApiError(res.status, await errorMessage(res));
  return res;
}

export async function json(path, options) {
  const res = await call(path, options);
  if (res.status === 204) return null;
  return res.json();
}

export async function login(username, password) {
  const res = await fetch('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ username, password, cookie: true }),
  }).catch((e) => {
    throw new ApiError(0, 'cannot reach the server (' + e.message + ')');
  });
  if (res.status === 401 || res.status === 403) throw new ApiError(res.status, 'wrong user name or password');
  if (!res.ok) throw new ApiError(res.status, await errorMessage(res));
  const body = await res.json();
  me = null;
  session.set(username);
  return body;
}

/**
 * Ends the session on the server (POST /api/v1/auth/logout: its cookie is refused from then on, on every
 * replica, and cleared), then forgets it here, even when the server cannot be reached.
 */
export async function logout() {
  const csrf = csrfToken();
  if (csrf) {
    await fetch('/api/v1/auth/logout', { method: 'POST', headers: { 'X-CSRF-Token': csrf }, credentials: 'same-origin' })
      .catch(() => {});
  }
  session.clear();
}

/** Downloads a response body as a file (through fetch, so that its errors are shown rather than a broken page). */
export async function download(path, filename, options) {
  const res = await call(path, options);
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
