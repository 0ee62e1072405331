// The private links of the emails (…?token=…) open a person's own record:
// a candidacy, an observation's follow-up, a registration. The page reads
// the token once, keeps it for this tab only (sessionStorage) and takes it
// out of the address bar, so that history, bookmarks, screenshots and
// shared screens do not show it; a reload, or the other language in the
// same tab, finds it again.
import { lang, otherLang } from './i18n.js';

const storageKey = (kind, id) => `espaceosc.${kind}.${id}`;

// takeToken returns the token of the record kind/id: the link's, which it
// then keeps and removes from the address, or the one this tab kept.
export function takeToken(kind, id, ctx) {
  const fromLink = ctx.query.get('token');
  if (fromLink) {
    try {
      sessionStorage.setItem(storageKey(kind, id), fromLink);
    } catch {
      return fromLink; // no storage (a browser setting): the address keeps it
    }
    const url = new URL(location.href);
    url.searchParams.delete('token');
    history.replaceState(null, '', url.pathname + url.search + url.hash);
    const sw = document.getElementById('lang-switch');
    if (sw) sw.setAttribute('href', `/${otherLang}${url.pathname.slice(lang.length + 1)}${url.search}`);
    return fromLink;
  }
  try {
    return sessionStorage.getItem(storageKey(kind, id)) || '';
  } catch {
    return '';
  }
}

// forgetToken drops a token the API no longer accepts.
export function forgetToken(kind, id) {
  try {
    sessionStorage.removeItem(storageKey(kind, id));
  } catch {
    // nothing kept
  }
}
