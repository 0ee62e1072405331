// Events and trainings: the upcoming list, one event with its registration
// form (custom questions, loi 09-08 notice and consent).
import { h, paragraphs } from '../dom.js';
import { lang, t, formatDateTime } from '../i18n.js';
import { api, query } from '../api.js';
import { field, checkbox, choices, checked, control, idempotentSubmit } from '../forms.js';
import { errorBox, noticeBox, pagedList } from './shared.js';

export const kinds = {
  workshop: 'ev.kind_workshop',
  training: 'ev.kind_training',
  webinar: 'ev.kind_webinar',
  meeting: 'ev.kind_meeting',
};

function when(e) {
  return t('ev.when', { start: formatDateTime(e.startsAt), end: formatDateTime(e.endsAt) });
}

function place(e) {
  if (e.online) return t('ev.online');
  const v = e.venue || {};
  return [v.address, v.city].filter(Boolean).join(', ');
}

// badges tells at a glance whether one can still register, and how.
export function badges(e) {
  const out = [];
  if (e.status === 'cancelled') out.push(h('span', { class: 'badge closed' }, t('ev.cancelled')));
  else if (!e.registrationOpen) out.push(h('span', { class: 'badge closed' }, t('ev.registration_closed')));
  else {
    out.push(h('span', { class: 'badge answered' }, t('ev.registration_open')));
    if (e.seatsLeft > 0) out.push(h('span', { class: 'badge' }, t('ev.seats_left', { count: e.seatsLeft })));
    else if (e.waitlistOpen) out.push(h('span', { class: 'badge in_review' }, t('ev.waitlist_open')));
    else out.push(h('span', { class: 'badge closed' }, t('ev.full')));
  }
  return h('p', { class: 'badges' }, out);
}

function facts(e) {
  return h('dl', { class: 'facts' },
    h('dt', null, t('ev.date')), h('dd', null, h('time', { datetime: e.startsAt }, when(e))),
    h('dt', null, t('ev.place')), h('dd', null, place(e)));
}

export const list = {
  async render(main, ctx) {
    ctx.setTitle(t('ev.title'));
    await pagedList(main, ctx, {
      heading: [h('h1', null, t('ev.title')), h('p', null, t('ev.intro'))],
      path: (cursor) => `/api/events${query({ upcoming: 'true', lang, cursor })}`,
      card: (e) => h('li', { class: 'card event-item' },
        h('span', { class: 'badge' }, kinds[e.kind] ? t(kinds[e.kind]) : e.kind),
        h('h2', null, h('a', { href: `/${lang}/evenements/${encodeURIComponent(e.id)}` }, e.title)),
        h('p', null, h('time', { datetime: e.startsAt }, when(e))),
        h('p', null, place(e)),
        badges(e)),
      emptyKey: 'ev.empty',
    });
  },
};

export const detail = {
  async render(main, ctx) {
    const id = ctx.params[0];
    const back = h('a', { class: 'back', href: `/${lang}/evenements` }, t('ev.back'));
    const box = h('div', { class: 'narrow', 'aria-live': 'polite' }, h('p', { class: 'loading' }, t('site.loading')));
    main.append(back, box);
    let e;
    try {
      e = await api('GET', `/api/events/${encodeURIComponent(id)}${query({ lang })}`, { signal: ctx.signal });
    } catch (err) {
      if (err?.name === 'AbortError') throw err;
      if (err?.status === 404) {
        ctx.setTitle(t('ev.not_found'));
        box.replaceChildren(h('h1', null, t('ev.not_found')));
      } else {
        box.replaceChildren(errorBox(err, () => { main.replaceChildren(); detail.render(main, ctx); }));
      }
      ctx.focusHeading();
      return;
    }
    ctx.setTitle(e.title);
    box.removeAttribute('aria-live');
    box.replaceChildren(
      h('span', { class: 'badge' }, kinds[e.kind] ? t(kinds[e.kind]) : e.kind),
      h('h1', null, e.title),
      facts(e),
      badges(e),
      h('div', { class: 'body' }, paragraphs(e.description)));
    const formBox = h('section', { 'aria-labelledby': 'reg-title' });
    box.append(formBox);
    if (e.registrationOpen && (e.seatsLeft > 0 || e.waitlistOpen)) registrationForm(formBox, e, ctx);
    else formBox.append(h('h2', { id: 'reg-title' }, t('ev.register')), h('p', { class: 'notice-box' }, t(e.status === 'cancelled' ? 'ev.cancelled' : 'ev.closed_text')));
    ctx.focusHeading();
  },
};

