// Events in the administration: the list (drafts too), the bilingual form
// with its custom questions, publication, cancellation (every registrant is
// emailed), registrations by status, check-in at the door and the CSV export.
import { h } from '../dom.js';
import { lang, t, formatDateTime } from '../i18n.js';
import { query } from '../api.js';
import { field, checkbox, control } from '../forms.js';
import {
  editor, failure, statusLine, pager, pair, repeater, input, uniqueIDs,
  toCasablancaInput, fromCasablancaInput, download, confirmDialog,
} from './admin-kit.js';

const kinds = { workshop: 'admev.kind_workshop', training: 'admev.kind_training', webinar: 'admev.kind_webinar', meeting: 'admev.kind_meeting' };
const eventStatuses = { draft: 'admev.status_draft', published: 'admev.status_published', cancelled: 'admev.status_cancelled' };
const regStatuses = { confirmed: 'admev.reg_confirmed', waitlisted: 'admev.reg_waitlisted', cancelled: 'admev.reg_cancelled' };
const questionTypes = {
  short_text: 'admev.q_short_text', long_text: 'admev.q_long_text',
  single_choice: 'admev.q_single_choice', multiple_choice: 'admev.q_multiple_choice',
};

const local = (text) => (text ? text[lang] || text.fr || text.ar || '' : '');

export async function eventsPanel(panel, call) {
  const line = statusLine();
  const formBox = h('div');
  const list = h('ul', { class: 'news-list' });
  const create = h('button', { type: 'button' }, t('admev.new'));
  const { load, more } = pager(list, (cursor) => call('GET', `/api/admin/events${query({ cursor })}`), (ev) => row(ev), line);
  panel.replaceChildren(h('div', { class: 'button-row' }, create), formBox, line, list, more);

  const act = async (fn, message) => {
    line.textContent = '';
    try {
      const res = await fn();
      line.textContent = typeof message === 'function' ? message(res) : message;
      await load(true);
    } catch (err) {
      failure(line, err);
    }
  };

  const open = (ev) => {
    const form = eventForm(ev);
    const save = (body) => (ev
      ? call('PUT', `/api/admin/events/${encodeURIComponent(ev.id)}`, body)
      : call('POST', '/api/admin/events', body));
    editor(formBox, t(ev ? 'admev.edit' : 'admev.new'), form.fields, form.read, save, () => {
      line.textContent = t('admin.saved');
      load(true);
    });
  };

  const row = (ev) => {
    const path = `/api/admin/events/${encodeURIComponent(ev.id)}`;
    const detail = h('div', { class: 'row-detail' });
    const title = local(ev.title);
    const buttons = [];
    if (ev.status !== 'cancelled') buttons.push(h('button', { type: 'button', class: 'secondary', onclick: () => open(ev) }, t('admin.edit')));
    if (ev.status === 'draft') {
      buttons.push(h('button', { type: 'button', onclick: () => act(() => call('POST', `${path}/publish`), t('admev.published')) }, t('admin.publish')));
    }
    buttons.push(
      h('button', { type: 'button', class: 'secondary', onclick: () => registrations(detail, call, ev) }, t('admev.registrations')),
      ev.status === 'published' ? h('button', { type: 'button', class: 'secondary', onclick: () => checkIn(detail, call, ev) }, t('admev.checkin')) : null,
      h('button', {
        type: 'button', class: 'secondary',
        onclick: async () => {
          try {
            download(detail, await call('POST', `${path}/exports`), 'admev.export_open');
          } catch (err) {
            failure(line, err);
          }
        },
      }, t('admev.export')));
    if (ev.status !== 'cancelled') {
      buttons.push(h('button', {
        type: 'button', class: 'danger',
        onclick: () => {
          if (confirmDialog(t('admev.confirm_cancel', { title, count: ev.confirmed + ev.waitlisted }))) {
            act(() => call('POST', `${path}/cancel`), (res) => t('admev.cancelled', { count: res?.notification?.recipients ?? 0 }));
          }
        },
      }, t('admev.cancel')));
    }
    return h('li', { class: 'card admin-row', 'data-event': ev.id },
      h('span', { class: 'title', dir: 'auto' }, title),
      h('span', { class: 'meta' },
        h('span', { class: `badge ${ev.status}` }, eventStatuses[ev.status] ? t(eventStatuses[ev.status]) : ev.status), ' ',
        h('span', { class: 'badge' }, kinds[ev.kind] ? t(kinds[ev.kind]) : ev.kind), ' ',
        formatDateTime(ev.startsAt), ' · ', h('span', { class: 'ltr' }, ev.id)),
      h('span', { class: 'meta' }, t('admev.counts', {
        confirmed: ev.confirmed ?? 0, capacity: ev.capacity ?? 0, waitlisted: ev.waitlisted ?? 0, attended: ev.attended ?? 0,
      })),
      h('div', { class: 'button-row' }, buttons),
      detail);
  };

  create.addEventListener('click', () => open(null));
  await load(true);
}

