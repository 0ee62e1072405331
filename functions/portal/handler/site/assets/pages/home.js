// Home: the space's introduction, the latest news and the services.
import { h } from '../dom.js';
import { lang, t } from '../i18n.js';
import { api, query } from '../api.js';
import { newsCard, errorBox } from './shared.js';

const services = [
  { title: 'service.copil.title', text: 'service.copil.text', href: 'candidatures' },
  { title: 'service.gt.title', text: 'service.gt.text', href: 'candidatures' },
  { title: 'service.cocreation.title', text: 'service.cocreation.text' },
  { title: 'service.events.title', text: 'service.events.text', href: 'evenements' },
  { title: 'service.observe.title', text: 'service.observe.text', href: 'observations/nouvelle' },
  { title: 'service.links.title', text: 'service.links.text', href: 'liens' },
];

const intro = ['home.intro1', 'home.intro2', 'home.intro3', 'home.intro4', 'home.intro5'];

export async function render(main, ctx) {
  ctx.setTitle(t('home.title'));
  const latest = h('div', { 'aria-live': 'polite', 'aria-busy': 'true' }, h('p', { class: 'loading' }, t('site.loading')));
  main.append(
    h('h1', null, t('home.title')),
    h('div', { class: 'home-grid' },
      h('div', { class: 'lead' }, intro.map((k) => h('p', null, t(k)))),
      h('section', { 'aria-labelledby': 'latest-title' },
        h('h2', { id: 'latest-title' }, t('home.latest')),
        latest,
        h('p', null, h('a', { href: `/${lang}/actualites` }, t('home.all_news'))))),
    h('section', { 'aria-labelledby': 'services-title' },
      h('h2', { id: 'services-title' }, t('home.services')),
      h('ul', { class: 'cards services' }, services.map(serviceCard))));
  ctx.focusHeading();
  await loadLatest(latest, ctx);
}

function serviceCard(s) {
  const soon = !s.href;
  return h('li', { class: soon ? 'card service soon' : 'card service' },
    h('h3', null, soon ? t(s.title) : h('a', { href: `/${lang}/${s.href}` }, t(s.title))),
    h('p', null, t(s.text)),
    soon ? h('p', { class: 'actions' }, h('span', { class: 'badge' }, t('service.soon'))) : null);
}

async function loadLatest(box, ctx) {
  try {
    const page = await api('GET', `/api/news${query({ lang, limit: 3 })}`, { signal: ctx.signal });
    const items = page?.items || [];
    box.replaceChildren(items.length
      ? h('ul', { class: 'news-list' }, items.map((it) => newsCard(it, 'h3')))
      : h('p', null, t('news.empty')));
  } catch (err) {
    if (err?.name === 'AbortError') throw err;
    box.replaceChildren(errorBox(err, () => loadLatest(box, ctx)));
  }
  box.setAttribute('aria-busy', 'false');
}
