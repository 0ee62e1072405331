// News: the paginated list and one item.
import { h, paragraphs } from '../dom.js';
import { lang, t, formatDate } from '../i18n.js';
import { api, query } from '../api.js';
import { newsCard, errorBox } from './shared.js';

export const list = {
  async render(main, ctx) {
    ctx.setTitle(t('news.title'));
    const ul = h('ul', { class: 'news-list' });
    const status = h('div', { 'aria-live': 'polite' });
    const more = h('button', { type: 'button', class: 'secondary' }, t('news.more'));
    more.hidden = true;
    main.append(h('h1', null, t('news.title')), ul, status, h('div', { class: 'button-row' }, more));
    ctx.focusHeading();

    let cursor = '';
    const load = async (moveFocus) => {
      more.disabled = true;
      status.replaceChildren();
      try {
        const page = await api('GET', `/api/news${query({ lang, cursor })}`, { signal: ctx.signal });
        const items = page?.items || [];
        const cards = items.map((it) => newsCard(it));
        ul.append(...cards);
        if (!ul.children.length) status.replaceChildren(h('p', null, t('news.empty')));
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
  },
};

export const detail = {
  async render(main, ctx) {
    const slug = ctx.params[0];
    const back = h('a', { class: 'back', href: `/${lang}/actualites` }, t('news.back'));
    const box = h('div', { 'aria-live': 'polite' }, h('p', { class: 'loading' }, t('site.loading')));
    main.append(back, box);
    try {
      const item = await api('GET', `/api/news/${encodeURIComponent(slug)}`, { signal: ctx.signal });
      ctx.setTitle(item.title);
      box.replaceChildren(h('article', { class: 'article', lang: item.lang || null },
        h('h1', null, item.title),
        item.publishedAt
          ? h('p', { class: 'article-meta' }, h('time', { datetime: item.publishedAt }, t('news.published', { date: formatDate(item.publishedAt) })))
          : null,
        h('div', { class: 'body' }, paragraphs(item.body))));
      if (item.lang && item.lang !== lang) box.firstChild.setAttribute('dir', item.lang === 'ar' ? 'rtl' : 'ltr');
    } catch (err) {
      if (err?.name === 'AbortError') throw err;
      if (err?.status === 404) {
        ctx.setTitle(t('news.not_found'));
        box.replaceChildren(h('h1', null, t('news.not_found')));
      } else {
        box.replaceChildren(errorBox(err, () => { main.replaceChildren(); detail.render(main, ctx); }));
      }
    }
    ctx.focusHeading();
  },
};