// eventForm returns the fields of an event and how to read them into the
// API's body (times entered in Casablanca time, sent in UTC).
function eventForm(ev) {
  const questions = repeater({
    name: 'questions', legend: t('admev.question'), addLabel: t('admev.question_add'), removeLabel: t('admev.question_remove'),
    items: ev?.questions || [], build: questionRow,
  });
  const fields = [
    ev ? null : field({ name: 'id', label: t('admev.id'), hint: t('admev.id_hint'), attrs: { dir: 'ltr', maxlength: 64 } }),
    field({ name: 'kind', label: t('admev.kind'), options: Object.entries(kinds).map(([v, k]) => [v, t(k)]), value: ev?.kind || 'workshop' }),
    pair('title', t('admin.title_fr'), t('admin.title_ar'), ev?.title, { required: true }),
    pair('description', t('admev.desc_fr'), t('admev.desc_ar'), ev?.description, { multiline: true, maxlength: 5000, rows: 5 }),
    h('p', { class: 'hint' }, t('admev.time_hint')),
    field({ name: 'startsAt', label: t('admev.starts'), type: 'datetime-local', required: true, value: toCasablancaInput(ev?.startsAt) }),
    field({ name: 'endsAt', label: t('admev.ends'), type: 'datetime-local', required: true, value: toCasablancaInput(ev?.endsAt) }),
    checkbox({ name: 'online', label: t('admev.online') }),
    field({ name: 'onlineUrl', label: t('admev.online_url'), type: 'url', hint: t('admev.online_url_hint'), value: ev?.onlineUrl, attrs: { dir: 'ltr', maxlength: 500 } }),
    field({ name: 'venue.address', label: t('admev.address'), value: ev?.venue?.address, attrs: { maxlength: 300, dir: 'auto' } }),
    field({ name: 'venue.city', label: t('admev.city'), value: ev?.venue?.city, attrs: { maxlength: 100, dir: 'auto' } }),
    field({ name: 'venue.region', label: t('admev.region'), value: ev?.venue?.region, attrs: { maxlength: 100, dir: 'auto' } }),
    field({ name: 'capacity', label: t('admev.capacity'), type: 'number', required: true, value: ev?.capacity ?? '', attrs: { min: 1, step: 1, inputmode: 'numeric' } }),
    field({ name: 'waitlistSize', label: t('admev.waitlist'), type: 'number', hint: t('admev.waitlist_hint'), value: ev?.waitlistSize ?? 0, attrs: { min: 0, step: 1, inputmode: 'numeric' } }),
    field({ name: 'registrationOpensAt', label: t('admev.reg_opens'), type: 'datetime-local', required: true, value: toCasablancaInput(ev?.registrationOpensAt) }),
    field({ name: 'registrationClosesAt', label: t('admev.reg_closes'), type: 'datetime-local', required: true, value: toCasablancaInput(ev?.registrationClosesAt) }),
    field({ name: 'reminderHours', label: t('admev.reminder'), type: 'number', hint: t('admev.reminder_hint'), value: ev?.reminderHours ?? 48, attrs: { min: 0, max: 720, step: 1, inputmode: 'numeric' } }),
    questions.el,
  ];
  const online = fields.find((f) => f?.dataset?.field === 'online').querySelector('input');
  online.checked = Boolean(ev?.online);
  const read = (form) => {
    const v = (n) => control(form, n).value.trim();
    const num = (n) => (v(n) === '' ? undefined : Number(v(n)));
    const body = {
      kind: v('kind'),
      title: { fr: v('title.fr'), ar: v('title.ar') },
      startsAt: fromCasablancaInput(v('startsAt')),
      endsAt: fromCasablancaInput(v('endsAt')),
      online: control(form, 'online').checked,
      capacity: num('capacity'),
      waitlistSize: num('waitlistSize') ?? 0,
      registrationOpensAt: fromCasablancaInput(v('registrationOpensAt')),
      registrationClosesAt: fromCasablancaInput(v('registrationClosesAt')),
      reminderHours: num('reminderHours'),
      questions: uniqueIDs(questions.read(), (q) => q.label.fr, 'q'),
    };
    if (!ev && v('id')) body.id = v('id');
    if (v('description.fr') || v('description.ar')) body.description = { fr: v('description.fr'), ar: v('description.ar') };
    if (v('onlineUrl')) body.onlineUrl = v('onlineUrl');
    if (v('venue.address') || v('venue.city') || v('venue.region')) {
      body.venue = { address: v('venue.address'), city: v('venue.city') };
      if (v('venue.region')) body.venue.region = v('venue.region');
    }
    return body;
  };
  return { fields, read };
}

