// The association's private candidacy page, the link of the calls emails:
// /{lang}/candidatures/{id}?token=… The token moves to sessionStorage (this
// tab only) and leaves the address bar; a reload finds it there (token.js).
// Draft editing (a GT call's working groups included), documents uploaded
// straight to S3 (presigned POST, with its progress), submission (what is
// missing named and linked), withdrawal.
import { h, paragraphs } from '../dom.js';
import { lang, t, formatDateTime } from '../i18n.js';
import { api, query, ApiError } from '../api.js';
import { clearErrors, control, showErrors, showMessage } from '../forms.js';
import { takeToken, forgetToken } from '../token.js';
import { errorBox } from './shared.js';
import { callKinds, candidacyFields, readCandidacy, missingDraftFields, megabytes, areaKeys } from './calls.js';

// fileSize shows a verified file's size in Mo, or Ko below one Mo.
function fileSize(n) {
  if (n >= 1048576) return t('cand.doc_size', { size: megabytes(n) });
  return t('cand.doc_size_kb', { size: Math.max(1, Math.round(n / 1024)).toLocaleString(lang === 'ar' ? 'ar-MA' : 'fr-MA') });
}

const pollEveryMs = 1000;
const pollForMs = 90000;

const statuses = {
  draft: ['cand.status_draft', 'draft'],
  submitted: ['cand.status_submitted', 'answered'],
  withdrawn: ['cand.status_withdrawn', 'closed'],
};
const docStatuses = {
  missing: ['cand.doc_missing', 'closed'],
  pending: ['cand.doc_pending', 'in_review'],
  verified: ['cand.doc_verified', 'answered'],
  rejected: ['cand.doc_rejected', 'draft'],
};

export async function render(main, ctx) {
  ctx.setTitle(t('cand.space_title'));
  const id = ctx.params[0];
  const box = h('div', { 'aria-live': 'polite' }, h('p', { class: 'loading' }, t('site.loading')));
  main.append(h('div', { class: 'narrow' }, h('h1', null, t('cand.space_title')), box));
  ctx.focusHeading();
  const token = takeToken('candidacy', id, ctx);
  if (!token) {
    box.replaceChildren(invalid());
    return;
  }
  const base = `/api/candidacies/${encodeURIComponent(id)}`;
  const call = (method, path, body) => api(method, `${base}${path}${query({ lang })}`, { body, token, signal: ctx.signal });
  const load = async () => {
    try {
      const c = await call('GET', '');
      box.removeAttribute('aria-live');
      box.replaceChildren(workspace(c, call, load, ctx));
    } catch (err) {
      if (err?.name === 'AbortError') throw err;
      if (err?.status === 404) forgetToken('candidacy', id);
      box.replaceChildren(err?.status === 404 ? invalid() : errorBox(err, load));
    }
  };
  await load();
}

function invalid() {
  return h('div', { class: 'alert', role: 'alert' }, h('p', null, t('cand.invalid')));
}

function badge([key, cls], fallback) {
  return h('span', { class: `badge ${cls || ''}` }, key ? t(key) : fallback);
}

