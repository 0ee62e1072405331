// Calls to the portal's API (same origin). Every call says the page language;
// errors come back as ApiError carrying the RFC 9457 problem.
import { lang } from './i18n.js';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || `HTTP ${status}`);
    this.status = status; // 0: no answer (network)
    this.problem = problem;
    this.fields = {};
    for (const e of problem?.errors || []) {
      if (e && e.field && !(e.field in this.fields)) this.fields[e.field] = e.message;
    }
  }

  // retryable: the outcome is unknown or temporary (network, 5xx).
  get retryable() {
    return this.status === 0 || this.status >= 500;
  }
}

export async function api(method, path, { body, headers, token, signal } = {}) {
  const h = { Accept: 'application/json', 'Accept-Language': lang, ...(headers || {}) };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  if (token) h.Authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch(path, {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
      signal,
    });
  } catch (err) {
    if (err?.name === 'AbortError') throw err;
    throw new ApiError(0, null);
  }
  if (res.status === 204) return null;
  let data = null;
  if ((res.headers.get('content-type') || '').includes('json')) {
    try {
      data = await res.json();
    } catch {
      data = null;
    }
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

// newIdempotencyKey returns a random UUID (v4).
export function newIdempotencyKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const x = [...b].map((n) => n.toString(16).padStart(2, '0')).join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

// idempotentPost returns a function that POSTs a body to path with an
// Idempotency-Key, for one form fill. The key is sent again while the outcome
// of a send is unknown (network error, 5xx), so a retry cannot create a
// second record nor send a second email; a definitive answer (4xx) or a
// changed body gets a new key.
export function idempotentPost(path) {
  let key = newIdempotencyKey();
  let sentBody = '';
  return async (body) => {
    const serialized = JSON.stringify(body);
    if (sentBody && serialized !== sentBody) key = newIdempotencyKey();
    sentBody = serialized;
    try {
      return await api('POST', path, { body, headers: { 'Idempotency-Key': key } });
    } catch (err) {
      if (err instanceof ApiError && !err.retryable) {
        // A definitive answer: the next attempt is a new request.
        key = newIdempotencyKey();
        sentBody = '';
      }
      throw err;
    }
  };
}
