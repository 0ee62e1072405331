// Calls for applications (Copil, working groups): the open calls, one call
// with its application form. The private candidacy page is candidacy.js.
import { h, paragraphs } from '../dom.js';
import { lang, t, formatDateTime } from '../i18n.js';
import { api, query } from '../api.js';
import { field, checkbox, choices, checked, control, idempotentSubmit } from '../forms.js';
import { errorBox, noticeBox } from './shared.js';

export const callKinds = { copil: 'cand.kind_copil', gt: 'cand.kind_gt' };

const legalForms = ['association', 'federation', 'network', 'foundation', 'cooperative'];
const legalFormKeys = {
  association: 'cand.legal_association',
  federation: 'cand.legal_federation',
  network: 'cand.legal_network',
  foundation: 'cand.legal_foundation',
  cooperative: 'cand.legal_cooperative',
};
const regionKeys = {
  'tanger-tetouan-al-hoceima': 'region.tanger',
  oriental: 'region.oriental',
  'fes-meknes': 'region.fes',
  'rabat-sale-kenitra': 'region.rabat',
  'beni-mellal-khenifra': 'region.benimellal',
  'casablanca-settat': 'region.casablanca',
  'marrakech-safi': 'region.marrakech',
  'draa-tafilalet': 'region.draa',
  'souss-massa': 'region.souss',
  'guelmim-oued-noun': 'region.guelmim',
  'laayoune-sakia-el-hamra': 'region.laayoune',
  'dakhla-oued-ed-dahab': 'region.dakhla',
};
export const areaKeys = {
  transparency: 'area.transparency',
  participation: 'area.participation',
  integrity: 'area.integrity',
  accountability: 'area.accountability',
  open_justice: 'area.open_justice',
  open_data: 'area.open_data',
  public_services: 'area.public_services',
  gender_equality: 'area.gender_equality',
  youth: 'area.youth',
  environment: 'area.environment',
  local_governance: 'area.local_governance',
};

export function callWindow(c) {
  return t('cand.window', { opens: formatDateTime(c.opensAt), closes: formatDateTime(c.closesAt) });
}

export const list = {
  async render(main, ctx) {
    ctx.setTitle(t('cand.title'));
    const ul = h('ul', { class: 'news-list' });
    const status = h('div', { 'aria-live': 'polite' });
    main.append(h('h1', null, t('cand.title')), h('p', null, t('cand.intro')), ul, status);
    ctx.focusHeading();
    const load = async () => {
      status.replaceChildren();
      try {
        const page = await api('GET', `/api/calls${query({ status: 'open', lang })}`, { signal: ctx.signal });
        ul.replaceChildren(...(page?.items || []).map((c) => h('li', { class: 'card call-item' },
          h('span', { class: 'badge' }, callKinds[c.kind] ? t(callKinds[c.kind]) : c.kind),
          h('h2', null, h('a', { href: `/${lang}/candidatures/appels/${encodeURIComponent(c.id)}` }, c.title)),
          h('p', null, callWindow(c)),
          h('p', null, t('cand.seats', { count: c.seats })),
          h('p', { class: 'badges' }, h('span', { class: c.accepting ? 'badge answered' : 'badge closed' }, t(c.accepting ? 'cand.accepting' : 'cand.not_accepting'))))));
        if (!ul.children.length) status.replaceChildren(h('p', null, t('cand.empty')));
      } catch (err) {
        if (err?.name === 'AbortError') throw err;
        status.replaceChildren(errorBox(err, load));
      }
    };
    await load();
  },
};

// callFacts: the window, seats, eligibility, documents and scoring grid.
export function callFacts(c) {
  return [
    h('dl', { class: 'facts' },
      h('dt', null, t('cand.deadline')), h('dd', null, h('time', { datetime: c.closesAt }, formatDateTime(c.closesAt))),
      h('dt', null, t('cand.period')), h('dd', null, callWindow(c)),
      h('dt', null, t('cand.seats_label')), h('dd', null, String(c.seats))),
    c.eligibility ? [h('h2', null, t('cand.eligibility')), paragraphs(c.eligibility)] : null,
    (c.workingGroups || []).length ? [h('h2', null, t('cand.groups')), h('ul', null, c.workingGroups.map((g) => h('li', null, g.name)))] : null,
    h('h2', null, t('cand.documents')),
    h('ul', null, (c.documents || []).map((d) => h('li', null, d.label, ' — ',
      t(d.required ? 'cand.doc_required' : 'cand.doc_optional'), ' · ', t('cand.doc_max', { size: megabytes(d.maxBytes) })))),
    h('h2', null, t('cand.criteria')),
    h('ul', null, (c.criteria || []).map((k) => h('li', null, t('cand.criterion', { label: k.label, weight: k.weight })))),
  ];
}

