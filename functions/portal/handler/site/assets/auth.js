// Sign-in through Cognito managed login: the authorization code flow with
// PKCE (RFC 7636) of a public client, no secret. The server announces the
// login origin and the app client in <meta> tags when the hosted sign-in
// exists (in AWS); on the local cloud they are absent.
import { lang } from './i18n.js';

const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.getAttribute('content') || '';

const origin = meta('auth-domain');
const clientId = meta('auth-client-id');

// enabled: the page can send administrators and evaluators to managed login.
export const enabled = Boolean(origin && clientId);

// The state and the code verifier of the sign-in under way, for this tab only.
const pendingKey = 'espaceosc.signin';

// Managed login speaks French but not Arabic: the Arabic page asks for French.
const loginLang = { fr: 'fr', ar: 'fr' };

export class SignInError extends Error {
  constructor(key) {
    super(key);
    this.key = key; // dictionary key of the message to show
  }
}

function base64url(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// random returns 32 random bytes as 43 base64url characters.
function random() {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

async function challengeOf(verifier) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

// The callback and sign-out addresses, as registered on the app client: the
// back-office page (admin or evaluation) that started the sign-in.
const pages = new Set(['admin', 'evaluation']);
const redirectURI = (page) => `${location.origin}/${lang}/${pages.has(page) ? page : 'admin'}`;
const logoutURI = () => `${location.origin}/${lang}/`;

// signIn sends the browser to managed login, which comes back to page.
export async function signIn(page = 'admin') {
  const state = random();
  const verifier = random();
  sessionStorage.setItem(pendingKey, JSON.stringify({ state, verifier }));
  const url = new URL('/oauth2/authorize', origin);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectURI(page),
    scope: 'openid email',
    state,
    code_challenge: await challengeOf(verifier),
    code_challenge_method: 'S256',
    lang: loginLang[lang] || 'fr',
  }).toString();
  location.assign(url.href);
}

// returning tells whether query is managed login's answer (a code or an error).
export function returning(query) {
  return enabled && (query.has('code') || query.has('error'));
}

// completeSignIn exchanges the code of query for tokens and returns the ID
// token. Each code and state serve once. Throws SignInError.
export async function completeSignIn(query, signal, page = 'admin') {
  let pending = null;
  try {
    pending = JSON.parse(sessionStorage.getItem(pendingKey) || 'null');
  } catch {
    pending = null;
  }
  sessionStorage.removeItem(pendingKey);
  if (query.has('error')) throw new SignInError('admin.signin_failed');
  if (!pending || !pending.state || pending.state !== query.get('state')) throw new SignInError('admin.signin_state');
  let res;
  try {
    res = await fetch(new URL('/oauth2/token', origin).href, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: clientId,
        code: query.get('code') || '',
        redirect_uri: redirectURI(page),
        code_verifier: pending.verifier,
      }),
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
      signal,
    });
  } catch (err) {
    if (err?.name === 'AbortError') throw err;
    throw new SignInError('error.network');
  }
  let data = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  const token = res.ok && typeof data?.id_token === 'string' ? data.id_token : '';
  if (!/^[\w-]+\.[\w-]+\.[\w-]*$/.test(token)) throw new SignInError('admin.signin_failed');
  return token;
}

// signOutURL ends the managed login session and comes back to the home page.
export function signOutURL() {
  const url = new URL('/logout', origin);
  url.search = new URLSearchParams({ client_id: clientId, logout_uri: logoutURI() }).toString();
  return url.href;
}

// claims reads a JWT's payload without checking it (the API does): for
// display and expiry only. {} when it is not a JWT.
export function claims(token) {
  try {
    const part = String(token).split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bin = atob(part + '='.repeat((4 - (part.length % 4)) % 4));
    const c = JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (ch) => ch.charCodeAt(0))));
    return c && typeof c === 'object' ? c : {};
  } catch {
    return {};
  }
}

// expired: the token says it has expired (tokens that say nothing are left
// to the API to judge).
export function expired(token, now = Date.now()) {
  const exp = claims(token).exp;
  return typeof exp === 'number' && exp * 1000 <= now;
}
