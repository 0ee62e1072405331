// The portal's single-page shell: client-side routing under /fr/ and /ar/
// with the History API. Every page is a real URL the server also answers.
import { lang, otherLang, t } from './i18n.js';
import * as home from './pages/home.js';
import * as news from './pages/news.js';
import * as links from './pages/links.js';
import * as observe from './pages/observe.js';
import * as followup from './pages/followup.js';
import * as admin from './pages/admin.js';
import * as events from './pages/events.js';
import * as registration from './pages/registration.js';
import * as calls from './pages/calls.js';
import * as candidacy from './pages/candidacy.js';
import * as evaluator from './pages/evaluator.js';
import * as notfound from './pages/notfound.js';

// Route patterns after the language segment; '*' captures one segment.
// Keep in step with `pages` in handler.go.
const routes = [
  { pattern: [], page: home, nav: 'home' },
  { pattern: ['actualites'], page: news.list, nav: 'news' },
  { pattern: ['actualites', '*'], page: news.detail, nav: 'news' },
  { pattern: ['liens'], page: links, nav: 'links' },
  { pattern: ['observations', 'nouvelle'], page: observe, nav: 'observe' },
  { pattern: ['observations', '*'], page: followup, nav: 'observe' },
  { pattern: ['evenements'], page: events.list, nav: 'events' },
  { pattern: ['evenements', '*'], page: events.detail, nav: 'events' },
  { pattern: ['registrations', '*'], page: registration, nav: 'events' },
  { pattern: ['candidatures'], page: calls.list, nav: 'calls' },
  { pattern: ['candidatures', 'appels', '*'], page: calls.detail, nav: 'calls' },
  { pattern: ['candidatures', '*'], page: candidacy, nav: 'calls' },
  { pattern: ['admin'], page: admin, nav: 'admin' },
  { pattern: ['evaluation'], page: evaluator, nav: 'evaluation' },
];

function resolve(pathname) {
  const segs = pathname.split('/').filter(Boolean);
  if (segs[0] !== lang) return { route: { page: notfound }, params: [] };
  let rest;
  try {
    rest = segs.slice(1).map(decodeURIComponent);
  } catch {
    return { route: { page: notfound }, params: [] };
  }
  for (const route of routes) {
    if (route.pattern.length !== rest.length) continue;
    const params = [];
    const ok = route.pattern.every((p, i) => {
      if (p === '*') {
        params.push(rest[i]);
        return true;
      }
      return p === rest[i];
    });
    if (ok) return { route, params };
  }
  return { route: { page: notfound }, params: [] };
}

let controller = null;

// keepInView scrolls the menu row (not the page) so that a shows.
function keepInView(a) {
  const row = a.closest('.site-nav ul');
  if (!row) return;
  const r = a.getBoundingClientRect();
  const box = row.getBoundingClientRect();
  if (r.left < box.left) row.scrollBy({ left: r.left - box.left - 8, behavior: 'instant' });
  else if (r.right > box.right) row.scrollBy({ left: r.right - box.right + 8, behavior: 'instant' });
}

async function render({ focus }) {
  const { route, params } = resolve(location.pathname);
  controller?.abort();
  controller = new AbortController();
  const main = document.getElementById('main');
  main.replaceChildren();
  for (const a of document.querySelectorAll('[data-page]')) {
    if (a.dataset.page === route.nav) {
      a.setAttribute('aria-current', 'page');
      // On a phone the menu scrolls sideways: keep the current entry in view.
      keepInView(a); // (a no-op for links outside the menu, e.g. in the footer)
    } else a.removeAttribute('aria-current');
  }
  updateLanguageSwitch();
  const ctx = {
    params,
    query: new URLSearchParams(location.search),
    signal: controller.signal,
    navigate,
    setTitle: (title) => {
      document.title = title ? `${title} — ${t('site.name')}` : t('site.name');
    },
    // focusHeading moves focus to the page's h1 after a client-side
    // navigation, so screen readers announce the new page.
    focusHeading: () => {
      if (!focus) return;
      const h1 = main.querySelector('h1');
      if (h1) {
        h1.setAttribute('tabindex', '-1');
        h1.focus({ preventScroll: true });
      }
    },
  };
  ctx.setTitle('');
  try {
    await route.page.render(main, ctx);
  } catch (err) {
    if (err?.name !== 'AbortError') throw err;
  }
  // The page's content may have changed the layout (a scrollbar appeared).
  const current = document.querySelector('.site-nav [aria-current="page"]');
  if (current) keepInView(current);
}

// The language switch keeps the current page (and its query, e.g. a
// follow-up token) in the other language.
function updateLanguageSwitch() {
  const sw = document.getElementById('lang-switch');
  if (!sw) return;
  const rest = location.pathname.startsWith(`/${lang}/`) ? location.pathname.slice(lang.length + 1) : '/';
  sw.setAttribute('href', `/${otherLang}${rest}${location.search}`);
}

export function navigate(href, { replace = false } = {}) {
  const url = new URL(href, location.href);
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  window.scrollTo(0, 0);
  render({ focus: true });
}

document.addEventListener('click', (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.target.closest('a[href]');
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || !url.pathname.startsWith(`/${lang}/`) && url.pathname !== `/${lang}`) return;
  if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
  e.preventDefault();
  navigate(url.href);
});

window.addEventListener('popstate', () => render({ focus: true }));

render({ focus: false });