export function megabytes(n) {
  return (Math.round((Number(n) || 0) / 104857.6) / 10).toLocaleString(lang === 'ar' ? 'ar-MA' : 'fr-MA');
}

export const detail = {
  async render(main, ctx) {
    const id = ctx.params[0];
    const back = h('a', { class: 'back', href: `/${lang}/candidatures` }, t('cand.back'));
    const box = h('div', { class: 'narrow', 'aria-live': 'polite' }, h('p', { class: 'loading' }, t('site.loading')));
    main.append(back, box);
    let c;
    try {
      c = await api('GET', `/api/calls/${encodeURIComponent(id)}${query({ lang })}`, { signal: ctx.signal });
    } catch (err) {
      if (err?.name === 'AbortError') throw err;
      if (err?.status === 404) {
        ctx.setTitle(t('cand.not_found'));
        box.replaceChildren(h('h1', null, t('cand.not_found')));
      } else {
        box.replaceChildren(errorBox(err, () => { main.replaceChildren(); detail.render(main, ctx); }));
      }
      ctx.focusHeading();
      return;
    }
    ctx.setTitle(c.title);
    box.removeAttribute('aria-live');
    const section = h('section', { 'aria-labelledby': 'apply-title' });
    box.replaceChildren(
      h('span', { class: 'badge' }, callKinds[c.kind] ? t(callKinds[c.kind]) : c.kind),
      h('h1', null, c.title),
      h('div', { class: 'body' }, paragraphs(c.description)),
      h('div', { class: 'call-facts' }, callFacts(c)),
      section);
    if (c.accepting) applyForm(section, c, ctx);
    else section.append(h('h2', { id: 'apply-title' }, t('cand.apply')), h('p', { class: 'notice-box' }, t('cand.not_accepting_text')));
    ctx.focusHeading();
  },
};

// candidacyFields are the application's fields, filled from v (a candidacy).
export function candidacyFields(call, v = {}) {
  const a = v.association || {};
  const r = v.representative || {};
  const opt = (key) => t('ev.optional', { label: t(key) });
  const groups = call.workingGroups || [];
  return [
    h('h3', null, t('cand.association')),
    field({ name: 'association.name', label: t('cand.a_name'), required: true, value: a.name, attrs: { maxlength: 200, dir: 'auto', autocomplete: 'organization' } }),
    field({ name: 'association.acronym', label: opt('cand.a_acronym'), value: a.acronym, attrs: { maxlength: 20, dir: 'auto' } }),
    field({ name: 'association.legalForm', label: t('cand.a_legal_form'), value: a.legalForm || '',
      options: [['', t('cand.choose')], ...legalForms.map((f) => [f, t(legalFormKeys[f])])] }),
    field({ name: 'association.registrationNumber', label: t('cand.a_registration'), hint: t('cand.a_registration_hint'), value: a.registrationNumber, attrs: { maxlength: 60, dir: 'ltr' } }),
    field({ name: 'association.yearFounded', label: t('cand.a_year'), type: 'number', value: a.yearFounded || '', attrs: { inputmode: 'numeric', min: 1900, max: new Date().getFullYear(), step: 1, dir: 'ltr' } }),
    field({ name: 'association.region', label: t('cand.a_region'), value: a.region || '',
      options: [['', t('cand.choose')], ...Object.entries(regionKeys).map(([k, key]) => [k, t(key)])] }),
    field({ name: 'association.city', label: t('cand.a_city'), value: a.city, attrs: { maxlength: 100, dir: 'auto', autocomplete: 'address-level2' } }),
    field({ name: 'association.website', label: opt('cand.a_website'), type: 'url', value: a.website, attrs: { maxlength: 300, dir: 'ltr', inputmode: 'url' } }),
    field({ name: 'association.email', label: t('cand.a_email'), type: 'email', required: true, hint: t('cand.a_email_hint'), value: a.email, attrs: { maxlength: 254, dir: 'ltr', inputmode: 'email', autocomplete: 'email' } }),
    field({ name: 'association.phone', label: t('cand.a_phone'), type: 'tel', value: a.phone, attrs: { maxlength: 25, dir: 'ltr', inputmode: 'tel', autocomplete: 'tel' } }),
    h('h3', null, t('cand.representative')),
    field({ name: 'representative.name', label: t('obs.name'), required: true, value: r.name, attrs: { maxlength: 120, dir: 'auto', autocomplete: 'name' } }),
    field({ name: 'representative.role', label: t('cand.r_role'), value: r.role, attrs: { maxlength: 100, dir: 'auto' } }),
    field({ name: 'representative.email', label: t('obs.email'), type: 'email', required: true, value: r.email, attrs: { maxlength: 254, dir: 'ltr', inputmode: 'email' } }),
    h('h3', null, t('cand.engagement')),
    choices({ name: 'thematicAreas', label: t('cand.areas'), multiple: true, values: v.thematicAreas || [],
      options: Object.entries(areaKeys).map(([k, key]) => [k, t(key)]) }),
    call.kind === 'gt' && groups.length
      ? choices({ name: 'workingGroups', label: t('cand.groups_choose'), multiple: true, values: v.workingGroups || [], options: groups.map((g) => [g.id, g.name]) })
      : null,
    field({ name: 'motivation', label: t('cand.motivation'), hint: t('cand.motivation_hint'), multiline: true, value: v.motivation, attrs: { maxlength: 5000, dir: 'auto' } }),
  ];
}

