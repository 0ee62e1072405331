// Pieces several pages share.
import { h } from '../dom.js';
import { lang, t, formatDate } from '../i18n.js';

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
