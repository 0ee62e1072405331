// Pieces the back-office pages share: the form editor, status lines, paged
// lists, repeatable rows (questions, documents, criteria), Casablanca time
// in datetime-local inputs, and short-lived download links.
import { h, uid } from '../dom.js';
import { t } from '../i18n.js';
import { field, clearErrors, showErrors, showMessage } from '../forms.js';
import { areaKeys } from './calls.js';

export function failure(statusLine, err) {
  if (err?.name === 'AbortError' || err?.status === 401 || err?.status === 403) return;
  statusLine.textContent = err?.status === 0 ? t('error.network') : (err?.problem?.detail || t('error.generic'));
}

export function statusLine() {
  return h('p', { class: 'status-line', role: 'status' });
}

// editor shows a form in box; save(body) sends it, field errors land next
// to the fields (others in the summary), and done(result) runs after a success.
export function editor(box, title, fields, read, save, done, submitLabel) {
  const summary = h('div', { class: 'alert', role: 'alert', tabindex: '-1' });
  const cancel = h('button', { type: 'button', class: 'secondary' }, t('admin.cancel'));
  const heading = h('h2', { tabindex: '-1' }, title);
  const form = h('form', { class: 'panel', novalidate: true }, heading, summary, fields,
    h('div', { class: 'button-row' }, h('button', { type: 'submit' }, submitLabel || t('admin.save')), cancel));
  box.replaceChildren(form);
  heading.focus();
  cancel.addEventListener('click', () => box.replaceChildren());
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form, summary);
    const submit = form.querySelector('button[type="submit"]');
    submit.disabled = true;
    try {
      const result = await save(read(form));
      box.replaceChildren();
      done(result);
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

// pager loads pages of items into list: load(true) starts over, the "more"
// button asks for the next page. fetchPage(cursor) returns {items, nextCursor}.
export function pager(list, fetchPage, row, line) {
  const more = h('button', { type: 'button', class: 'secondary' }, t('admin.more'));
  more.hidden = true;
  let cursor = '';
  const load = async (reset) => {
    if (reset) cursor = '';
    try {
      const page = await fetchPage(cursor);
      if (reset) list.replaceChildren();
      for (const it of page?.items || []) list.append(row(it));
      if (!list.children.length) list.append(h('li', null, t('admin.empty')));
      cursor = page?.nextCursor || '';
      more.hidden = !cursor;
    } catch (err) {
      failure(line, err);
    }
  };
  more.addEventListener('click', () => load(false));
  return { load, more: h('div', { class: 'button-row' }, more) };
}

// pair is two fields for a text in French and in Arabic.
export function pair(name, labelFr, labelAr, value, { multiline, required, maxlength = 200, rows = 3 } = {}) {
  return [
    field({ name: `${name}.fr`, label: labelFr, required, multiline, value: value?.fr, attrs: { lang: 'fr', dir: 'ltr', maxlength, rows: multiline ? rows : null } }),
    field({ name: `${name}.ar`, label: labelAr, required, multiline, value: value?.ar, attrs: { lang: 'ar', dir: 'rtl', maxlength, rows: multiline ? rows : null } }),
  ];
}

// repeater is an editable list of rows (a fieldset each) with add and remove
// buttons. build(item) returns {el, read()}; read() returns every row's value.
export function repeater({ name, legend, addLabel, removeLabel, items, build }) {
  const rows = [];
  const box = h('div', { class: 'rows' });
  const add = h('button', { type: 'button', class: 'secondary' }, addLabel);
  const addRow = (item, focus) => {
    const r = build(item || null);
    const n = h('legend', null, '');
    const remove = h('button', { type: 'button', class: 'danger small' }, removeLabel);
    const set = h('fieldset', { class: 'row-set' }, n, r.el, h('div', { class: 'button-row' }, remove));
    const entry = { set, read: r.read, n, remove };
    rows.push(entry);
    box.append(set);
    remove.addEventListener('click', () => {
      rows.splice(rows.indexOf(entry), 1);
      set.remove();
      number();
      add.focus();
    });
    number();
    if (focus) set.querySelector('input, select, textarea')?.focus();
  };
  const number = () => rows.forEach((r, i) => {
    r.n.textContent = `${legend} ${i + 1}`;
    r.remove.setAttribute('aria-label', `${removeLabel} (${legend} ${i + 1})`);
  });
  for (const it of items || []) addRow(it, false);
  add.addEventListener('click', () => addRow(null, true));
  const el = h('div', { class: 'field repeater', 'data-field': name }, h('h3', null, legend), box, h('div', { class: 'button-row' }, add));
  return { el, read: () => rows.map((r) => r.read()) };
}

// input is a bare labelled control inside a repeated row (its name is not
// unique on the page, so forms.js's field lookups do not apply).
export function input(label, { type = 'text', value, attrs, options, multiline } = {}) {
  const id = uid('r');
  let c;
  if (options) c = h('select', { id, ...attrs }, options.map(([v, l]) => h('option', { value: v }, l)));
  else if (multiline) c = h('textarea', { id, rows: 3, ...attrs });
  else c = h('input', { id, type, ...attrs });
  if (type === 'checkbox') {
    c.checked = Boolean(value);
    return { el: h('div', { class: 'check' }, c, h('label', { for: id }, label)), c };
  }
  if (value !== undefined && value !== null) c.value = String(value);
  return { el: h('div', { class: 'field' }, h('label', { for: id }, label), c), c };
}

// slug makes an identifier from a label (accents dropped), or fallback.
export function slug(text, fallback, max = 40) {
  const s = String(text || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, max).replace(/-+$/, '');
  return s || fallback;
}

// uniqueIDs gives every item an id: its own, else one made from its label,
// never twice the same.
export function uniqueIDs(items, labelOf, prefix) {
  const seen = new Set();
  return items.map((it, i) => {
    let id = it.id || slug(labelOf(it), `${prefix}${i + 1}`);
    let n = 2;
    const base = id;
    while (seen.has(id)) id = `${base.slice(0, 36)}-${n++}`;
    seen.add(id);
    return { ...it, id };
  });
}

// ---------------------------------------------------------------- time
// Dates are entered as Africa/Casablanca wall-clock time, whatever the
// browser's zone, and sent as UTC RFC 3339. Morocco is at UTC+1 except
// during Ramadan (UTC+0). The offsets come from the IANA time zone
// database (as the API's Go runtime has it) rather than from the browser,
// whose copy may be older: [minutes since 1970 UTC, offset in minutes]
// from each change on, 2019 to 2040; UTC+1 before and after.
const casablancaChanges = [
  [26000760, 60],
  [26454360, 0],
  [26514840, 60],
  [26968440, 0],
  [27018840, 60],
  [27472440, 0],
  [27532920, 60],
  [27986520, 0],
  [28036920, 60],
  [28500600, 0],
  [28551000, 60],
  [29004600, 0],
  [29065080, 60],
  [29518680, 0],
  [29569080, 60],
  [30032760, 0],
  [30083160, 60],
  [30536760, 0],
  [30597240, 60],
  [31050840, 0],
  [31101240, 60],
  [31554840, 0],
  [31615320, 60],
  [32068920, 0],
  [32119320, 60],
  [32583000, 0],
  [32633400, 60],
  [33087000, 0],
  [33147480, 60],
  [33601080, 0],
  [33651480, 60],
  [34105080, 0],
  [34165560, 60],
  [34619160, 0],
  [34679640, 60],
  [35133240, 0],
  [35183640, 60],
  [35637240, 0],
  [35697720, 60],
  [36151320, 0],
  [36201720, 60],
  [36665400, 0],
  [36715800, 60],
  [37169400, 0],
  [37229880, 60]
];

function offsetAt(ms) {
  const minutes = Math.floor(ms / 60000);
  let offset = 60;
  for (const [at, o] of casablancaChanges) {
    if (minutes < at) break;
    offset = o;
  }
  return offset * 60000;
}

const pad = (n) => String(n).padStart(2, '0');

// toCasablancaInput turns an RFC 3339 instant into a datetime-local value.
export function toCasablancaInput(iso) {
  if (!iso) return '';
  const ms = new Date(iso).getTime();
  if (Number.isNaN(ms)) return '';
  const d = new Date(ms + offsetAt(ms));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

// fromCasablancaInput turns a datetime-local value (Casablanca time) into
// UTC RFC 3339; undefined when empty or malformed.
export function fromCasablancaInput(v) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(v || '');
  if (!m) return undefined;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  let utc = wall - offsetAt(wall - 3600000);
  utc = wall - offsetAt(utc);
  return new Date(utc).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// download shows a short-lived link (an export) to open in a new tab.
export function download(box, res, labelKey) {
  if (!res?.url) return;
  const a = h('a', { href: res.url, target: '_blank', rel: 'noopener noreferrer', class: 'button secondary' }, t(labelKey));
  box.replaceChildren(h('p', { class: 'success', role: 'status' }, t('admev.export_ready'), ' ', a));
  a.focus();
}

// table builds a scrollable table: head is a list of labels, rows a list of
// lists of cells (nodes or text).
export function table(caption, head, rows) {
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption },
    h('table', null,
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', null, h('tr', null, head.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', null, rows.map((r) => h('tr', null, r.map((c) => h('td', null, c)))))));
}

