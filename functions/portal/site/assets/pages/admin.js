// Administration: news, useful links and observations through the admin API
// (Authorization: Bearer). In AWS administrators and evaluators sign in
// through Cognito managed login (auth.js); a pasted token, or the local
// cloud's token, works too. The token lives in sessionStorage (this tab only).
import { h, paragraphs } from '../dom.js';
import { t, formatDate, formatDateTime } from '../i18n.js';
import { api, query, ApiError } from '../api.js';
import { field, control, clearErrors, showErrors, showMessage } from '../forms.js';
import * as auth from '../auth.js';
import { statuses } from './followup.js';

const tokenKey = 'espaceosc.adminToken';
// hostedKey marks a token from managed login: signing out also ends that session.
const hostedKey = 'espaceosc.adminHosted';
// messageKey carries a sign-in message across the page's clean-up navigation.
const messageKey = 'espaceosc.adminMessage';
const jwtShape = /^[\w-]+\.[\w-]+\.[\w-]+$/;

export async function render(main, ctx) {
  ctx.setTitle(t('admin.title'));
  const root = h('div');
  main.append(h('h1', null, t('admin.title')), root);
  ctx.focusHeading();
  if (auth.returning(ctx.query)) {
    root.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('admin.signin_progress')));
    await finishSignIn(ctx);
    return;
  }
  const message = sessionStorage.getItem(messageKey);
  sessionStorage.removeItem(messageKey);
  const token = sessionStorage.getItem(tokenKey);
  if (token && auth.expired(token)) {
    forget();
    showLogin(root, ctx, t('admin.expired'));
  } else if (token) {
    showConsole(root, ctx, token);
  } else {
    showLogin(root, ctx, message ? t(message) : undefined);
  }
}

// finishSignIn trades managed login's code for the ID token, then shows the
// page again without the code and state in its address.
async function finishSignIn(ctx) {
  try {
    const token = await auth.completeSignIn(ctx.query, ctx.signal);
    sessionStorage.setItem(tokenKey, token);
    sessionStorage.setItem(hostedKey, '1');
  } catch (err) {
    if (err?.name === 'AbortError') return;
    sessionStorage.setItem(messageKey, err?.key || 'admin.signin_failed');
  }
  const url = new URL(location.href);
  for (const k of ['code', 'state', 'error', 'error_description']) url.searchParams.delete(k);
  ctx.navigate(url.pathname + url.search + url.hash, { replace: true });
}

function forget() {
  sessionStorage.removeItem(tokenKey);
  sessionStorage.removeItem(hostedKey);
}

