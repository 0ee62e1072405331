// The author's private follow-up page: /{lang}/observations/{id}?token=…
// The token moves to this tab's storage and leaves the address bar (token.js).
import { h, paragraphs } from '../dom.js';
import { t, formatDateTime } from '../i18n.js';
import { api, query } from '../api.js';
import { takeToken, forgetToken } from '../token.js';
import { errorBox } from './shared.js';
import { topics } from './observe.js';

export const statuses = {
  received: 'status.received',
  in_review: 'status.in_review',
  answered: 'status.answered',
  closed: 'status.closed',
};

export async function render(main, ctx) {
  ctx.setTitle(t('follow.title'));
  const box = h('div', { 'aria-live': 'polite' }, h('p', { class: 'loading' }, t('site.loading')));
  main.append(h('div', { class: 'narrow' }, h('h1', null, t('follow.title')), box));
  ctx.focusHeading();
  const id = ctx.params[0];
  const token = takeToken('observation', id, ctx);
  if (!token) {
    box.replaceChildren(invalid());
    return;
  }
  const load = async () => {
    try {
      const o = await api('GET', `/api/observations/${encodeURIComponent(id)}${query({ token })}`, { signal: ctx.signal });
      box.replaceChildren(view(o));
    } catch (err) {
      if (err?.name === 'AbortError') throw err;
      if (err?.status === 404) forgetToken('observation', id);
      box.replaceChildren(err?.status === 404 ? invalid() : errorBox(err, load));
    }
  };
  await load();
}

function invalid() {
  return h('div', { class: 'alert', role: 'alert' }, h('p', null, t('follow.invalid')));
}

function view(o) {
  const topic = topics.find(([v]) => v === o.topic);
  const facts = [
    ['follow.reference', h('span', { class: 'reference' }, o.reference)],
    ['follow.status', h('span', { class: `badge ${o.status}` }, statuses[o.status] ? t(statuses[o.status]) : o.status)],
    ['follow.topic', topic ? t(topic[1]) : o.topic],
    ['follow.subject', o.subject],
    ['follow.created', formatDateTime(o.createdAt)],
    ['follow.updated', formatDateTime(o.updatedAt)],
  ];
  return h('div', null,
    h('dl', { class: 'facts' }, facts.map(([k, v]) => [h('dt', null, t(k)), h('dd', null, v)])),
    h('section', { class: 'panel', 'aria-labelledby': 'response-title' },
      h('h2', { id: 'response-title' }, t('follow.response')),
      o.response
        ? [h('p', { class: 'meta' }, t('follow.answered_at', { date: formatDateTime(o.response.answeredAt) })), ...paragraphs(o.response.text)]
        : h('p', null, t('follow.no_response'))));
}
