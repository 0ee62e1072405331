// The evaluators' page: the candidacies assigned to the signed-in evaluator
// (group evaluators), each dossier with its documents behind 5-minute links,
// the score form generated from the call's grid, and the recusal.
import { h, paragraphs } from '../dom.js';
import { lang, t, formatDateTime } from '../i18n.js';
import { query } from '../api.js';
import { field, control, clearErrors, showErrors, showMessage } from '../forms.js';
import { signedIn } from './admin-session.js';
import {
  failure, statusLine, pager, confirmDialog, evaluationStatuses, figure, facts, sizeOf, regionName, legalFormName, areaNames,
} from './admin-kit.js';

export async function render(main, ctx) {
  ctx.setTitle(t('evalr.title'));
  const root = h('div');
  main.append(h('h1', null, t('evalr.title')), root);
  ctx.focusHeading();
  await signedIn(root, ctx, 'evaluation', (box, call) => {
    const view = h('div', { id: 'evaluation-view' });
    box.append(view);
    assignments(view, call);
  });
}

const badge = (status) => h('span', { class: `badge ${status}` }, evaluationStatuses[status] ? t(evaluationStatuses[status]) : status);

function assignments(view, call) {
  const line = statusLine();
  const list = h('ul', { class: 'news-list', id: 'assignments' });
  const { load, more } = pager(list, (cursor) => call('GET', `/api/evaluator/candidacies${query({ cursor, limit: 20 })}`), (it) => row(it), line);
  const heading = h('h2', { tabindex: '-1' }, t('evalr.assigned'));
  view.replaceChildren(heading, h('p', { class: 'hint' }, t('evalr.intro')), line, list, more);
  const row = (it) => {
    const open = h('button', { type: 'button', class: it.status === 'assigned' ? '' : 'secondary' }, t(it.status === 'assigned' ? 'evalr.evaluate' : 'admcall.open'));
    open.addEventListener('click', () => dossier(view, call, it.candidacyId, () => {
      assignments(view, call);
    }));
    return h('li', { class: 'card admin-row', 'data-candidacy': it.candidacyId },
      h('span', { class: 'title', dir: 'auto' }, it.association || '—'),
      h('span', { class: 'meta' }, badge(it.status), ' ', h('span', { class: 'ltr' }, it.reference), ' · ',
        t('evalr.assigned_at', { date: formatDateTime(it.assignedAt) }),
        it.scoredAt ? [' · ', t('evalr.scored_at', { date: formatDateTime(it.scoredAt) })] : null),
      h('div', { class: 'button-row' }, open));
  };
  load(true);
}

// dossier shows one assigned candidacy and its score form.
async function dossier(view, call, id, back) {
  const line = statusLine();
  const backBtn = h('button', { type: 'button', class: 'secondary' }, t('evalr.back'));
  backBtn.addEventListener('click', back);
  view.replaceChildren(h('div', { class: 'button-row' }, backBtn), line);
  let v;
  try {
    v = await call('GET', `/api/evaluator/candidacies/${encodeURIComponent(id)}${query({ lang })}`);
  } catch (err) {
    failure(line, err);
    return;
  }
  const a = v.association || {};
  const e = v.evaluation || {};
  const heading = h('h2', { tabindex: '-1', dir: 'auto' }, a.name || v.reference);
  const reload = () => dossier(view, call, id, back);

  const refresh = h('button', { type: 'button', class: 'secondary' }, t('evalr.refresh_links'));
  refresh.addEventListener('click', reload);
  const docs = (v.documents || []).length
    ? h('ul', { class: 'plain-list documents' }, v.documents.map((d) => h('li', null,
      d.url ? h('a', { href: d.url, target: '_blank', rel: 'noopener noreferrer' }, d.label) : h('span', null, d.label),
      d.size ? [' · ', sizeOf(d.size)] : null)))
    : h('p', null, t('evalr.no_documents'));
  const expiresAt = (v.documents || []).map((d) => d.expiresAt).find(Boolean);

  view.replaceChildren(h('div', { class: 'button-row' }, backBtn), heading, line,
    h('p', { class: 'meta' }, badge(e.status), ' ', h('span', { class: 'ltr' }, v.reference), ' · ', h('span', { dir: 'auto' }, v.call?.title || '')),
    h('section', { class: 'panel' }, h('h3', null, t('admcall.association')), facts([
      [t('admcall.acronym'), a.acronym], [t('cand.a_legal_form'), legalFormName(a.legalForm)], [t('admcall.registration'), a.registrationNumber ? h('span', { class: 'ltr' }, a.registrationNumber) : ''],
      [t('admcall.founded'), a.yearFounded], [t('admcall.city'), a.city], [t('admcall.region'), regionName(a.region)],
      [t('admcall.website'), a.website ? h('a', { href: a.website, rel: 'noopener noreferrer', target: '_blank', class: 'ltr' }, a.website) : ''],
      [t('evalr.themes'), areaNames(v.thematicAreas)],
      [t('admcall.groups'), groupNames(v)],
      [t('evalr.submitted_at'), v.submittedAt ? formatDateTime(v.submittedAt) : ''],
    ]), v.motivation ? [h('h4', null, t('admcall.motivation')), h('div', { dir: 'auto' }, paragraphs(v.motivation))] : null),
    h('section', { class: 'panel' }, h('h3', null, t('admcall.documents')),
      h('p', { class: 'hint' }, expiresAt ? t('evalr.links_until', { date: formatDateTime(expiresAt) }) : t('evalr.links_hint')),
      docs, h('div', { class: 'button-row' }, refresh)),
    scoreForm(v, call, id, line),
    e.status === 'recused' ? h('p', { class: 'alert' }, t('evalr.recused', { reason: e.reason || '' })) : recusal(call, id, reload));
  heading.focus();
}

