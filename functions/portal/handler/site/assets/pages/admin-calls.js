// Calls for applications in the administration: the list, the bilingual
// form (working groups, documents, scoring grid), the status steps, a call's
// candidacies with their evaluations, assignments and decisions, the
// ranking, the CSV export, the dossier ZIP and the publication of results.
import { h, paragraphs } from '../dom.js';
import { lang, t, formatDateTime } from '../i18n.js';
import { query } from '../api.js';
import { field, control, choices, checked, showMessage } from '../forms.js';
import {
  editor, failure, statusLine, pager, pair, repeater, input, uniqueIDs,
  toCasablancaInput, fromCasablancaInput, download, confirmDialog, table,
  evaluationStatuses, outcomes, figure, facts, sizeOf, regionName, legalFormName, areaNames,
} from './admin-kit.js';

const kinds = { copil: 'admcall.kind_copil', gt: 'admcall.kind_gt' };
const callStatuses = {
  draft: 'admcall.status_draft', open: 'admcall.status_open', closed: 'admcall.status_closed',
  evaluating: 'admcall.status_evaluating', results_published: 'admcall.status_results_published',
};
const candidacyStatuses = { submitted: 'admcall.cs_submitted', draft: 'admcall.cs_draft', withdrawn: 'admcall.cs_withdrawn' };
const documentStatuses = { missing: 'admcall.doc_missing', pending: 'admcall.doc_pending', verified: 'admcall.doc_verified', rejected: 'admcall.doc_rejected' };
// The one step forward from each status, its button and its confirmation
// (each is irreversible).
const nextStep = {
  draft: ['open', 'admcall.step_open', 'admcall.confirm_open'],
  open: ['closed', 'admcall.step_close', 'admcall.confirm_close'],
  closed: ['evaluating', 'admcall.step_evaluate', 'admcall.confirm_evaluate'],
};

// maxTotal is a call's perfect weighted total: the sum of its weights.
export const maxTotal = (criteria) => (criteria || []).reduce((n, k) => n + (Number(k.weight) || 0), 0);

const local = (text) => (text ? text[lang] || text.fr || text.ar || '' : '');
const badge = (table_, value, extra) => h('span', { class: `badge ${extra || value}` }, table_[value] ? t(table_[value]) : value);