function showLogin(root, ctx, message) {
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
      auth.signIn().catch(() => {
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
    sessionStorage.setItem(tokenKey, token);
    sessionStorage.removeItem(hostedKey);
    showConsole(root, ctx, token);
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
  // The local cloud issues admin tokens at /_local/token; in AWS that path
  // does not exist (and managed login is there: no need to ask).
  if (auth.enabled) return;
  localToken(ctx.signal).then((token) => {
    if (!token) return;
    local.hidden = false;
    local.addEventListener('click', async () => {
      const fresh = (await localToken(ctx.signal)) || token;
      login(fresh);
    });
  });
}

async function localToken(signal) {
  try {
    const res = await fetch('/_local/token?role=admin', { cache: 'no-store', signal });
    if (!res.ok || !(res.headers.get('content-type') || '').startsWith('text/plain')) return '';
    const body = (await res.text()).trim();
    return jwtShape.test(body) ? body : '';
  } catch {
    return '';
  }
}

function showConsole(root, ctx, token) {
  const hosted = sessionStorage.getItem(hostedKey) === '1';
  const call = async (method, path, body) => {
    if (auth.expired(token)) {
      forget();
      showLogin(root, ctx, t('admin.expired'));
      throw new ApiError(401, null);
    }
    try {
      return await api(method, path, { body, token, signal: ctx.signal });
    } catch (err) {
      if (err.status === 401 || err.status === 403) {
        forget();
        const key = err.status === 403 ? 'admin.forbidden' : (hosted ? 'admin.expired' : 'admin.unauthorized');
        showLogin(root, ctx, t(key));
      }
      throw err;
    }
  };
  const logout = h('button', { type: 'button', class: 'secondary' }, t('admin.logout'));
  logout.addEventListener('click', () => {
    forget();
    if (hosted && auth.enabled) location.assign(auth.signOutURL());
    else showLogin(root, ctx);
  });
  const tabs = [
    ['news', 'admin.tab_news', newsPanel],
    ['links', 'admin.tab_links', linksPanel],
    ['obs', 'admin.tab_obs', observationsPanel],
  ];
  const panel = h('div', { role: 'tabpanel', id: 'admin-panel', tabindex: '0' });
  const buttons = tabs.map(([id, label]) => h('button', {
    type: 'button', role: 'tab', id: `tab-${id}`, 'aria-controls': 'admin-panel', 'aria-selected': 'false', tabindex: '-1',
  }, t(label)));
  const select = (i, focus) => {
    buttons.forEach((b, j) => {
      b.setAttribute('aria-selected', String(i === j));
      b.setAttribute('tabindex', i === j ? '0' : '-1');
    });
    panel.setAttribute('aria-labelledby', buttons[i].id);
    if (focus) buttons[i].focus();
    tabs[i][2](panel, call).catch(() => {});
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
  root.replaceChildren(
    whoami(token),
    h('div', { class: 'button-row' }, logout),
    h('div', { class: 'tabs', role: 'tablist', 'aria-label': t('admin.title') }, buttons),
    panel);
  select(0, false);
}

// ------------------------------------------------------------------ helpers

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

function failure(statusLine, err) {
  if (err?.name === 'AbortError' || err?.status === 401 || err?.status === 403) return;
  statusLine.textContent = err?.status === 0 ? t('error.network') : (err?.problem?.detail || t('error.generic'));
}

function toLocalInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
}

function fromLocalInput(v) {
  if (!v) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// editor shows a form in box; save(body) sends it, field errors land next
// to the fields, and done() runs after a success.
function editor(box, title, fields, read, save, done) {
  const summary = h('div', { class: 'alert', role: 'alert', tabindex: '-1' });
  const cancel = h('button', { type: 'button', class: 'secondary' }, t('admin.cancel'));
  const heading = h('h2', { tabindex: '-1' }, title);
  const form = h('form', { class: 'panel', novalidate: true }, heading, summary, fields,
    h('div', { class: 'button-row' }, h('button', { type: 'submit' }, t('admin.save')), cancel));
  box.replaceChildren(form);
  heading.focus();
  cancel.addEventListener('click', () => box.replaceChildren());
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form, summary);
    try {
      await save(read(form));
      box.replaceChildren();
      done();
    } catch (err) {
      if (err?.name === 'AbortError' || err?.status === 401 || err?.status === 403) return;
      if (Object.keys(err.fields || {}).length) showErrors(form, summary, err.fields, err.problem?.detail);
      else showMessage(summary, err.status === 0 ? t('error.network') : (err.problem?.detail || t('error.generic')));
    }
  });
}

const langOptions = () => [['fr', t('admin.lang_fr')], ['ar', t('admin.lang_ar')]];

// ------------------------------------------------------------------ news

async function newsPanel(panel, call) {
  const statusLine = h('p', { class: 'status-line', role: 'status' });
  const formBox = h('div');
  const list = h('ul', { class: 'news-list' });
  const more = h('button', { type: 'button', class: 'secondary' }, t('admin.more'));
  const create = h('button', { type: 'button' }, t('admin.news_new'));
  more.hidden = true;
  panel.replaceChildren(h('div', { class: 'button-row' }, create), formBox, statusLine, list, h('div', { class: 'button-row' }, more));

  let cursor = '';
  const load = async (reset) => {
    if (reset) cursor = '';
    try {
      const page = await call('GET', `/api/admin/news${query({ cursor })}`);
      if (reset) list.replaceChildren();
      for (const it of page?.items || []) list.append(row(it));
      if (!list.children.length) list.append(h('li', null, t('admin.empty')));
      cursor = page?.nextCursor || '';
      more.hidden = !cursor;
    } catch (err) {
      failure(statusLine, err);
    }
  };
  const act = async (fn, message) => {
    statusLine.textContent = '';
    try {
      await fn();
      statusLine.textContent = message;
      await load(true);
    } catch (err) {
      failure(statusLine, err);
    }
  };
  const open = (item) => {
    const fields = [
      item ? null : field({ name: 'slug', label: t('admin.slug'), attrs: { dir: 'ltr', maxlength: 80, pattern: '[a-z0-9-]{3,80}' } }),
      field({ name: 'lang', label: t('admin.lang'), options: langOptions(), value: item?.lang || 'fr' }),
      field({ name: 'title', label: t('admin.news_title'), required: true, value: item?.title, attrs: { maxlength: 200 } }),
      field({ name: 'summary', label: t('admin.summary'), multiline: true, value: item?.summary, attrs: { maxlength: 500, rows: 3 } }),
      field({ name: 'body', label: t('admin.body'), multiline: true, required: true, value: item?.body, attrs: { rows: 10 } }),
      field({ name: 'publishedAt', label: t('admin.published_at'), type: 'datetime-local', value: toLocalInput(item?.publishedAt) }),
    ];
    const read = (form) => {
      const body = {
        lang: control(form, 'lang').value,
        title: control(form, 'title').value.trim(),
        body: control(form, 'body').value.trim(),
      };
      const summary = control(form, 'summary').value.trim();
      if (summary) body.summary = summary;
      const at = fromLocalInput(control(form, 'publishedAt').value);
      if (at) body.publishedAt = at;
      const slug = item ? '' : control(form, 'slug').value.trim();
      if (slug) body.slug = slug;
      return body;
    };
    const save = (body) => (item
      ? call('PUT', `/api/admin/news/${encodeURIComponent(item.slug)}`, body)
      : call('POST', '/api/admin/news', body));
    editor(formBox, t(item ? 'admin.news_edit' : 'admin.news_new'), fields, read, save, () => {
      statusLine.textContent = t('admin.saved');
      load(true);
    });
  };
  const row = (it) => {
    const path = `/api/admin/news/${encodeURIComponent(it.slug)}`;
    const published = it.status === 'published';
    const buttons = [
      h('button', { type: 'button', class: 'secondary', onclick: () => open(it) }, t('admin.edit')),
      published
        ? h('button', { type: 'button', class: 'secondary', onclick: () => act(() => call('POST', `${path}/unpublish`), t('admin.saved')) }, t('admin.unpublish'))
        : h('button', { type: 'button', class: 'secondary', onclick: () => act(() => call('POST', `${path}/publish`, {}), t('admin.saved')) }, t('admin.publish')),
      h('button', {
        type: 'button', class: 'danger',
        onclick: () => {
          if (window.confirm(t('admin.confirm_delete', { title: it.title }))) act(() => call('DELETE', path), t('admin.deleted'));
        },
      }, t('admin.delete')),
    ];
    return h('li', { class: 'card admin-row' },
      h('span', { class: 'title', lang: it.lang, dir: 'auto' }, it.title),
      h('span', { class: 'meta' },
        h('span', { class: `badge ${it.status}` }, t(published ? 'admin.status_published' : 'admin.status_draft')), ' ',
        h('span', { class: 'badge' }, t(it.lang === 'ar' ? 'admin.lang_ar' : 'admin.lang_fr')), ' ',
        h('span', { class: 'ltr' }, it.slug), ' · ',
        formatDate(it.publishedAt || it.updatedAt || it.createdAt)),
      h('div', { class: 'button-row' }, buttons));
  };
  create.addEventListener('click', () => open(null));
  more.addEventListener('click', () => load(false));
  await load(true);
}