function workspace(c, call, reload, ctx) {
  const editable = c.status === 'draft' && c.call?.accepting;
  const status = h('p', { class: 'status-line', role: 'status', tabindex: '-1' });
  const head = h('dl', { class: 'facts' },
    h('dt', null, t('cand.call')), h('dd', null,
      h('a', { href: `/${lang}/candidatures/appels/${encodeURIComponent(c.call?.id || '')}` }, c.call?.title || ''),
      ' ', h('span', { class: 'badge' }, callKinds[c.call?.kind] ? t(callKinds[c.call.kind]) : c.call?.kind)),
    h('dt', null, t('reg.status')), h('dd', { 'data-status': c.status }, badge(statuses[c.status] || [], c.status)),
    c.reference ? [h('dt', null, t('cand.reference')), h('dd', null, h('span', { class: 'reference', 'data-reference': c.reference }, c.reference))] : null,
    c.submittedAt ? [h('dt', null, t('cand.submitted_at')), h('dd', null, formatDateTime(c.submittedAt))] : null,
    c.withdrawnAt ? [h('dt', null, t('cand.withdrawn_at')), h('dd', null, formatDateTime(c.withdrawnAt))] : null,
    h('dt', null, t('cand.deadline')), h('dd', null, formatDateTime(c.call?.closesAt)));
  const parts = [head, status];
  if (c.status === 'submitted') parts.push(h('div', { class: 'success' }, h('p', null, t('cand.submitted_text', { reference: c.reference }))));
  if (c.status === 'withdrawn') parts.push(h('p', { class: 'notice-box' }, t('cand.withdrawn_text')));
  if (c.status === 'draft' && !c.call?.accepting) parts.push(h('p', { class: 'notice-box' }, t('cand.not_accepting_text')));

  const docs = documentsSection(c, call, editable, status);
  if (editable) {
    const { section, form } = draftForm(c, call, status);
    parts.push(section, docs, submitSection(c, call, form, docs, reload, status));
  } else {
    parts.push(readOnly(c), docs);
  }
  if (c.status !== 'withdrawn' && c.call?.accepting) parts.push(withdrawSection(call, reload, status));
  return h('div', null, parts);
}

// ------------------------------------------------------------------ draft
function draftForm(c, call, status) {
  const summary = h('div', { class: 'alert', role: 'alert', tabindex: '-1' });
  const save = h('button', { type: 'submit', class: 'secondary' }, t('cand.save'));
  const form = h('form', { novalidate: true, 'aria-labelledby': 'draft-title' },
    summary, candidacyFields(c.call, c), h('div', { class: 'button-row' }, save));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form, summary);
    const body = readCandidacy(form, c.call);
    const missing = missingDraftFields(body);
    if (Object.keys(missing).length) {
      showErrors(form, summary, missing);
      return;
    }
    save.disabled = true;
    status.textContent = t('obs.sending');
    try {
      await call('PATCH', '', body);
      status.textContent = t('cand.saved');
    } catch (err) {
      if (err?.name === 'AbortError') return;
      status.textContent = '';
      if (Object.keys(err.fields || {}).length) showErrors(form, summary, err.fields, err.problem?.detail);
      else showMessage(summary, err.status === 0 ? t('error.network') : (err.problem?.detail || t('error.generic')));
    }
    save.disabled = false;
  });
  const section = h('section', { class: 'panel', 'aria-labelledby': 'draft-title' },
    h('h2', { id: 'draft-title' }, t('cand.draft_title')), h('p', null, t('cand.draft_help')), form);
  return { section, form };
}

function readOnly(c) {
  const a = c.association || {};
  const r = c.representative || {};
  const rows = [
    ['cand.a_name', a.name], ['cand.a_email', a.email], ['cand.a_city', a.city],
    ['cand.representative', [r.name, r.role].filter(Boolean).join(' — ')],
    ['cand.areas', (c.thematicAreas || []).map((k) => (areaKeys[k] ? t(areaKeys[k]) : k)).join(', ')],
  ].filter(([, v]) => v);
  return h('section', { class: 'panel', 'aria-labelledby': 'ro-title' },
    h('h2', { id: 'ro-title' }, t('cand.association')),
    h('dl', { class: 'facts' }, rows.map(([k, v]) => [h('dt', null, t(k)), h('dd', { dir: 'auto' }, v)])),
    c.motivation ? [h('h3', null, t('cand.motivation')), h('div', { dir: 'auto' }, paragraphs(c.motivation))] : null);
}

// ------------------------------------------------------------------ documents
function documentsSection(c, call, editable, status) {
  const list = h('ul', { class: 'news-list docs' }, (c.documents || []).map((d) => documentItem(d, call, editable)));
  return h('section', { 'aria-labelledby': 'docs-title' },
    h('h2', { id: 'docs-title' }, t('cand.documents')),
    editable ? h('p', null, t('cand.docs_help')) : null,
    list);
}