// questionRow edits one custom question: its type, its label in both
// languages, whether it is required and, for choices, its options.
function questionRow(q) {
  const type = input(t('admev.q_type'), { options: Object.entries(questionTypes).map(([v, k]) => [v, t(k)]), value: q?.type || 'short_text', attrs: { 'data-q': 'type' } });
  const fr = input(t('admev.label_fr'), { value: q?.label?.fr, attrs: { lang: 'fr', dir: 'ltr', maxlength: 200, 'data-q': 'label-fr' } });
  const ar = input(t('admev.label_ar'), { value: q?.label?.ar, attrs: { lang: 'ar', dir: 'rtl', maxlength: 200, 'data-q': 'label-ar' } });
  const required = input(t('admev.q_required'), { type: 'checkbox', value: q?.required, attrs: { 'data-q': 'required' } });
  const options = repeater({
    name: 'options', legend: t('admev.option'), addLabel: t('admev.option_add'), removeLabel: t('admev.option_remove'),
    items: q?.options || [],
    build: (o) => {
      const ofr = input(t('admev.label_fr'), { value: o?.label?.fr, attrs: { lang: 'fr', dir: 'ltr', maxlength: 200, 'data-o': 'label-fr' } });
      const oar = input(t('admev.label_ar'), { value: o?.label?.ar, attrs: { lang: 'ar', dir: 'rtl', maxlength: 200, 'data-o': 'label-ar' } });
      return {
        el: h('div', { class: 'pair' }, ofr.el, oar.el),
        read: () => ({ id: o?.id || '', label: { fr: ofr.c.value.trim(), ar: oar.c.value.trim() } }),
      };
    },
  });
  const choice = () => type.c.value === 'single_choice' || type.c.value === 'multiple_choice';
  const sync = () => { options.el.hidden = !choice(); };
  type.c.addEventListener('change', sync);
  sync();
  return {
    el: h('div', null, type.el, h('div', { class: 'pair' }, fr.el, ar.el), required.el, options.el),
    read: () => {
      const out = { id: q?.id || '', type: type.c.value, label: { fr: fr.c.value.trim(), ar: ar.c.value.trim() }, required: required.c.checked };
      if (choice()) out.options = uniqueIDs(options.read(), (o) => o.label.fr, 'o');
      return out;
    },
  };
}