// readCandidacy reads the fields back into the API's shape (blank fields left out).
export function readCandidacy(form, call) {
  const v = (n) => control(form, n).value.trim();
  const pick = (names) => {
    const out = {};
    for (const n of names) {
      const x = v(n);
      if (x) out[n.split('.')[1]] = x;
    }
    return out;
  };
  const association = pick(['association.name', 'association.acronym', 'association.legalForm', 'association.registrationNumber',
    'association.region', 'association.city', 'association.website', 'association.email', 'association.phone']);
  const year = v('association.yearFounded');
  if (year) association.yearFounded = Number(year);
  const body = {
    association,
    representative: pick(['representative.name', 'representative.role', 'representative.email']),
    thematicAreas: checked(form, 'thematicAreas'),
    motivation: v('motivation'),
    lang,
  };
  // A GT call's groups, when the form shows them: a save never erases a
  // choice the page does not offer.
  if (call.kind === 'gt' && form.querySelector('[data-field="workingGroups"]')) body.workingGroups = checked(form, 'workingGroups');
  return body;
}

const draftRequired = ['association.name', 'association.email', 'representative.name', 'representative.email'];

export function missingDraftFields(body) {
  const missing = {};
  for (const f of draftRequired) {
    const [group, name] = f.split('.');
    if (!body[group][name]) missing[f] = t('obs.required');
  }
  return missing;
}

function applyForm(section, c, ctx) {
  const summary = h('div', { class: 'alert', role: 'alert', tabindex: '-1' });
  const submit = h('button', { type: 'submit' }, t('cand.apply_submit'));
  const statusLine = h('p', { class: 'status-line', role: 'status' });
  const form = h('form', { novalidate: true, 'aria-labelledby': 'apply-title' },
    summary,
    candidacyFields(c),
    noticeBox(ctx),
    checkbox({ name: 'consent', label: t('obs.consent'), required: true }),
    h('div', { class: 'button-row' }, submit),
    statusLine);
  section.replaceChildren(h('h2', { id: 'apply-title' }, t('cand.apply')), h('p', null, t('cand.apply_intro')), form);

  // One Idempotency-Key per form fill: a retry cannot create a second draft
  // nor send a second email.
  idempotentSubmit(form, {
    summary, submit, statusLine, path: `/api/calls/${encodeURIComponent(c.id)}/candidacies${query({ lang })}`,
    read: () => {
      const body = { ...readCandidacy(form, c), consent: control(form, 'consent').checked };
      const missing = missingDraftFields(body);
      if (!body.consent) missing.consent = t('obs.consent_required');
      return { body, missing };
    },
    done: (res, body) => {
      const heading = h('h2', { id: 'apply-title', tabindex: '-1' }, t('cand.applied_title'));
      section.replaceChildren(h('div', { class: 'success', role: 'status', 'data-applied': '' },
        heading,
        h('p', null, t('cand.applied', { email: body.association.email })),
        h('p', null, t('cand.applied_next'))));
      heading.focus();
    },
  });
}