export async function callsPanel(panel, call) {
  const line = statusLine();
  const formBox = h('div');
  const filter = field({ name: 'callstatus', label: t('admin.filter_status'), options: [['', t('admin.filter_all')], ...Object.entries(callStatuses).map(([v, k]) => [v, t(k)])] });
  const select = filter.querySelector('select');
  const list = h('ul', { class: 'news-list' });
  const create = h('button', { type: 'button' }, t('admcall.new'));
  const { load, more } = pager(list, (cursor) => call('GET', `/api/admin/calls${query({ status: select.value, cursor })}`), (c) => row(c), line);
  const home = h('div', null, h('div', { class: 'button-row' }, create), formBox, filter, line, list, more);
  const sub = h('div');
  panel.replaceChildren(home, sub);

  // A call's sub-views (candidacies, ranking) replace the list until "back".
  const open = (build) => {
    home.hidden = true;
    const back = h('button', { type: 'button', class: 'secondary back-button' }, t('admcall.back_calls'));
    // The list is still current: these views change no call.
    back.addEventListener('click', () => {
      sub.replaceChildren();
      home.hidden = false;
    });
    const box = h('div');
    sub.replaceChildren(h('div', { class: 'button-row' }, back), box);
    build(box);
    back.focus();
  };

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

  const edit = (c) => {
    const form = callForm(c);
    const save = (body) => (c
      ? call('PUT', `/api/admin/calls/${encodeURIComponent(c.id)}`, body)
      : call('POST', '/api/admin/calls', body));
    editor(formBox, t(c ? 'admcall.edit' : 'admcall.new'), form.fields, form.read, save, () => {
      line.textContent = t('admin.saved');
      load(true);
    });
  };

  const row = (c) => {
    const path = `/api/admin/calls/${encodeURIComponent(c.id)}`;
    const detail = h('div', { class: 'row-detail' });
    const title = local(c.title);
    const step = nextStep[c.status];
    const buttons = [
      c.status === 'draft' || c.status === 'open' ? h('button', { type: 'button', class: 'secondary', onclick: () => edit(c) }, t('admin.edit')) : null,
      step ? h('button', {
        type: 'button', 'data-step': step[0],
        onclick: () => {
          if (confirmDialog(t(step[2], { title }))) act(() => call('POST', `${path}/status`, { status: step[0] }), t('admin.saved'));
        },
      }, t(step[1])) : null,
      c.status !== 'draft' ? h('button', { type: 'button', class: 'secondary', onclick: () => open((box) => candidacies(box, call, c)) }, t('admcall.candidacies')) : null,
      c.status === 'evaluating' || c.status === 'results_published'
        ? h('button', { type: 'button', class: 'secondary', onclick: () => open((box) => ranking(box, call, c)) }, t('admcall.ranking')) : null,
      c.status !== 'draft' ? h('button', {
        type: 'button', class: 'secondary',
        onclick: async () => {
          try {
            download(detail, await call('POST', `${path}/exports`), 'admev.export_open');
          } catch (err) {
            failure(line, err);
          }
        },
      }, t('admcall.export')) : null,
      c.status === 'evaluating' ? h('button', {
        type: 'button', class: 'danger',
        onclick: () => {
          if (confirmDialog(t('admcall.confirm_publish', { title }))) {
            act(() => call('POST', `${path}/results`), (res) => t('admcall.published', { count: res?.notified ?? 0, selected: res?.selected ?? 0 }));
          }
        },
      }, t('admcall.publish_results')) : null,
    ];
    return h('li', { class: 'card admin-row', 'data-call': c.id },
      h('span', { class: 'title', dir: 'auto' }, title),
      h('span', { class: 'meta' }, badge(callStatuses, c.status), ' ', badge(kinds, c.kind, 'kind'), ' ', h('span', { class: 'ltr' }, c.id)),
      h('span', { class: 'meta' }, t('admcall.window', { opens: formatDateTime(c.opensAt), closes: formatDateTime(c.closesAt), seats: c.seats ?? '' })),
      h('div', { class: 'button-row' }, buttons),
      detail);
  };

  create.addEventListener('click', () => edit(null));
  select.addEventListener('change', () => load(true));
  await load(true);
}