// registrations lists an event's registrations of one status, by pages.
function registrations(box, call, ev) {
  const line = statusLine();
  const filter = field({ name: 'regstatus', label: t('admin.filter_status'), options: Object.entries(regStatuses).map(([v, k]) => [v, t(k)]) });
  const select = filter.querySelector('select');
  const list = h('ul', { class: 'news-list' });
  const path = `/api/admin/events/${encodeURIComponent(ev.id)}/registrations`;
  const { load, more } = pager(list, (cursor) => call('GET', `${path}${query({ status: select.value, cursor, limit: 50 })}`), regRow, line);
  const close = h('button', { type: 'button', class: 'secondary' }, t('admev.close_panel'));
  close.addEventListener('click', () => box.replaceChildren());
  box.replaceChildren(h('section', { class: 'panel', 'aria-label': t('admev.registrations') },
    h('h3', null, t('admev.registrations')), filter, line, list, more, h('div', { class: 'button-row' }, close)));
  select.addEventListener('change', () => load(true));
  select.focus();
  load(true);
}

function regRow(r) {
  const answers = Object.entries(r.answers || {}).map(([k, v]) => `${k} : ${[].concat(v).join(', ')}`);
  return h('li', { class: 'card admin-row' },
    h('span', { class: 'title', dir: 'auto' }, r.fullName),
    h('span', { class: 'meta' },
      h('span', { class: `badge ${r.status}` }, regStatuses[r.status] ? t(regStatuses[r.status]) : r.status), ' ',
      r.status === 'waitlisted' && r.position ? [t('admev.position', { position: r.position }), ' · '] : null,
      h('span', { class: 'ltr' }, r.code), ' · ', h('span', { class: 'ltr' }, r.email),
      r.organisation ? [' · ', h('span', { dir: 'auto' }, r.organisation)] : null),
    r.checkedInAt ? h('span', { class: 'meta' }, t('admev.present_at', { date: formatDateTime(r.checkedInAt) })) : null,
    answers.length ? h('span', { class: 'meta', dir: 'auto' }, answers.join(' · ')) : null);
}

// checkIn is the door: one big field for the code, the answer read aloud.
function checkIn(box, call, ev) {
  const result = h('div', { class: 'checkin-result', role: 'status', 'aria-live': 'polite' });
  const code = field({ name: 'code', label: t('admev.code'), hint: t('admev.code_hint'),
    attrs: { class: 'big-input', dir: 'ltr', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', enterkeyhint: 'go', maxlength: 20 } });
  const form = h('form', { class: 'panel checkin', novalidate: true },
    h('h3', null, t('admev.checkin_title', { title: local(ev.title) })), code,
    h('div', { class: 'button-row' }, h('button', { type: 'submit', class: 'big' }, t('admev.checkin_go'))), result);
  const close = h('button', { type: 'button', class: 'secondary' }, t('admev.close_panel'));
  close.addEventListener('click', () => box.replaceChildren());
  box.replaceChildren(form, h('div', { class: 'button-row' }, close));
  const c = control(form, 'code');
  c.focus();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const value = c.value.trim();
    if (!value) return;
    try {
      const res = await call('POST', `/api/admin/events/${encodeURIComponent(ev.id)}/checkins`, { code: value });
      result.className = 'checkin-result success';
      result.replaceChildren(h('strong', null, t('admev.checkin_ok', { name: res?.fullName || '' })), ' ',
        t('admev.attended', { count: res?.attended ?? 0 }));
      c.value = '';
    } catch (err) {
      if (err?.name === 'AbortError' || err?.status === 401 || err?.status === 403) return;
      result.className = 'checkin-result alert';
      const key = { 409: 'admev.checkin_twice', 404: 'admev.checkin_unknown' }[err.status];
      result.replaceChildren(h('strong', null, key ? t(key) : t('error.generic')), ' ', err.problem?.detail || '');
    }
    c.select();
    c.focus();
  });
}