export function confirmDialog(message) {
  return window.confirm(message);
}

// ---------------------------------------------------------------- evaluation
// Labels and figures the calls administration and the evaluators' page share.

export const evaluationStatuses = { assigned: 'admcall.ev_assigned', scored: 'admcall.ev_scored', recused: 'admcall.ev_recused' };
export const outcomes = { selected: 'admcall.outcome_selected', reserve: 'admcall.outcome_reserve', not_selected: 'admcall.outcome_not_selected' };

const numberFormat = new Intl.NumberFormat(document.documentElement.lang === 'ar' ? 'ar-MA' : 'fr-MA', { maximumFractionDigits: 2 });

// figure formats a score or a total ('—' when there is none).
// The names of an association's region, legal form and thematic areas (the
// public application form's dictionary keys).
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
const legalFormKeys = {
  association: 'cand.legal_association',
  federation: 'cand.legal_federation',
  network: 'cand.legal_network',
  foundation: 'cand.legal_foundation',
  cooperative: 'cand.legal_cooperative',
};
const named = (table, v) => (v && table[v] ? t(table[v]) : v || '');
export const regionName = (v) => named(regionKeys, v);
export const legalFormName = (v) => named(legalFormKeys, v);
export const areaNames = (list) => (list || []).map((v) => named(areaKeys, v)).join(', ');

export function figure(n) {
  return typeof n === 'number' && Number.isFinite(n) ? numberFormat.format(n) : '—';
}

// facts is a definition list of [label, value] pairs, empty values left out.
export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
}

export function sizeOf(bytes) {
  if (!bytes) return '';
  return bytes >= 1048576 ? t('admcall.size_mb', { n: figure(bytes / 1048576) }) : t('admcall.size_kb', { n: figure(Math.ceil(bytes / 1024)) });
}