// callForm returns the fields of a call and how to read them.
function callForm(c) {
  const groups = repeater({
    name: 'workingGroups', legend: t('admcall.group'), addLabel: t('admcall.group_add'), removeLabel: t('admcall.remove'),
    items: c?.workingGroups || [],
    build: (g) => {
      const fr = input(t('admcall.name_fr'), { value: g?.name?.fr, attrs: { lang: 'fr', dir: 'ltr', maxlength: 200 } });
      const ar = input(t('admcall.name_ar'), { value: g?.name?.ar, attrs: { lang: 'ar', dir: 'rtl', maxlength: 200 } });
      return { el: h('div', { class: 'pair' }, fr.el, ar.el), read: () => ({ id: g?.id || '', name: { fr: fr.c.value.trim(), ar: ar.c.value.trim() } }) };
    },
  });
  const documents = repeater({
    name: 'documents', legend: t('admcall.document'), addLabel: t('admcall.document_add'), removeLabel: t('admcall.remove'),
    items: c?.documents || [],
    build: (d) => {
      const fr = input(t('admev.label_fr'), { value: d?.label?.fr, attrs: { lang: 'fr', dir: 'ltr', maxlength: 200 } });
      const ar = input(t('admev.label_ar'), { value: d?.label?.ar, attrs: { lang: 'ar', dir: 'rtl', maxlength: 200 } });
      const required = input(t('admcall.doc_required'), { type: 'checkbox', value: d ? d.required : true });
      const max = input(t('admcall.doc_max'), { type: 'number', value: d?.maxBytes ? Math.round(d.maxBytes / 1048576) : 10, attrs: { min: 1, max: 50, step: 1, inputmode: 'numeric' } });
      return {
        el: h('div', null, h('div', { class: 'pair' }, fr.el, ar.el), h('div', { class: 'pair' }, required.el, max.el)),
        read: () => {
          const out = { id: d?.type || '', known: Boolean(d?.type), label: { fr: fr.c.value.trim(), ar: ar.c.value.trim() }, required: required.c.checked };
          if (max.c.value !== '') out.maxBytes = Number(max.c.value) * 1048576;
          return out;
        },
      };
    },
  });
  const criteria = repeater({
    name: 'criteria', legend: t('admcall.criterion'), addLabel: t('admcall.criterion_add'), removeLabel: t('admcall.remove'),
    items: c?.criteria || [],
    build: (k) => {
      const fr = input(t('admev.label_fr'), { value: k?.label?.fr, attrs: { lang: 'fr', dir: 'ltr', maxlength: 200 } });
      const ar = input(t('admev.label_ar'), { value: k?.label?.ar, attrs: { lang: 'ar', dir: 'rtl', maxlength: 200 } });
      const weight = input(t('admcall.weight'), { type: 'number', value: k?.weight ?? '', attrs: { min: 1, step: 1, inputmode: 'numeric' } });
      const max = input(t('admcall.max_score'), { type: 'number', value: k?.maxScore ?? 20, attrs: { min: 1, step: 1, inputmode: 'numeric' } });
      return {
        el: h('div', null, h('div', { class: 'pair' }, fr.el, ar.el), h('div', { class: 'pair' }, weight.el, max.el)),
        read: () => ({ id: k?.id || '', label: { fr: fr.c.value.trim(), ar: ar.c.value.trim() }, weight: Number(weight.c.value || 0), maxScore: Number(max.c.value || 0) }),
      };
    },
  });
  const kind = field({ name: 'kind', label: t('admcall.kind'), options: Object.entries(kinds).map(([v, k]) => [v, t(k)]), value: c?.kind || 'copil' });
  const kindSelect = kind.querySelector('select');
  const syncKind = () => { groups.el.hidden = kindSelect.value !== 'gt'; };
  kindSelect.addEventListener('change', syncKind);
  syncKind();
  const fields = [
    c ? null : field({ name: 'id', label: t('admev.id'), hint: t('admev.id_hint'), attrs: { dir: 'ltr', maxlength: 64 } }),
    kind,
    pair('title', t('admin.title_fr'), t('admin.title_ar'), c?.title, { required: true, maxlength: 300 }),
    pair('description', t('admev.desc_fr'), t('admev.desc_ar'), c?.description, { required: true, multiline: true, maxlength: 10000, rows: 5 }),
    pair('eligibility', t('admcall.elig_fr'), t('admcall.elig_ar'), c?.eligibility, { multiline: true, maxlength: 5000 }),
    groups.el,
    h('p', { class: 'hint' }, t('admev.time_hint')),
    field({ name: 'opensAt', label: t('admcall.opens'), type: 'datetime-local', required: true, value: toCasablancaInput(c?.opensAt) }),
    field({ name: 'closesAt', label: t('admcall.closes'), type: 'datetime-local', required: true, value: toCasablancaInput(c?.closesAt) }),
    field({ name: 'seats', label: t('admcall.seats'), type: 'number', required: true, value: c?.seats ?? '', attrs: { min: 1, step: 1, inputmode: 'numeric' } }),
    documents.el,
    criteria.el,
  ];
  const read = (form) => {
    const v = (n) => control(form, n).value.trim();
    const body = {
      kind: v('kind'),
      title: { fr: v('title.fr'), ar: v('title.ar') },
      description: { fr: v('description.fr'), ar: v('description.ar') },
      opensAt: fromCasablancaInput(v('opensAt')),
      closesAt: fromCasablancaInput(v('closesAt')),
      seats: v('seats') === '' ? undefined : Number(v('seats')),
      documents: uniqueIDs(documents.read(), (d) => d.label.fr, 'doc').map(({ id, known, ...d }) => ({ type: known ? id : id.replace(/-/g, '_'), ...d })),
      criteria: uniqueIDs(criteria.read(), (k) => k.label.fr, 'c'),
    };
    if (!c && v('id')) body.id = v('id');
    if (v('eligibility.fr') || v('eligibility.ar')) body.eligibility = { fr: v('eligibility.fr'), ar: v('eligibility.ar') };
    if (body.kind === 'gt') body.workingGroups = uniqueIDs(groups.read(), (g) => g.name.fr, 'g');
    return body;
  };
  return { fields, read };
}