function docState(d) {
  return [
    badge(docStatuses[d.status] || [], d.status),
    d.status === 'verified' && d.size ? h('span', { class: 'meta', 'data-size': d.size }, ' ', fileSize(d.size)) : null,
    d.replacementPending ? h('span', { class: 'meta' }, ' ', t('cand.doc_replacing')) : null,
    d.reason ? h('p', { class: 'field-error' }, t('cand.doc_reason', { reason: d.reason })) : null,
  ];
}

function documentItem(d, call, editable) {
  const state = h('div', { class: 'doc-state', 'data-doc-status': d.status }, docState(d));
  const li = h('li', { class: 'card doc', 'data-doc': d.type },
    h('h3', null, d.label, ' ', h('span', { class: 'meta' }, t(d.required ? 'cand.doc_required' : 'cand.doc_optional'))),
    h('p', { class: 'meta' }, t('cand.doc_max', { size: megabytes(d.maxBytes) })),
    state);
  if (!editable) return li;
  const inputId = `doc-${d.type}`;
  const lineId = `${inputId}-status`;
  const input = h('input', { id: inputId, type: 'file', accept: 'application/pdf,.pdf', 'aria-describedby': lineId });
  const button = h('button', { type: 'button', class: 'secondary' }, t('cand.upload'));
  const line = h('p', { class: 'status-line', id: lineId, role: 'status' });
  const progress = uploadProgress(inputId);
  button.addEventListener('click', () => upload(d, input, button, line, state, call, progress));
  li.append(
    h('div', { class: 'field' }, h('label', { for: inputId }, t(d.status === 'verified' ? 'cand.choose_replacement' : 'cand.choose_file', { label: d.label })), input),
    h('div', { class: 'button-row' }, button),
    progress.el,
    line);
  return li;
}

// uploadProgress is a document's progress bar and its figures (bytes sent
// of the file's size, and the percentage), hidden until an upload starts.
// The figures are not a live region: the status line announces the steps
// (sending, received, checked), the bar and its text show the rest.
function uploadProgress(inputId) {
  const textId = `${inputId}-progress`;
  const bar = h('progress', { max: 100, value: 0, 'aria-labelledby': textId });
  const text = h('span', { id: textId });
  const el = h('div', { class: 'upload-progress', 'data-progress': '0' }, bar, ' ', text);
  el.hidden = true;
  let shown = -1;
  return {
    el,
    // set shows sent of size bytes (sent is the file's share of the
    // request body's bytes the browser reports sent).
    set(sent, size) {
      const percent = size > 0 ? Math.min(100, Math.floor((sent / size) * 100)) : 0;
      el.hidden = false;
      if (percent === shown) return;
      shown = percent;
      bar.value = percent;
      el.setAttribute('data-progress', String(percent));
      text.textContent = t('cand.upload_progress', { sent: amount(Math.min(sent, size)), size: amount(size), percent });
    },
    reset() {
      shown = -1;
      el.hidden = true;
      bar.value = 0;
      el.setAttribute('data-progress', '0');
      text.textContent = '';
    },
  };
}

// amount writes a number of bytes in Mo (one decimal), or Ko below one Mo.
function amount(n) {
  if (n >= 1048576) return t('cand.size_mb', { size: megabytes(n) });
  return t('cand.size_kb', { size: Math.round(n / 1024).toLocaleString(lang === 'ar' ? 'ar-MA' : 'fr-MA') });
}