// ------------------------------------------------------------------ links

async function linksPanel(panel, call) {
  const statusLine = h('p', { class: 'status-line', role: 'status' });
  const formBox = h('div');
  const list = h('ul', { class: 'news-list' });
  const create = h('button', { type: 'button' }, t('admin.link_new'));
  panel.replaceChildren(h('div', { class: 'button-row' }, create), formBox, statusLine, list);

  const load = async () => {
    try {
      const res = await call('GET', '/api/admin/links');
      list.replaceChildren(...(res?.items || []).map(row));
      if (!list.children.length) list.append(h('li', null, t('admin.empty')));
    } catch (err) {
      failure(statusLine, err);
    }
  };
  const open = (link) => {
    const fields = [
      field({ name: 'url', label: t('admin.url'), type: 'url', required: true, value: link?.url, attrs: { dir: 'ltr', maxlength: 500 } }),
      field({ name: 'title.fr', label: t('admin.title_fr'), required: true, value: link?.title?.fr, attrs: { lang: 'fr', dir: 'ltr', maxlength: 200 } }),
      field({ name: 'title.ar', label: t('admin.title_ar'), value: link?.title?.ar, attrs: { lang: 'ar', dir: 'rtl', maxlength: 200 } }),
      field({ name: 'description.fr', label: t('admin.desc_fr'), multiline: true, value: link?.description?.fr, attrs: { lang: 'fr', dir: 'ltr', rows: 3, maxlength: 500 } }),
      field({ name: 'description.ar', label: t('admin.desc_ar'), multiline: true, value: link?.description?.ar, attrs: { lang: 'ar', dir: 'rtl', rows: 3, maxlength: 500 } }),
      field({ name: 'order', label: t('admin.order'), type: 'number', value: link?.order ?? '', attrs: { inputmode: 'numeric', step: 1 } }),
    ];
    const read = (form) => {
      const v = (n) => control(form, n).value.trim();
      const body = { url: v('url'), title: { fr: v('title.fr'), ar: v('title.ar') } };
      if (v('description.fr') || v('description.ar')) body.description = { fr: v('description.fr'), ar: v('description.ar') };
      if (v('order') !== '') body.order = Number(v('order'));
      return body;
    };
    const save = (body) => (link
      ? call('PUT', `/api/admin/links/${encodeURIComponent(link.id)}`, body)
      : call('POST', '/api/admin/links', body));
    editor(formBox, t(link ? 'admin.link_edit' : 'admin.link_new'), fields, read, save, () => {
      statusLine.textContent = t('admin.saved');
      load();
    });
  };
  const row = (link) => h('li', { class: 'card admin-row' },
    h('span', { class: 'title' }, h('span', { lang: 'fr' }, link.title?.fr || ''), link.title?.ar ? [' · ', h('span', { lang: 'ar' }, link.title.ar)] : null),
    h('span', { class: 'meta' }, h('span', { class: 'ltr' }, link.url), ` · ${link.order ?? ''}`),
    h('div', { class: 'button-row' },
      h('button', { type: 'button', class: 'secondary', onclick: () => open(link) }, t('admin.edit')),
      h('button', {
        type: 'button', class: 'danger',
        onclick: async () => {
          if (!window.confirm(t('admin.confirm_delete', { title: link.title?.fr || link.url }))) return;
          try {
            await call('DELETE', `/api/admin/links/${encodeURIComponent(link.id)}`);
            statusLine.textContent = t('admin.deleted');
            await load();
          } catch (err) {
            failure(statusLine, err);
          }
        },
      }, t('admin.delete'))));
  create.addEventListener('click', () => open(null));
  await load();
}