// candidacies lists a call's candidacies of one status, by pages.
function candidacies(box, call, c) {
  const line = statusLine();
  const filter = field({ name: 'candstatus', label: t('admin.filter_status'), options: [['submitted', t('admcall.cand_submitted')], ['', t('admin.filter_all')], ['draft', t('admcall.cand_draft')], ['withdrawn', t('admcall.cand_withdrawn')]] });
  const select = filter.querySelector('select');
  const list = h('ul', { class: 'news-list' });
  const detail = h('div');
  const listing = h('div', null, filter, line, list);
  const { load, more } = pager(list, (cursor) => call('GET', `/api/admin/calls/${encodeURIComponent(c.id)}/candidacies${query({ status: select.value, cursor, limit: 20 })}`), (it) => row(it), line);
  listing.append(more);
  const heading = h('h2', { tabindex: '-1' }, t('admcall.candidacies_of', { title: local(c.title) }));
  box.replaceChildren(heading, listing, detail);
  heading.focus();
  const row = (it) => {
    const openBtn = h('button', { type: 'button', class: 'secondary' }, t('admcall.open'));
    openBtn.addEventListener('click', () => {
      listing.hidden = true;
      candidacy(detail, call, c, it.id, () => {
        detail.replaceChildren();
        listing.hidden = false;
        load(true);
      });
    });
    return h('li', { class: 'card admin-row', 'data-candidacy': it.id },
      h('span', { class: 'title', dir: 'auto' }, it.association || '—', it.acronym ? ` (${it.acronym})` : ''),
      h('span', { class: 'meta' }, badge(candidacyStatuses, it.status), ' ',
        it.outcome ? [badge(outcomes, it.outcome), ' '] : null,
        it.reference ? h('span', { class: 'ltr' }, it.reference) : null,
        it.city ? [' · ', h('span', { dir: 'auto' }, it.city)] : null,
        it.region ? [' · ', regionName(it.region)] : null,
        it.submittedAt ? [' · ', formatDateTime(it.submittedAt)] : null),
      h('div', { class: 'button-row' }, openBtn));
  };
  select.addEventListener('change', () => load(true));
  load(true);
}