// postForm posts a presigned form to S3 with XMLHttpRequest, whose upload
// reports its progress (fetch cannot): onProgress(loaded, total) with the
// request body's bytes sent. It resolves with the HTTP status, or rejects
// with ApiError(0) when there is no answer.
function postForm(url, body, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(e.loaded, e.total);
    });
    // The whole body is sent (the answer may still be on its way).
    xhr.upload.addEventListener('load', () => onProgress(1, 1));
    xhr.addEventListener('load', () => resolve(xhr.status));
    xhr.addEventListener('error', () => reject(new ApiError(0, null)));
    xhr.addEventListener('abort', () => reject(new ApiError(0, null)));
    xhr.addEventListener('timeout', () => reject(new ApiError(0, null)));
    xhr.send(body);
  });
}

// upload: client-side checks, a presigned POST from the API, the file
// straight to S3 with its progress, then the API is asked until the check
// has run.
async function upload(d, input, button, line, state, call, progress) {
  const file = input.files?.[0];
  line.classList.remove('field-error');
  const fail = (message) => {
    line.textContent = message;
    line.classList.add('field-error');
    button.disabled = false;
  };
  progress.reset();
  if (!file) return fail(t('cand.file_none'));
  if (file.type !== 'application/pdf') return fail(t('cand.file_not_pdf'));
  if (file.size === 0) return fail(t('cand.file_empty'));
  if (file.size > d.maxBytes) return fail(t('cand.file_too_large', { size: megabytes(d.maxBytes) }));
  button.disabled = true;
  line.textContent = t('cand.upload_preparing');
  let form;
  try {
    form = await call('POST', '/documents', { type: d.type });
  } catch (err) {
    if (err?.name === 'AbortError') return undefined;
    return fail(err?.status === 0 ? t('error.network') : (err?.problem?.detail || t('error.generic')));
  }
  if (file.size > form.maxBytes) return fail(t('cand.file_too_large', { size: megabytes(form.maxBytes) }));
  line.textContent = t('cand.upload_sending', { name: file.name });
  const fd = new FormData();
  for (const [k, v] of Object.entries(form.fields || {})) fd.append(k, v);
  fd.append('file', file); // last: S3 ignores the fields after the file
  progress.set(0, file.size);
  try {
    // The body is the form's fields and the file: the file's share of the
    // bytes sent is shown against its size.
    const status = await postForm(form.url, fd, (loaded, total) => progress.set((loaded / total) * file.size, file.size));
    if (status < 200 || status > 299) throw new ApiError(status, null);
  } catch (err) {
    progress.reset();
    return fail(err?.status ? t('cand.upload_refused') : t('error.network'));
  }
  line.textContent = t('cand.upload_checking');
  const deadline = Date.now() + pollForMs;
  while (Date.now() < deadline) {
    await new Promise((resolve) => { setTimeout(resolve, pollEveryMs); });
    let c;
    try {
      c = await call('GET', '');
    } catch (err) {
      if (err?.name === 'AbortError') return undefined;
      continue; // a passing failure: ask again
    }
    const now = (c.documents || []).find((x) => x.type === d.type);
    if (!now || now.status === 'pending' || now.replacementPending) continue;
    state.setAttribute('data-doc-status', now.status);
    state.replaceChildren(...docState(now).filter(Boolean));
    input.value = '';
    button.disabled = false;
    if (now.status === 'verified' && !now.reason) {
      line.textContent = t('cand.upload_verified', { label: d.label });
    } else {
      fail(t('cand.doc_reason', { reason: now.reason || t('cand.doc_rejected') }));
    }
    return undefined;
  }
  button.disabled = false;
  line.textContent = t('cand.upload_slow');
  return undefined;
}