// ------------------------------------------------------------------ observations

async function observationsPanel(panel, call) {
  const statusLine = h('p', { class: 'status-line', role: 'status' });
  const filter = field({
    name: 'status', label: t('admin.filter_status'),
    options: [['', t('admin.filter_all')], ...Object.entries(statuses).map(([v, k]) => [v, t(k)])],
  });
  const list = h('ul', { class: 'news-list' });
  const more = h('button', { type: 'button', class: 'secondary' }, t('admin.more'));
  more.hidden = true;
  panel.replaceChildren(filter, statusLine, list, h('div', { class: 'button-row' }, more));
  const select = filter.querySelector('select');

  let cursor = '';
  const load = async (reset) => {
    if (reset) cursor = '';
    try {
      const page = await call('GET', `/api/admin/observations${query({ status: select.value, cursor })}`);
      if (reset) list.replaceChildren();
      for (const o of page?.items || []) list.append(row(o));
      if (!list.children.length) list.append(h('li', null, t('admin.empty')));
      cursor = page?.nextCursor || '';
      more.hidden = !cursor;
    } catch (err) {
      failure(statusLine, err);
    }
  };
  const row = (o) => {
    const detail = h('div');
    const openBtn = h('button', { type: 'button', class: 'secondary', 'aria-expanded': 'false' }, t('admin.obs_open'));
    openBtn.addEventListener('click', () => {
      const expanded = openBtn.getAttribute('aria-expanded') === 'true';
      openBtn.setAttribute('aria-expanded', String(!expanded));
      if (expanded) detail.replaceChildren();
      else showDetail(detail, o);
    });
    return h('li', { class: 'card admin-row' },
      h('span', { class: 'title', dir: 'auto' }, o.subject),
      h('span', { class: 'meta' },
        h('span', { class: `badge ${o.status}` }, statuses[o.status] ? t(statuses[o.status]) : o.status), ' ',
        h('span', { class: 'ltr' }, o.reference), ' · ', formatDateTime(o.createdAt)),
      h('div', { class: 'button-row' }, openBtn),
      detail);
  };
  const showDetail = (box, o) => {
    const fields = [
      field({ name: 'status', label: t('admin.obs_status'), options: Object.entries(statuses).map(([v, k]) => [v, t(k)]), value: o.status }),
      field({ name: 'response', label: t('admin.obs_response'), multiline: true, value: o.response?.text, attrs: { maxlength: 5000, lang: o.lang, dir: o.lang === 'ar' ? 'rtl' : 'ltr' } }),
    ];
    const info = h('div', { lang: o.lang || null },
      h('p', { class: 'meta' }, t('admin.obs_from', { name: o.name || '', email: o.email || '' })),
      o.organisation ? h('p', { class: 'meta' }, t('admin.obs_org', { organisation: o.organisation })) : null,
      o.consent ? h('p', { class: 'meta' }, t('admin.obs_consent', { date: formatDateTime(o.consent.at), version: o.consent.noticeVersion || '' })) : null,
      paragraphs(o.message));
    const formBox = h('div');
    box.replaceChildren(info, formBox);
    const read = (form) => {
      const body = { status: control(form, 'status').value };
      const response = control(form, 'response').value.trim();
      if (response && response !== (o.response?.text || '')) body.response = response;
      return body;
    };
    const save = (body) => call('PATCH', `/api/admin/observations/${encodeURIComponent(o.id)}`, body);
    editor(formBox, t('admin.obs_update'), fields, read, save, () => {
      statusLine.textContent = t('admin.saved');
      load(true);
    });
  };
  select.addEventListener('change', () => load(true));
  more.addEventListener('click', () => load(false));
  await load(true);
}