// candidacy shows one candidacy: the association, the documents, each
// evaluator's scores and the weighted total; assignments and the decision.
async function candidacy(box, call, c, id, back) {
  const path = `/api/admin/candidacies/${encodeURIComponent(id)}`;
  const line = statusLine();
  const backBtn = h('button', { type: 'button', class: 'secondary' }, t('admcall.back_candidacies'));
  backBtn.addEventListener('click', back);
  box.replaceChildren(h('div', { class: 'button-row' }, backBtn), line);
  let v;
  try {
    v = await call('GET', `${path}${query({ lang })}`);
  } catch (err) {
    failure(line, err);
    return;
  }
  const a = v.association || {};
  const r = v.representative || {};
  const groupNames = Object.fromEntries((c.workingGroups || []).map((g) => [g.id, local(g.name)]));
  const max = maxTotal(c.criteria);
  // The evaluators group, to name the assigned and offer the others: a
  // directory that does not answer leaves the subs shown as they are.
  let members = [];
  const canAssign = v.status === 'submitted' && (c.status === 'closed' || c.status === 'evaluating');
  if (canAssign || (v.evaluations || []).length) {
    try {
      members = (await call('GET', '/api/admin/evaluators'))?.items || [];
    } catch (err) {
      failure(line, err);
    }
  }
  const who = Object.fromEntries(members.map((m) => [m.sub, m]));
  const nameOf = (sub) => (who[sub] ? t('admcall.evaluator', { name: who[sub].name, email: who[sub].email }) : sub);
  const heading = h('h2', { tabindex: '-1', dir: 'auto' }, a.name || v.reference || v.id);
  const docs = h('ul', { class: 'plain-list' }, (v.documents || []).map((d) => h('li', null,
    h('strong', null, d.label), ' — ', documentStatuses[d.status] ? t(documentStatuses[d.status]) : d.status,
    d.size ? [' · ', sizeOf(d.size)] : null, d.reason ? [' · ', d.reason] : null)));
  const zipBox = h('div');
  const zip = h('button', { type: 'button', class: 'secondary' }, t('admcall.dossier'));
  zip.addEventListener('click', async () => {
    try {
      download(zipBox, await call('POST', `${path}/dossier`), 'admcall.dossier_open');
    } catch (err) {
      failure(line, err);
    }
  });
  const evaluations = (v.evaluations || []).map((e) => h('li', { class: 'card admin-row', 'data-evaluator': e.evaluator },
    h('span', { class: 'title' }, h('span', { dir: 'auto' }, nameOf(e.evaluator)), ' ', badge(evaluationStatuses, e.status)),
    h('span', { class: 'meta' }, t('admcall.total', { total: figure(e.total), max })),
    e.reason ? h('p', { class: 'meta', dir: 'auto' }, t('admcall.recusal_reason', { reason: e.reason })) : null,
    e.scores?.length ? h('ul', { class: 'plain-list' }, e.scores.map((s) => h('li', null,
      t('admcall.score_line', { label: s.label, score: figure(s.score), max: s.maxScore, weight: s.weight }),
      s.comment ? [' — ', h('span', { dir: 'auto' }, s.comment)] : null))) : null));

  // Assignments: the members of the evaluators group by name and email;
  // those assigned already stay ticked and cannot be unticked.
  const assigned = (v.evaluations || []).map((e) => e.evaluator);
  const assign = h('form', { class: 'panel', novalidate: true, id: 'assign-form' });
  const assignSummary = h('div', { class: 'alert', role: 'alert', tabindex: '-1' });
  if (members.length) {
    const group = choices({ name: 'evaluators', label: t('admcall.assign_label'), multiple: true, values: assigned,
      options: members.map((m) => [m.sub, t('admcall.evaluator', { name: m.name, email: m.email })]) });
    for (const input of group.querySelectorAll('input')) input.disabled = assigned.includes(input.value);
    assign.append(h('h3', null, t('admcall.assign')), assignSummary, h('p', { class: 'hint' }, t('admcall.assign_hint')), group,
      h('div', { class: 'button-row' }, h('button', { type: 'submit' }, t('admcall.assign_go'))));
  } else {
    assign.append(h('h3', null, t('admcall.assign')), assignSummary, h('p', null, t('admcall.assign_empty')));
  }
  assign.addEventListener('submit', async (e) => {
    e.preventDefault();
    const list = checked(assign, 'evaluators').filter((s) => !assigned.includes(s));
    if (!list.length) {
      showMessage(assignSummary, t('admcall.assign_choose'));
      return;
    }
    try {
      await call('POST', `${path}/assignments`, { evaluators: list });
      await candidacy(box, call, c, id, back);
      box.querySelector('.status-line').textContent = t('admin.saved');
    } catch (err) {
      if (err?.name === 'AbortError' || err?.status === 401 || err?.status === 403) return;
      showMessage(assignSummary, err?.status === 0 ? t('error.network') : (err?.problem?.errors?.[0]?.message || err?.problem?.detail || t('error.generic')));
    }
  });

  const decide = h('form', { class: 'panel', novalidate: true });
  decide.append(h('h3', null, t('admcall.decision')),
    field({ name: 'outcome', label: t('admcall.outcome'), options: Object.entries(outcomes).map(([k, key]) => [k, t(key)]), value: v.outcome || 'selected' }),
    h('div', { class: 'button-row' }, h('button', { type: 'submit' }, t('admcall.decide'))));
  decide.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await call('POST', `${path}/decision`, { outcome: control(decide, 'outcome').value });
      await candidacy(box, call, c, id, back);
      box.querySelector('.status-line').textContent = t('admin.saved');
    } catch (err) {
      failure(line, err);
    }
  });

  // (replaceChildren writes a null as the text "null": the parts left out are filtered.)
  box.replaceChildren(...[h('div', { class: 'button-row' }, backBtn), heading, line,
    h('p', { class: 'meta' }, badge(candidacyStatuses, v.status), ' ', v.outcome ? badge(outcomes, v.outcome) : null, ' ',
      v.reference ? h('span', { class: 'ltr' }, v.reference) : null),
    h('p', { class: 'total-line' }, t('admcall.weighted', { total: figure(v.total), max, percent: figure(v.percent), scored: v.scored ?? 0, recused: v.recused ?? 0 })),
    h('section', { class: 'panel' }, h('h3', null, t('admcall.association')), facts([
      [t('admcall.acronym'), a.acronym], [t('cand.a_legal_form'), legalFormName(a.legalForm)], [t('admcall.registration'), a.registrationNumber ? h('span', { class: 'ltr' }, a.registrationNumber) : ''],
      [t('admcall.founded'), a.yearFounded], [t('admcall.city'), a.city], [t('admcall.region'), regionName(a.region)],
      [t('admcall.email'), a.email ? h('span', { class: 'ltr' }, a.email) : ''], [t('admcall.phone'), a.phone ? h('span', { class: 'ltr' }, a.phone) : ''],
      [t('admcall.website'), a.website ? h('a', { href: a.website, rel: 'noopener noreferrer', target: '_blank', class: 'ltr' }, a.website) : ''],
      [t('admcall.representative'), [r.name, r.role].filter(Boolean).join(', ')],
      [t('evalr.themes'), areaNames(v.thematicAreas)],
      [t('admcall.groups'), (v.workingGroups || []).map((g) => groupNames[g] || g).join(', ')],
    ]), v.motivation ? [h('h4', null, t('admcall.motivation')), h('div', { dir: 'auto' }, paragraphs(v.motivation))] : null),
    h('section', { class: 'panel' }, h('h3', null, t('admcall.documents')), docs, h('div', { class: 'button-row' }, zip), zipBox),
    h('section', null, h('h3', null, t('admcall.evaluations')),
      evaluations.length ? h('ul', { class: 'news-list' }, evaluations) : h('p', null, t('admcall.no_evaluation'))),
    canAssign ? assign : null,
    v.status === 'submitted' && c.status === 'evaluating' ? decide : null].filter(Boolean));
  heading.focus();
}

