// Signing in to the back office: Cognito managed login (auth.js), a pasted
// token, or the local cloud's token. The administration (/admin) and the
// evaluation (/evaluation) pages share it, each with its own token kept in
// sessionStorage (this tab only) and its own API calls.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { api, ApiError } from '../api.js';
import { field, control, showErrors, showMessage } from '../forms.js';
import * as auth from '../auth.js';

const jwtShape = /^[\w-]+\.[\w-]+\.[\w-]+$/;

// keys of each page's session: the token, whether it came from managed login
// (signing out then also ends that session), a message carried across the
// clean-up navigation after sign-in.
const sessions = {
  admin: { token: 'espaceosc.adminToken', hosted: 'espaceosc.adminHosted', message: 'espaceosc.adminMessage', role: 'admin' },
  evaluation: { token: 'espaceosc.evaluatorToken', hosted: 'espaceosc.evaluatorHosted', message: 'espaceosc.evaluatorMessage', role: 'evaluator' },
};

// signedIn shows the sign-in in root, or, once a token is there,
// show(root, call, token, logout) where call(method, path, body) is the API
// with the token (a 401/403 goes back to the sign-in).
export async function signedIn(root, ctx, page, show) {
  const s = sessions[page];
  if (auth.returning(ctx.query)) {
    root.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('admin.signin_progress')));
    await finishSignIn(ctx, s, page);
    return;
  }
  const message = sessionStorage.getItem(s.message);
  sessionStorage.removeItem(s.message);
  const token = sessionStorage.getItem(s.token);
  const session = { root, ctx, s, page, show };
  if (token && auth.expired(token)) {
    forget(s);
    showLogin(session, t('admin.expired'));
  } else if (token) {
    showConsole(session, token);
  } else {
    showLogin(session, message ? t(message) : undefined);
  }
}

async function finishSignIn(ctx, s, page) {
  try {
    const token = await auth.completeSignIn(ctx.query, ctx.signal, page);
    sessionStorage.setItem(s.token, token);
    sessionStorage.setItem(s.hosted, '1');
  } catch (err) {
    if (err?.name === 'AbortError') return;
    sessionStorage.setItem(s.message, err?.key || 'admin.signin_failed');
  }
  const url = new URL(location.href);
  for (const k of ['code', 'state', 'error', 'error_description']) url.searchParams.delete(k);
  ctx.navigate(url.pathname + url.search + url.hash, { replace: true });
}

function forget(s) {
  sessionStorage.removeItem(s.token);
  sessionStorage.removeItem(s.hosted);
}

function showLogin(session, message) {
  const { root, ctx, s, page } = session;
  const summary = h('div', { class: 'alert', role: 'alert', tabindex: '-1' });
  const local = h('button', { type: 'button', class: 'secondary' }, t('admin.token_local'));
  local.hidden = true;
  const form = h('form', { class: 'narrow', novalidate: true },
    auth.enabled ? null : summary,
    field({ name: 'token', label: t('admin.token'), type: 'password', hint: t('admin.token_help'), required: true,
      attrs: { autocomplete: 'off', spellcheck: 'false', dir: 'ltr' } }),
    h('div', { class: 'button-row' }, h('button', { type: 'submit' }, t('admin.token_save')), local));
  if (auth.enabled) {
    // Managed login first; the pasted token stays available, folded away.
    const signIn = h('button', { type: 'button', id: 'signin' }, t('admin.signin'));
    signIn.addEventListener('click', () => {
      signIn.disabled = true;
      auth.signIn(page).catch(() => {
        signIn.disabled = false;
        showMessage(summary, t('admin.signin_failed'));
      });
    });
    root.replaceChildren(
      h('div', { class: 'narrow' }, summary, h('p', null, t('admin.signin_help')), h('div', { class: 'button-row' }, signIn)),
      h('details', { class: 'narrow' }, h('summary', null, t('admin.token_other')), form));
  } else {
    root.replaceChildren(form);
  }
  if (message) showMessage(summary, message);

  const login = (token) => {
    sessionStorage.setItem(s.token, token);
    sessionStorage.removeItem(s.hosted);
    showConsole(session, token);
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const token = control(form, 'token').value.trim();
    if (!token) {
      showErrors(form, summary, { token: t('obs.required') });
      return;
    }
    login(token);
  });
  // The local cloud issues tokens at /_local/token; in AWS that path does
  // not exist (and managed login is there: no need to ask).
  if (auth.enabled) return;
  localToken(s.role, ctx.signal).then((token) => {
    if (!token) return;
    local.hidden = false;
    local.addEventListener('click', async () => {
      const fresh = (await localToken(s.role, ctx.signal)) || token;
      login(fresh);
    });
  });
}

