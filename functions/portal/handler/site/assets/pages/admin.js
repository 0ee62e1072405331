// Administration: news, useful links, observations, events and calls
// through the admin API (Authorization: Bearer). Signing in is
// admin-session.js's; events and calls have their own modules.
import { h, paragraphs } from '../dom.js';
import { t, formatDate, formatDateTime } from '../i18n.js';
import { query } from '../api.js';
import { field, control } from '../forms.js';
import { statuses } from './followup.js';
import { topics } from './observe.js';
import { signedIn, tabs } from './admin-session.js';
import { editor, failure } from './admin-kit.js';
import { eventsPanel } from './admin-events.js';
import { callsPanel } from './admin-calls.js';

export async function render(main, ctx) {
  ctx.setTitle(t('admin.title'));
  const root = h('div');
  main.append(h('h1', null, t('admin.title')), root);
  ctx.focusHeading();
  await signedIn(root, ctx, 'admin', (box, call) => tabs(box, call, [
    ['news', 'admin.tab_news', newsPanel],
    ['links', 'admin.tab_links', linksPanel],
    ['obs', 'admin.tab_obs', observationsPanel],
    ['events', 'admev.tab', eventsPanel],
    ['calls', 'admcall.tab', callsPanel],
  ], t('admin.title')));
}

// ------------------------------------------------------------------ helpers

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
    const topic = topics.find(([v]) => v === o.topic);
    return h('li', { class: 'card admin-row', 'data-observation': o.id },
      h('span', { class: 'title', dir: 'auto' }, o.subject),
      h('span', { class: 'meta' },
        h('span', { class: `badge ${o.status}` }, statuses[o.status] ? t(statuses[o.status]) : o.status), ' ',
        h('span', { class: 'badge', 'data-lang': o.lang }, t(o.lang === 'ar' ? 'admin.lang_ar' : 'admin.lang_fr')), ' ',
        h('span', { class: 'ltr' }, o.reference), ' · ', formatDateTime(o.createdAt)),
      h('span', { class: 'meta', 'data-author': '' },
        t('admin.obs_author', { name: o.name || '—', email: o.email || '' }),
        o.organisation ? [' · ', h('span', { dir: 'auto' }, o.organisation)] : null),
      h('span', { class: 'meta', 'data-topic': o.topic }, t('admin.obs_topic', { topic: topic ? t(topic[1]) : o.topic || '' })),
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