// ranking shows the weighted ranking of the submitted candidacies.
async function ranking(box, call, c) {
  const line = statusLine();
  const heading = h('h2', { tabindex: '-1' }, t('admcall.ranking_of', { title: local(c.title) }));
  box.replaceChildren(heading, line);
  heading.focus();
  try {
    const r = await call('GET', `/api/admin/calls/${encodeURIComponent(c.id)}/ranking`);
    const rows = (r.items || []).map((it) => [
      String(it.rank), h('span', { class: 'ltr' }, it.reference), h('span', { dir: 'auto' }, it.association),
      `${figure(it.total)} / ${r.maxTotal}`, it.percent == null ? '—' : `${figure(it.percent)} %`,
      String(it.scored ?? 0), String(it.recused ?? 0), it.outcome ? badge(outcomes, it.outcome) : '—',
    ]);
    box.append(h('p', { class: 'meta' }, t('admcall.ranking_meta', { seats: r.seats ?? c.seats ?? '', max: r.maxTotal ?? '' })),
      rows.length ? table(t('admcall.ranking'), [t('admcall.col_rank'), t('admcall.col_reference'), t('admcall.col_association'),
        t('admcall.col_total'), t('admcall.col_percent'), t('admcall.col_scored'), t('admcall.col_recused'), t('admcall.col_outcome')], rows)
        : h('p', null, t('admin.empty')));
  } catch (err) {
    failure(line, err);
  }
}
