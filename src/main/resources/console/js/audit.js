// The audit trail with the filters GET /api/audit supports, and the chain verification.

import { get, query } from './api.js';
import { h, clear, errorBox, section, whileBusy } from './dom.js';

const FILTERS = [
  ['run', 'Run id', 'text'],
  ['incident', 'Incident id', 'text'],
  ['actor', 'Actor', 'text'],
  ['action', 'Action starts with', 'text'],
  ['after', 'After seq', 'number'],
  ['before', 'Before seq', 'number'],
  ['limit', 'Limit', 'number'],
];

export async function auditPage(main, rawQuery) {
  const current = new URLSearchParams(rawQuery || '');
  const inputs = {};
  const results = h('div', { 'aria-live': 'polite' });
  const verifyResult = h('div#verify-result', { 'aria-live': 'polite' });

  const fields = FILTERS.map(([name, label, type]) => {
    inputs[name] = h('input', { id: 'f-' + name, name, type, value: current.get(name) || '', min: type === 'number' ? 0 : null });
    return h('div.field.inline', h('label', { for: 'f-' + name }, label), inputs[name]);
  });
  inputs.actor_type = h('select#f-actor_type', { name: 'actor_type' },
    ['', 'human', 'agent', 'system', 'drill'].map(v => h('option', { value: v, selected: current.get('actor_type') === v }, v || 'any')));
  inputs.order = h('select#f-order', { name: 'order' },
    [['newest', 'newest first'], ['oldest', 'oldest first']].map(([v, t]) => h('option', { value: v, selected: current.get('order') === v }, t)));

  const form = h('form.filters', {
    onsubmit: (e) => {
      e.preventDefault();
      const params = {};
      for (const [name, el] of Object.entries(inputs)) params[name] = el.value.trim();
      if (params.order === 'newest') delete params.order;
      const next = '#/audit' + query(params);
      if (location.hash === next) load();
      else location.hash = next;
    },
  },
  fields,
  h('div.field.inline', h('label', { for: 'f-actor_type' }, 'Actor type'), inputs.actor_type),
  h('div.field.inline', h('label', { for: 'f-order' }, 'Order'), inputs.order),
  h('div.actions', h('button', { type: 'submit' }, 'Apply filters'), h('a', { href: '#/audit' }, 'Clear')));

  const verify = h('button#verify-chain.secondary', {
    type: 'button',
    onclick: () => whileBusy(verify, async () => {
      clear(verifyResult, h('p.muted', 'Walking the chain…'));
      try {
        const r = await get('/api/audit/verify');
        clear(verifyResult, h('div', { class: r.ok ? 'verdict ok' : 'verdict bad', role: 'status' },
          h('strong', r.ok ? 'Chain intact.' : 'Chain broken at entry ' + r.first_broken_seq + '.'),
          ' ', r.summary, r.reason ? h('div', r.reason) : null,
          h('div.muted', r.entries_checked + ' entries checked')));
      } catch (e) {
        clear(verifyResult, errorBox(e));
      }
    }),
  }, 'Verify chain');

  async function load() {
    try {
      const data = await get('/api/audit' + query(Object.fromEntries(current)));
      clear(results, h('p.muted', data.count + ' entr' + (data.count === 1 ? 'y' : 'ies')),
        h('table.list.compact.audit',
          h('thead', h('tr', ['Seq', 'When', 'Actor', 'Action', 'Subject', 'Run', 'Details'].map(t => h('th', { scope: 'col' }, t)))),
          h('tbody', data.entries.map(e => h('tr',
            h('td', String(e.seq)),
            h('td', h('time', { datetime: e.at, title: e.at }, new Date(e.at).toLocaleString())),
            h('td', e.actor_id, h('div.muted', e.actor_type)),
            h('td', h('code', e.action)),
            h('td', e.subject_type + ' ', h('code', e.subject_id)),
            h('td', e.run_id ? h('a', { href: '#/runs/' + encodeURIComponent(e.run_id) }, e.run_id) : ''),
            h('td', h('details', h('summary', 'details'), h('pre.json', JSON.stringify(e.details, null, 2)),
              h('p.muted', 'hash ', h('code', String(e.hash).slice(0, 16) + '…')))))))));
    } catch (e) {
      clear(results, errorBox(e));
    }
  }

  clear(main,
    h('div.heading', h('h1', 'Audit log'), verify),
    verifyResult,
    section('Filters', form),
    section('Entries', results));
  await load();
}
