// A registrant's private page, the link of the registration emails:
// /{lang}/registrations/{id}?token=… — status, event, code, cancellation.
// The token moves to this tab's storage and leaves the address bar (token.js).
import { h, safeHref } from '../dom.js';
import { lang, t, formatDateTime } from '../i18n.js';
import { api, query } from '../api.js';
import { takeToken, forgetToken } from '../token.js';
import { errorBox } from './shared.js';
import { kinds } from './events.js';

const statuses = {
  confirmed: ['reg.status_confirmed', 'answered'],
  waitlisted: ['reg.status_waitlisted', 'in_review'],
  cancelled: ['reg.status_cancelled', 'closed'],
};

export async function render(main, ctx) {
  ctx.setTitle(t('reg.title'));
  const box = h('div', { 'aria-live': 'polite' }, h('p', { class: 'loading' }, t('site.loading')));
  main.append(h('div', { class: 'narrow' }, h('h1', null, t('reg.title')), box));
  ctx.focusHeading();
  const id = ctx.params[0];
  const token = takeToken('registration', id, ctx);
  if (!token) {
    box.replaceChildren(invalid());
    return;
  }
  const path = `/api/registrations/${encodeURIComponent(id)}${query({ token, lang })}`;
  const show = (r, message) => box.replaceChildren(view(r, message, cancel));
  const load = async () => {
    try {
      show(await api('GET', path, { signal: ctx.signal }));
    } catch (err) {
      if (err?.name === 'AbortError') throw err;
      if (err?.status === 404) forgetToken('registration', id);
      box.replaceChildren(err?.status === 404 ? invalid() : errorBox(err, load));
    }
  };
  const cancel = async (button, statusLine) => {
    if (!window.confirm(t('reg.cancel_confirm'))) return;
    button.disabled = true;
    statusLine.textContent = t('obs.sending');
    try {
      show(await api('DELETE', path, { signal: ctx.signal }), t('reg.cancelled'));
      box.querySelector('.status-line')?.focus();
    } catch (err) {
      if (err?.name === 'AbortError') return;
      button.disabled = false;
      statusLine.textContent = err?.status === 0 ? t('error.network') : (err?.problem?.detail || t('error.generic'));
    }
  };
  await load();
}

function invalid() {
  return h('div', { class: 'alert', role: 'alert' }, h('p', null, t('reg.invalid')));
}

function view(r, message, cancel) {
  const e = r.event || {};
  const [statusKey, badgeClass] = statuses[r.status] || [null, ''];
  const place = e.online ? t('ev.online') : [e.venue?.address, e.venue?.city].filter(Boolean).join(', ');
  const rows = [
    ['reg.event', h('a', { href: `/${lang}/evenements/${encodeURIComponent(e.id || '')}` }, e.title || '')],
    ['reg.kind', kinds[e.kind] ? t(kinds[e.kind]) : e.kind],
    ['ev.date', t('ev.when', { start: formatDateTime(e.startsAt), end: formatDateTime(e.endsAt) })],
    ['ev.place', place],
    ['reg.status', h('span', { class: `badge ${badgeClass}` }, statusKey ? t(statusKey) : r.status)],
    r.status === 'waitlisted' && r.position ? ['reg.position', String(r.position)] : null,
    r.status !== 'cancelled' ? ['reg.code', h('span', { class: 'reference', 'data-code': r.code }, r.code)] : null,
    r.onlineUrl ? ['reg.online_link', h('a', { href: safeHref(r.onlineUrl), rel: 'noopener noreferrer', class: 'ltr' }, r.onlineUrl)] : null,
    ['reg.name', r.fullName],
    ['reg.created', formatDateTime(r.createdAt)],
  ].filter(Boolean);
  const statusLine = h('p', { class: 'status-line', role: 'status', tabindex: '-1' }, message || '');
  const out = [h('dl', { class: 'facts' }, rows.map(([k, v]) => [h('dt', null, t(k)), h('dd', null, v)])), statusLine];
  if (r.status !== 'cancelled') {
    const button = h('button', { type: 'button', class: 'danger' }, t('reg.cancel'));
    button.addEventListener('click', () => cancel(button, statusLine));
    out.push(h('p', null, t('reg.cancel_help')), h('div', { class: 'button-row' }, button));
  }
  return h('div', null, out);
}
