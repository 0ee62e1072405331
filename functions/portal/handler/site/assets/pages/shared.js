// Pieces several pages share.
import { h, paragraphs } from '../dom.js';
import { lang, t, formatDate } from '../i18n.js';
import { api, query } from '../api.js';

export function newsCard(item, headingLevel = 'h2') {
  const href = `/${lang}/actualites/${encodeURIComponent(item.slug)}`;
  return h('li', { class: 'card news-item', lang: item.lang || null, dir: item.lang && item.lang !== lang ? 'auto' : null },
    h(headingLevel, null, h('a', { href }, item.title)),
    item.publishedAt ? h('time', { datetime: item.publishedAt }, formatDate(item.publishedAt)) : null,
    item.summary ? h('p', null, item.summary) : null);
}

// errorBox shows a failed load with a retry button.
export function errorBox(err, retry) {
  const message = err?.status === 0 ? t('error.network') : (err?.problem?.detail || t('error.generic'));
  return h('div', { class: 'alert', role: 'alert' },
    h('p', null, message),
    retry ? h('button', { type: 'button', class: 'secondary', onclick: retry }, t('error.retry')) : null);
}

// noticeBox is the loi 09-08 notice (GET /api/notice) shown above the
// consent box of every form that collects personal data.
export function noticeBox(ctx) {
  const body = h('div', { 'aria-live': 'polite' }, h('p', { class: 'loading' }, t('site.loading')));
  const titleId = `notice-title-${Math.random().toString(36).slice(2, 8)}`;
  const box = h('section', { class: 'notice-box', 'aria-labelledby': titleId }, h('h2', { id: titleId }, t('obs.notice')), body);
  api('GET', `/api/notice${query({ lang })}`, { signal: ctx.signal }).then((n) => {
    body.replaceChildren(
      n.controller ? h('p', null, h('strong', null, n.controller)) : null,
      ...paragraphs(n.text),
      h('p', { class: 'meta' }, t('obs.notice_number', { number: n.cndpNumber || '', version: n.version || '' })));
  }).catch((err) => {
    if (err?.name === 'AbortError') return;
    body.replaceChildren(h('p', { class: 'field-error' }, t('obs.notice_error')));
  });
  return box;
}

// pagedList renders a list page with "load more": heading (the h1 and any
// nodes after it), then the items of GET path(cursor) drawn by card (an li
// holding a link), emptyKey when there are none, and a button for the next
// page while the API gives a nextCursor.
export async function pagedList(main, ctx, { heading, path, card, emptyKey }) {
  const ul = h('ul', { class: 'news-list' });
  const status = h('div', { 'aria-live': 'polite' });
  const more = h('button', { type: 'button', class: 'secondary' }, t('news.more'));
  more.hidden = true;
  main.append(...heading, ul, status, h('div', { class: 'button-row' }, more));
  ctx.focusHeading();

  let cursor = '';
  const load = async (moveFocus) => {
    more.disabled = true;
    status.replaceChildren();
    try {
      const page = await api('GET', path(cursor), { signal: ctx.signal });
      const cards = (page?.items || []).map(card);
      ul.append(...cards);
      if (!ul.children.length) status.replaceChildren(h('p', null, t(emptyKey)));
      cursor = page?.nextCursor || '';
      more.hidden = !cursor;
      if (moveFocus && cards.length) cards[0].querySelector('a').focus();
    } catch (err) {
      if (err?.name === 'AbortError') throw err;
      status.replaceChildren(errorBox(err, () => load(moveFocus)));
    }
    more.disabled = false;
  };
  more.addEventListener('click', () => load(true));
  await load(false);
}
