// api.js talks to the JSON API under /api/v1: the session cookie travels with every request,
// the CSRF token with every request that changes something, and every failure becomes an
// ApiError that carries the server's Chinese message.

const BASE = '/api/v1';

let csrfToken = '';
let onSessionLost = null;

/** ApiError is a failed request: HTTP status, the API's error code and its Chinese message. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/** setCsrfToken keeps the token from POST /login or GET /me for later requests. */
export function setCsrfToken(token) {
  csrfToken = token || '';
}

/** onUnauthorized registers what to do when a signed-in request answers 401 (session ended). */
export function onUnauthorized(fn) {
  onSessionLost = fn;
}

// These answer 401 as part of their normal work: a wrong password, or nobody signed in yet.
const quiet401 = new Set(['/login', '/me']);

async function request(method, path, body) {
  const headers = { Accept: 'application/json' };
  let payload;
  if (body instanceof FormData) {
    payload = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (method !== 'GET' && csrfToken) {
    headers['X-CSRF-Token'] = csrfToken;
  }
  let res;
  try {
    res = await fetch(BASE + path, { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络后重试');
  }
  if (res.status === 204) {
    return null;
  }
  let data = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  if (!res.ok) {
    const e = data && data.error;
    const err = new ApiError(res.status, (e && e.code) || 'http_' + res.status,
      (e && e.message) || `服务器返回错误（${res.status}），请稍后重试`);
    if (res.status === 401 && !quiet401.has(path) && onSessionLost) {
      onSessionLost(err);
    }
    throw err;
  }
  return data;
}

/** api is the HTTP verbs of the JSON API; paths are below /api/v1. */
export const api = {
  get: (path) => request('GET', path),
  post: (path, body) => request('POST', path, body === undefined ? {} : body),
  patch: (path, body) => request('PATCH', path, body),
  del: (path) => request('DELETE', path),
  upload: (path, formData) => request('POST', path, formData),
};
