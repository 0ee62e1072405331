// The page's language (rendered by the server on <html lang>) and its strings.
import fr from './i18n/fr.js';
import ar from './i18n/ar.js';

const dictionaries = { fr, ar };

export const lang = document.documentElement.lang === 'ar' ? 'ar' : 'fr';
export const otherLang = lang === 'ar' ? 'fr' : 'ar';

// t returns the string for key in the page language, with {name}
// placeholders filled from params. Callers put the result in textContent.
// In Arabic each value is a bidi isolate (FSI … PDI), so that a reference,
// an address or a date written left to right keeps its order.
export function t(key, params) {
  let s = dictionaries[lang][key] ?? dictionaries.fr[key] ?? key;
  if (params) {
    s = s.replace(/\{(\w+)\}/g, (m, name) => (name in params ? isolate(String(params[name])) : m));
  }
  return s;
}

function isolate(v) {
  return lang === 'ar' && v ? `\u2068${v}\u2069` : v;
}

const locale = lang === 'ar' ? 'ar-MA' : 'fr-MA';
const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'Africa/Casablanca' });
const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'Africa/Casablanca' });

export function formatDate(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : dateFormat.format(d);
}

export function formatDateTime(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : dateTimeFormat.format(d);
}
