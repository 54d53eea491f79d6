// The one way the console talks to the server: the bearer token from sessionStorage (this tab
// only, gone when it closes) in an Authorization header, JSON in and out, and the API's error
// format ({"error": {"code", "message", "problems"?}}) turned into an ApiError.

const TOKEN_KEY = 'rebound.token';

export class ApiError extends Error {
  constructor(status, code, message, problems) {
    super(message);
    this.status = status;
    this.code = code;
    this.problems = problems || [];
  }
}

export const session = {
  get token() { return sessionStorage.getItem(TOKEN_KEY); },
  set token(value) {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
  },
  identity: null,
};

export function headers(extra) {
  const out = Object.assign({ Accept: 'application/json' }, extra || {});
  if (session.token) out.Authorization = 'Bearer ' + session.token;
  return out;
}

// Once signed in, a 401 means the token was revoked or rotated while the tab was open, whichever
// part of the page asked (the page itself, or the chat or suggestions loaded after it).
let tokenRejected = () => {};

/** What follows such a 401 (app.js: sign in again, then back to the same page). */
export function whenTokenRejected(handler) {
  tokenRejected = handler;
}

export async function api(method, path, body, init) {
  const options = { method, headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }) };
  if (body !== undefined) options.body = JSON.stringify(body);
  let response;
  try {
    response = await fetch(path, Object.assign(options, init || {}));
  } catch (e) {
    throw new ApiError(0, 'network', 'The server cannot be reached (' + e.message + ').');
  }
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
  if (!response.ok) {
    const error = (data && data.error) || {};
    const failure = new ApiError(response.status, error.code || 'http_' + response.status,
      // A proxy's or a crashed handler's page has no error object: say what failed, not only the status.
      error.message || (method + ' ' + path.split('?')[0] + ' failed: the server answered HTTP ' + response.status
        + (response.statusText ? ' ' + response.statusText : '') + ' without an explanation'), error.problems);
    if (response.status === 401 && session.identity) tokenRejected(failure);
    throw failure;
  }
  return data;
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body === undefined ? {} : body);

/** Query string from an object, skipping empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && String(v) !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

export const enc = encodeURIComponent;

/** Role order, as the server has it: viewer < responder < approver < admin. */
const ROLES = ['viewer', 'responder', 'approver', 'admin'];
export function atLeast(role) {
  return session.identity && ROLES.indexOf(session.identity.role) >= ROLES.indexOf(role);
}
