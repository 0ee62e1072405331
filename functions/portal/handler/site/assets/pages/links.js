// Useful links for citizen participation.
import { h } from '../dom.js';
import { lang, t } from '../i18n.js';
import { api, query } from '../api.js';
import { errorBox } from './shared.js';

export async function render(main, ctx) {
  ctx.setTitle(t('links.title'));
  const box = h('div', { 'aria-live': 'polite' }, h('p', { class: 'loading' }, t('site.loading')));
  main.append(h('h1', null, t('links.title')), h('p', null, t('links.intro')), box);
  ctx.focusHeading();
  const load = async () => {
    try {
      const res = await api('GET', `/api/links${query({ lang })}`, { signal: ctx.signal });
      const items = res?.items || [];
      box.replaceChildren(items.length
        ? h('ul', { class: 'cards' }, items.map(card))
        : h('p', null, t('links.empty')));
    } catch (err) {
      if (err?.name === 'AbortError') throw err;
      box.replaceChildren(errorBox(err, load));
    }
  };
  await load();
}

function card(link) {
  let host = '';
  try {
    host = new URL(link.url).host;
  } catch {
    host = '';
  }
  return h('li', { class: 'card' },
    h('h2', null, h('a', { href: link.url, rel: 'noopener noreferrer' }, link.title,
      h('span', { class: 'visually-hidden' }, ` ${t('links.external')}`))),
    host ? h('p', { class: 'meta ltr' }, host) : null,
    link.description ? h('p', null, link.description) : null);
}