async function localToken(role, signal) {
  try {
    const res = await fetch(`/_local/token?role=${role}`, { cache: 'no-store', signal });
    if (!res.ok || !(res.headers.get('content-type') || '').startsWith('text/plain')) return '';
    const body = (await res.text()).trim();
    return jwtShape.test(body) ? body : '';
  } catch {
    return '';
  }
}

function showConsole(session, token) {
  const { root, ctx, s, show } = session;
  const hosted = sessionStorage.getItem(s.hosted) === '1';
  const call = async (method, path, body) => {
    if (auth.expired(token)) {
      forget(s);
      showLogin(session, t('admin.expired'));
      throw new ApiError(401, null);
    }
    try {
      return await api(method, path, { body, token, signal: ctx.signal });
    } catch (err) {
      if (err.status === 401 || err.status === 403) {
        forget(s);
        const key = err.status === 403 ? 'admin.forbidden' : (hosted ? 'admin.expired' : 'admin.unauthorized');
        showLogin(session, t(key));
      }
      throw err;
    }
  };
  const logout = h('button', { type: 'button', class: 'secondary' }, t('admin.logout'));
  logout.addEventListener('click', () => {
    forget(s);
    if (hosted && auth.enabled) location.assign(auth.signOutURL());
    else showLogin(session);
  });
  root.replaceChildren(whoami(token), h('div', { class: 'button-row' }, logout));
  show(root, call, token);
}

const groupNames = { admins: 'admin.group_admins', evaluators: 'admin.group_evaluators' };

// whoami says who is signed in and in which groups, from the token's claims.
function whoami(token) {
  const c = auth.claims(token);
  const email = typeof c.email === 'string' ? c.email : '';
  const groups = Array.isArray(c['cognito:groups']) ? c['cognito:groups'].map(String) : [];
  if (!email && !groups.length) return null;
  const names = groups.map((g) => (groupNames[g] ? t(groupNames[g]) : g));
  return h('p', { class: 'meta', id: 'whoami' },
    email ? h('span', null, t('admin.signed_in', { email })) : null,
    email ? ' · ' : null,
    h('span', null, t('admin.groups', { groups: names.length ? names.join(', ') : t('admin.no_group') })));
}

// tabs shows an ARIA tab list over one panel; tabs are [id, labelKey,
// render(panel, call)]. Arrow keys follow the reading direction.
export function tabs(root, call, list, label) {
  const panel = h('div', { role: 'tabpanel', id: 'admin-panel', tabindex: '0' });
  const buttons = list.map(([id, key]) => h('button', {
    type: 'button', role: 'tab', id: `tab-${id}`, 'aria-controls': 'admin-panel', 'aria-selected': 'false', tabindex: '-1',
  }, t(key)));
  const select = (i, focus) => {
    buttons.forEach((b, j) => {
      b.setAttribute('aria-selected', String(i === j));
      b.setAttribute('tabindex', i === j ? '0' : '-1');
    });
    panel.setAttribute('aria-labelledby', buttons[i].id);
    if (focus) buttons[i].focus();
    list[i][2](panel, call).catch(() => {});
  };
  buttons.forEach((b, i) => {
    b.addEventListener('click', () => select(i, false));
    b.addEventListener('keydown', (e) => {
      const rtl = document.documentElement.dir === 'rtl';
      const next = { ArrowRight: rtl ? -1 : 1, ArrowLeft: rtl ? 1 : -1 }[e.key];
      if (next) {
        e.preventDefault();
        select((i + next + buttons.length) % buttons.length, true);
      } else if (e.key === 'Home' || e.key === 'End') {
        e.preventDefault();
        select(e.key === 'Home' ? 0 : buttons.length - 1, true);
      }
    });
  });
  root.append(h('div', { class: 'tabs', role: 'tablist', 'aria-label': label }, buttons), panel);
  select(0, false);
}