// groupNames names the candidacy's working groups as its call does (the
// id of a group the call no longer has).
function groupNames(v) {
  const names = Object.fromEntries((v.call?.workingGroups || []).map((g) => [g.id, g.name]));
  return (v.workingGroups || []).map((g) => names[g] || g).join(', ');
}

// scoreForm is the call's grid: a score from 0 to the maximum and a comment
// for each criterion; the weighted total is shown against its maximum.
function scoreForm(v, call, id, line) {
  const e = v.evaluation || {};
  const previous = Object.fromEntries((e.scores || []).map((s) => [s.criterion, s]));
  const summary = h('div', { class: 'alert', role: 'alert', tabindex: '-1' });
  const result = h('p', { class: 'status-line', role: 'status' });
  const criteria = v.criteria || [];
  const max = criteria.reduce((n, k) => n + (Number(k.weight) || 0), 0);
  const blocks = criteria.map((k) => h('fieldset', { class: 'row-set criterion', 'data-criterion': k.id },
    h('legend', null, k.label),
    h('p', { class: 'hint' }, t('evalr.criterion_hint', { max: k.maxScore, weight: k.weight })),
    field({ name: `score.${k.id}`, label: t('evalr.score', { max: k.maxScore }), type: 'number', required: true,
      value: previous[k.id]?.score ?? '', attrs: { min: 0, max: k.maxScore, step: 1, inputmode: 'numeric', disabled: !v.canScore } }),
    field({ name: `comment.${k.id}`, label: t('evalr.comment'), multiline: true, value: previous[k.id]?.comment ?? '',
      attrs: { rows: 3, maxlength: 2000, dir: 'auto', disabled: !v.canScore } })));
  const submit = h('button', { type: 'submit', disabled: !v.canScore }, t('evalr.save'));
  const form = h('form', { class: 'panel', novalidate: true, id: 'score-form' },
    h('h3', null, t('evalr.grid')), summary,
    v.canScore ? null : h('p', { class: 'notice' }, t(e.status === 'recused' ? 'evalr.cannot_recused' : 'evalr.cannot_status')),
    blocks,
    h('p', { class: 'total-line' }, t('evalr.total', { total: figure(e.total), max })),
    h('div', { class: 'button-row' }, submit), result);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form, summary);
    result.textContent = '';
    const scores = [];
    const errors = {};
    for (const k of criteria) {
      const raw = control(form, `score.${k.id}`).value.trim();
      const n = Number(raw);
      if (raw === '' || !Number.isInteger(n) || n < 0 || n > k.maxScore) {
        errors[`score.${k.id}`] = t('evalr.score_range', { max: k.maxScore });
        continue;
      }
      const s = { criterion: k.id, score: n };
      const comment = control(form, `comment.${k.id}`).value.trim();
      if (comment) s.comment = comment;
      scores.push(s);
    }
    if (Object.keys(errors).length) {
      showErrors(form, summary, errors);
      return;
    }
    submit.disabled = true;
    try {
      const res = await call('PUT', `/api/evaluator/candidacies/${encodeURIComponent(id)}/score`, { scores });
      form.querySelector('.total-line').textContent = t('evalr.total', { total: figure(res?.total), max });
      result.textContent = t('evalr.saved');
      line.textContent = '';
    } catch (err) {
      if (err?.name === 'AbortError' || err?.status === 401 || err?.status === 403) return;
      if (Object.keys(err.fields || {}).length) showErrors(form, summary, err.fields, err.problem?.detail);
      else showMessage(summary, err.status === 0 ? t('error.network') : (err.problem?.detail || t('error.generic')));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

// recusal declares a conflict of interest, with its reason, after a confirmation.
function recusal(call, id, reload) {
  const summary = h('div', { class: 'alert', role: 'alert', tabindex: '-1' });
  const form = h('form', { novalidate: true },
    summary,
    h('p', { class: 'hint' }, t('evalr.recuse_help')),
    field({ name: 'reason', label: t('evalr.reason'), multiline: true, required: true, attrs: { rows: 3, maxlength: 1000, minlength: 3, dir: 'auto' } }),
    h('div', { class: 'button-row' }, h('button', { type: 'submit', class: 'danger' }, t('evalr.recuse'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form, summary);
    const reason = control(form, 'reason').value.trim();
    if (reason.length < 3) {
      showErrors(form, summary, { reason: t('evalr.reason_required') });
      return;
    }
    if (!confirmDialog(t('evalr.confirm_recuse'))) return;
    try {
      await call('POST', `/api/evaluator/candidacies/${encodeURIComponent(id)}/recuse`, { reason });
      reload();
    } catch (err) {
      if (err?.name === 'AbortError' || err?.status === 401 || err?.status === 403) return;
      if (Object.keys(err.fields || {}).length) showErrors(form, summary, err.fields, err.problem?.detail);
      else showMessage(summary, err.status === 0 ? t('error.network') : (err.problem?.detail || t('error.generic')));
    }
  });
  return h('details', { class: 'panel recusal' }, h('summary', null, t('evalr.recuse_title')), form);
}
