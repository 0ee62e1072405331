// Form fields with their label, hint and error message wired for assistive
// technology (label for=, aria-describedby, aria-invalid), and the display of
// a problem+json's per-field errors, and the idempotent submission of a form.
import { idempotentPost } from './api.js';
import { h, uid } from './dom.js';
import { t } from './i18n.js';

export function field({ name, label, type = 'text', required = false, hint, options, value, multiline, attrs }) {
  const id = uid(`f-${name}`);
  const errId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : null;
  let control;
  if (options) {
    control = h('select', { id, name, ...attrs }, options.map(([v, l]) => h('option', { value: v }, l)));
  } else if (multiline) {
    control = h('textarea', { id, name, rows: 7, ...attrs });
  } else {
    control = h('input', { id, name, type, ...attrs });
  }
  if (value !== undefined && value !== null) control.value = String(value);
  if (required) control.setAttribute('aria-required', 'true');
  control.setAttribute('aria-describedby', [hintId, errId].filter(Boolean).join(' '));
  return h('div', { class: 'field', 'data-field': name },
    h('label', { for: id }, label),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    control,
    h('p', { class: 'field-error', id: errId }));
}

export function checkbox({ name, label, required = false }) {
  const id = uid(`f-${name}`);
  const errId = `${id}-error`;
  const control = h('input', { id, name, type: 'checkbox', 'aria-describedby': errId });
  if (required) control.setAttribute('aria-required', 'true');
  return h('div', { class: 'field', 'data-field': name },
    h('div', { class: 'check' }, control, h('label', { for: id }, label)),
    h('p', { class: 'field-error', id: errId }));
}

export function control(form, name) {
  return form.querySelector(`[data-field="${name}"] [name="${name}"]`);
}

export function clearErrors(form, summary) {
  for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  if (summary) summary.replaceChildren();
}

// showErrors puts each message next to its field and lists them all in the
// summary (with messages for fields the form does not show), then focuses it.
export function showErrors(form, summary, fields, detail) {
  clearErrors(form, summary);
  const items = [];
  for (const [name, message] of Object.entries(fields)) {
    const c = control(form, name);
    if (c) {
      c.setAttribute('aria-invalid', 'true');
      c.closest('.field').querySelector('.field-error').textContent = message;
      // A group of choices is named by its legend, a single control by its label.
      const label = c.closest('.field').querySelector('legend, label').textContent;
      items.push(h('li', null, h('a', {
        href: `#${c.id}`,
        onclick: (e) => {
          e.preventDefault();
          c.focus();
        },
      }, t('form.error_item', { label, message }))));
    } else {
      items.push(h('li', null, message));
    }
  }
  if (!summary) return;
  summary.append(h('p', null, h('strong', null, detail || t('obs.errors'))));
  if (items.length) summary.append(h('ul', null, items));
  summary.focus();
}

export function showMessage(summary, message) {
  summary.replaceChildren(h('p', null, message));
  summary.focus();
}

// choices is a group of radios (one answer) or checkboxes (several) named
// name, in a fieldset whose legend is the question; values are checked.
export function choices({ name, label, options, multiple = false, required = false, values = [] }) {
  const id = uid(`f-${name}`);
  const errId = `${id}-error`;
  const inputs = options.map(([v, l]) => {
    const oid = uid(`${id}-o`);
    const input = h('input', { id: oid, type: multiple ? 'checkbox' : 'radio', name, value: v, 'aria-describedby': errId });
    input.checked = values.includes(v);
    return h('div', { class: 'check' }, input, h('label', { for: oid }, l));
  });
  return h('fieldset', { class: 'field choices', 'data-field': name, 'aria-required': required ? 'true' : null },
    h('legend', null, label),
    inputs,
    h('p', { class: 'field-error', id: errId }));
}

// checked returns the values ticked in the choices group name.
export function checked(form, name) {
  return [...form.querySelectorAll(`[data-field="${name}"] input:checked`)].map((i) => i.value);
}

// idempotentSubmit makes form's submit POST the body read() returns to path
// (idempotentPost: one Idempotency-Key per form fill, kept for a retry after
// a network error or a 5xx, a new one after a 4xx or a changed body).
// read() returns { body } or { missing } (field -> message, shown without a
// request); done(response, body) shows the success. While a send is under
// way the submit button is disabled and statusLine says so; an error is
// shown in summary (per field when the problem has fields; conflict, if
// given, is the message of a 409 without a detail).
export function idempotentSubmit(form, { summary, submit, statusLine, path, read, done, conflict }) {
  const post = idempotentPost(path);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form, summary);
    const { body, missing } = read();
    if (missing && Object.keys(missing).length) {
      showErrors(form, summary, missing);
      return;
    }
    submit.disabled = true;
    statusLine.textContent = t('obs.sending');
    let res;
    try {
      res = await post(body);
    } catch (err) {
      if (err?.name === 'AbortError') return;
      statusLine.textContent = '';
      submit.disabled = false;
      if (Object.keys(err.fields || {}).length) showErrors(form, summary, err.fields, err.problem?.detail);
      else if (err.status === 409 && conflict) showMessage(summary, err.problem?.detail || conflict);
      else showMessage(summary, err.status === 0 ? t('error.network') : (err.problem?.detail || t('error.generic')));
      return;
    }
    done(res, body);
  });
}