// questionField renders one custom question by its type.
function questionField(q) {
  const label = (q.label && (q.label[lang] || q.label.fr)) || q.id;
  const text = q.required ? label : t('ev.optional', { label });
  const name = `answers.${q.id}`;
  if (q.type === 'short_text') return field({ name, label: text, required: q.required, attrs: { maxlength: 200, dir: 'auto' } });
  if (q.type === 'long_text') return field({ name, label: text, required: q.required, multiline: true, attrs: { maxlength: 2000, rows: 4, dir: 'auto' } });
  const options = (q.options || []).map((o) => [o.id, (o.label && (o.label[lang] || o.label.fr)) || o.id]);
  return choices({ name, label: text, options, multiple: q.type === 'multiple_choice', required: q.required });
}

function readAnswers(form, questions) {
  const answers = {};
  for (const q of questions) {
    const name = `answers.${q.id}`;
    if (q.type === 'short_text' || q.type === 'long_text') {
      const v = control(form, name).value.trim();
      if (v) answers[q.id] = v;
    } else if (q.type === 'multiple_choice') {
      const v = checked(form, name);
      if (v.length) answers[q.id] = v;
    } else {
      const [v] = checked(form, name);
      if (v) answers[q.id] = v;
    }
  }
  return answers;
}

function registrationForm(section, e, ctx) {
  const summary = h('div', { class: 'alert', role: 'alert', tabindex: '-1' });
  const notice = noticeBox(ctx);
  const submit = h('button', { type: 'submit' }, t(e.seatsLeft > 0 ? 'ev.register' : 'ev.join_waitlist'));
  const statusLine = h('p', { class: 'status-line', role: 'status' });
  const questions = e.questions || [];
  const form = h('form', { novalidate: true, 'aria-labelledby': 'reg-title' },
    summary,
    field({ name: 'fullName', label: t('obs.name'), required: true, attrs: { autocomplete: 'name', maxlength: 120, dir: 'auto' } }),
    field({ name: 'email', label: t('obs.email'), type: 'email', required: true,
      attrs: { autocomplete: 'email', maxlength: 254, dir: 'ltr', inputmode: 'email' } }),
    field({ name: 'organisation', label: t('obs.organisation'), attrs: { autocomplete: 'organization', maxlength: 200, dir: 'auto' } }),
    field({ name: 'phone', label: t('ev.phone'), type: 'tel', attrs: { autocomplete: 'tel', maxlength: 25, dir: 'ltr', inputmode: 'tel' } }),
    questions.map(questionField),
    notice,
    checkbox({ name: 'consent', label: t('obs.consent'), required: true }),
    h('div', { class: 'button-row' }, submit),
    statusLine);
  section.replaceChildren(h('h2', { id: 'reg-title' }, t('ev.register')), h('p', null, t('ev.form_intro')), form);

  // One Idempotency-Key per form fill: a retry cannot register twice.
  idempotentSubmit(form, {
    summary, submit, statusLine, path: `/api/events/${encodeURIComponent(e.id)}/registrations`,
    read: () => {
      const body = {
        fullName: control(form, 'fullName').value.trim(),
        email: control(form, 'email').value.trim(),
        answers: readAnswers(form, questions),
        lang,
        consent: control(form, 'consent').checked,
      };
      for (const f of ['organisation', 'phone']) {
        const v = control(form, f).value.trim();
        if (v) body[f] = v;
      }
      const missing = {};
      if (!body.fullName) missing.fullName = t('obs.required');
      if (!body.email) missing.email = t('obs.required');
      for (const q of questions) if (q.required && !(q.id in body.answers)) missing[`answers.${q.id}`] = t('obs.required');
      if (!body.consent) missing.consent = t('obs.consent_required');
      return { body, missing };
    },
    done: (res) => registered(section, e, res),
    conflict: t('ev.conflict'),
  });
}

function registered(section, e, res) {
  const heading = h('h2', { id: 'reg-title', tabindex: '-1' }, t(res.status === 'waitlisted' ? 'ev.waitlisted_title' : 'ev.confirmed_title'));
  section.replaceChildren(h('div', { class: 'success', role: 'status' },
    heading,
    res.status === 'waitlisted'
      ? h('p', null, t('ev.waitlisted', { position: res.position }))
      : [h('p', null, t('ev.confirmed')), h('p', { class: 'reference', 'data-code': res.code }, res.code)],
    h('p', null, t('ev.email_sent'))));
  heading.focus();
}
