// The proposal / observation form, with the loi 09-08 notice and consent.
import { h, paragraphs } from '../dom.js';
import { lang, t } from '../i18n.js';
import { api, query } from '../api.js';
import { field, checkbox, control, idempotentSubmit } from '../forms.js';

export const topics = [
  ['action_plan', 'topic.action_plan'],
  ['open_data', 'topic.open_data'],
  ['participation', 'topic.participation'],
  ['transparency', 'topic.transparency'],
  ['integrity', 'topic.integrity'],
  ['portal', 'topic.portal'],
  ['other', 'topic.other'],
];

const required = ['topic', 'subject', 'message', 'name', 'email'];

export async function render(main, ctx) {
  ctx.setTitle(t('obs.title'));
  const wrap = h('div', { class: 'narrow' });
  main.append(wrap);
  showForm(wrap, ctx);
  ctx.focusHeading();
}

function showForm(wrap, ctx) {
  const summary = h('div', { class: 'alert', role: 'alert', tabindex: '-1' });
  const notice = h('section', { class: 'notice-box', 'aria-labelledby': 'notice-title' },
    h('h2', { id: 'notice-title' }, t('obs.notice')),
    h('div', { 'aria-live': 'polite' }, h('p', { class: 'loading' }, t('site.loading'))));
  const submit = h('button', { type: 'submit' }, t('obs.submit'));
  const form = h('form', { novalidate: true, 'aria-labelledby': 'obs-title' },
    summary,
    field({ name: 'topic', label: t('obs.topic'), required: true,
      options: [['', t('obs.topic_choose')], ...topics.map(([v, k]) => [v, t(k)])] }),
    field({ name: 'subject', label: t('obs.subject'), required: true, attrs: { maxlength: 200, dir: 'auto' } }),
    field({ name: 'message', label: t('obs.message'), required: true, multiline: true, attrs: { maxlength: 5000, dir: 'auto' } }),
    field({ name: 'name', label: t('obs.name'), required: true, attrs: { autocomplete: 'name', maxlength: 120, dir: 'auto' } }),
    field({ name: 'email', label: t('obs.email'), type: 'email', required: true,
      attrs: { autocomplete: 'email', maxlength: 254, dir: 'ltr', inputmode: 'email' } }),
    field({ name: 'organisation', label: t('obs.organisation'), attrs: { autocomplete: 'organization', maxlength: 200, dir: 'auto' } }),
    notice,
    checkbox({ name: 'consent', label: t('obs.consent'), required: true }),
    h('div', { class: 'button-row' }, submit),
    h('p', { class: 'status-line', role: 'status' }));
  wrap.replaceChildren(h('h1', { id: 'obs-title' }, t('obs.title')), h('p', null, t('obs.intro')), form);
  loadNotice(notice.lastChild, ctx);

  // One Idempotency-Key per form fill: a retry cannot create a second observation.
  idempotentSubmit(form, {
    summary, submit, statusLine: form.querySelector('.status-line'), path: '/api/observations',
    read: () => {
      const body = {
        topic: control(form, 'topic').value,
        subject: control(form, 'subject').value.trim(),
        message: control(form, 'message').value.trim(),
        name: control(form, 'name').value.trim(),
        email: control(form, 'email').value.trim(),
        lang,
        consent: control(form, 'consent').checked,
      };
      const org = control(form, 'organisation').value.trim();
      if (org) body.organisation = org;
      const missing = {};
      for (const f of required) if (!body[f]) missing[f] = t('obs.required');
      if (!body.consent) missing.consent = t('obs.consent_required');
      return { body, missing };
    },
    done: (res) => showSuccess(wrap, ctx, res),
  });
}

async function loadNotice(box, ctx) {
  try {
    const n = await api('GET', `/api/notice${query({ lang })}`, { signal: ctx.signal });
    box.replaceChildren(
      n.controller ? h('p', null, h('strong', null, n.controller)) : null,
      ...paragraphs(n.text),
      h('p', { class: 'meta' }, t('obs.notice_number', { number: n.cndpNumber || '', version: n.version || '' })));
  } catch (err) {
    if (err?.name === 'AbortError') return;
    box.replaceChildren(h('p', { class: 'field-error' }, t('obs.notice_error')));
  }
}

function showSuccess(wrap, ctx, res) {
  const again = h('button', { type: 'button', class: 'secondary' }, t('obs.another'));
  const heading = h('h1', { tabindex: '-1' }, t('obs.success_title'));
  wrap.replaceChildren(h('div', { class: 'success', role: 'status' },
    heading,
    h('p', null, t('obs.success', { reference: res.reference })),
    h('p', { class: 'reference', 'data-reference': res.reference }, res.reference)),
  h('div', { class: 'button-row' }, again));
  again.addEventListener('click', () => {
    showForm(wrap, ctx);
    wrap.querySelector('h1').setAttribute('tabindex', '-1');
    wrap.querySelector('h1').focus();
  });
  heading.focus();
}
