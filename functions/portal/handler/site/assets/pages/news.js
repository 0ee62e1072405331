// News: the paginated list and one item.
import { h, paragraphs } from '../dom.js';
import { lang, t, formatDate } from '../i18n.js';
import { api, query } from '../api.js';
import { newsCard, errorBox, pagedList } from './shared.js';

export const list = {
  async render(main, ctx) {
    ctx.setTitle(t('news.title'));
    await pagedList(main, ctx, {
      heading: [h('h1', null, t('news.title'))],
      path: (cursor) => `/api/news${query({ lang, cursor })}`,
      card: (it) => newsCard(it),
      emptyKey: 'news.empty',
    });
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