// ------------------------------------------------------------------ submit, withdraw
function submitSection(c, call, form, docs, reload, status) {
  const summary = h('div', { class: 'alert', role: 'alert', tabindex: '-1' });
  const button = h('button', { type: 'button' }, t('cand.submit'));
  button.addEventListener('click', async () => {
    summary.replaceChildren();
    if (!window.confirm(t('cand.submit_confirm'))) return;
    button.disabled = true;
    status.textContent = t('obs.sending');
    try {
      // The form's last state is saved first: what one sees is what is filed.
      const body = readCandidacy(form, c.call);
      if (!Object.keys(missingDraftFields(body)).length) await call('PATCH', '', body);
      await call('POST', '/submit');
      await reload();
      document.querySelector('[data-reference]')?.closest('dd')?.setAttribute('tabindex', '-1');
      document.querySelector('.status-line')?.focus();
    } catch (err) {
      if (err?.name === 'AbortError') return;
      status.textContent = '';
      button.disabled = false;
      missingSummary(summary, form, docs, c, err);
    }
  });
  return h('section', { class: 'panel', 'aria-labelledby': 'submit-title' },
    h('h2', { id: 'submit-title' }, t('cand.submit_title')),
    h('p', null, t('cand.submit_help')),
    summary,
    h('div', { class: 'button-row' }, button));
}

// missingSummary shows why a submission was refused: the problem's detail,
// then each missing or wrong element by name with its message, as a link
// that moves to its field (or to a document's file input, above); each
// field also shows its message beside it.
function missingSummary(summary, form, docs, c, err) {
  clearErrors(form, null);
  for (const el of docs.querySelectorAll('.doc-error')) el.remove();
  const items = [];
  for (const [name, message] of Object.entries(err.fields || {})) {
    const { target, label, holder } = locate(name, form, docs, c);
    if (!target) {
      items.push(h('li', null, message));
      continue;
    }
    if (holder) {
      // A form field: its message beside it, as the save's errors are.
      target.setAttribute('aria-invalid', 'true');
      const box = holder.querySelector('.field-error');
      if (box && !box.textContent) box.textContent = message;
    } else {
      // A document: its message in its card.
      target.closest('li.doc')?.append(h('p', { class: 'field-error doc-error' }, message));
    }
    items.push(h('li', null, h('a', {
      href: `#${target.id}`,
      'data-missing': name,
      onclick: (e) => {
        e.preventDefault();
        target.focus();
      },
    }, t('form.error_item', { label, message }))));
  }
  const detail = err.problem?.detail || (err.status === 0 ? t('error.network') : t('error.generic'));
  summary.replaceChildren(h('p', null, h('strong', null, detail)));
  if (items.length) summary.append(h('ul', null, items));
  summary.focus();
}

// locate finds what an error's field names: a control of the form (a list's
// item, "thematicAreas[1]", names the list) or a document's file input.
function locate(name, form, docs, c) {
  const doc = /^documents\.(.+)$/.exec(name);
  if (doc) {
    const d = (c.documents || []).find((x) => x.type === doc[1]);
    const target = docs.querySelector(`#${CSS.escape(`doc-${doc[1]}`)}`);
    return { target, label: d?.label || doc[1] };
  }
  const base = name.replace(/\[\d+\]$/, '');
  const target = control(form, base);
  const holder = target?.closest('.field');
  if (!target || !holder) return {};
  return { target, holder, label: holder.querySelector('legend, label').textContent };
}

function withdrawSection(call, reload, status) {
  const button = h('button', { type: 'button', class: 'danger' }, t('cand.withdraw'));
  button.addEventListener('click', async () => {
    if (!window.confirm(t('cand.withdraw_confirm'))) return;
    button.disabled = true;
    try {
      await call('POST', '/withdraw');
      await reload();
      const line = document.querySelector('.status-line');
      if (line) {
        line.textContent = t('cand.withdrawn_done');
        line.focus();
      }
    } catch (err) {
      if (err?.name === 'AbortError') return;
      button.disabled = false;
      status.textContent = err?.status === 0 ? t('error.network') : (err?.problem?.detail || t('error.generic'));
    }
  });
  return h('section', { 'aria-labelledby': 'withdraw-title' },
    h('h2', { id: 'withdraw-title' }, t('cand.withdraw_title')),
    h('p', null, t('cand.withdraw_help')),
    h('div', { class: 'button-row' }, button));
}
