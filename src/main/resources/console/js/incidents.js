// The incident list and the form to open a new incident.

import { get, post, query, atLeast } from './api.js';
import { h, clear, appended, errorBox, badge, time, pager } from './dom.js';

export async function incidentList(main) {
  // The list comes a page at a time; the counts are the API's totals, so they cover every page.
  const [data, open, mitigated] = await Promise.all([get('/api/incidents'),
    get('/api/incidents' + query({ status: 'open', limit: 1 })),
    get('/api/incidents' + query({ status: 'mitigated', limit: 1 }))]);
  const rows = h('tbody', data.incidents.map(incidentRow));
  clear(main,
    h('div.heading',
      h('h1', 'Incidents'),
      atLeast('responder') ? h('a.button', { href: '#/incidents/new' }, 'Open an incident') : null),
    h('p.muted', (open.total + mitigated.total) + ' not resolved, ' + data.total + ' in all, newest first.'),
    h('table.list',
      h('caption.visually-hidden', 'Incidents, newest first'),
      h('thead', h('tr', ['Id', 'Title', 'Severity', 'Status', 'Assets', 'When'].map(t => h('th', { scope: 'col' }, t)))),
      rows),
    pager('Show older', data.next, before => get('/api/incidents' + query({ before })),
      page => appended(rows, page.incidents.map(incidentRow))));
}

function incidentRow(i) {
  return h('tr',
    h('td', h('a', { href: '#/incidents/' + encodeURIComponent(i.id) }, i.id)),
    h('td', i.title),
    h('td', badge(i.severity)),
    h('td', badge(i.status)),
    h('td', i.assets.join(', ')),
    h('td', time(i.date)));
}

export async function newIncident(main) {
  const assets = (await get('/api/assets')).assets;
  const status = h('div', { 'aria-live': 'polite' });
  const title = h('input#inc-title', { name: 'title', required: true, maxlength: 200 });
  const broken = h('textarea#inc-broken', { name: 'broken', rows: 4, required: true,
    'aria-describedby': 'inc-broken-help' });
  const severity = h('select#inc-severity', { name: 'severity' },
    ['sev1', 'sev2', 'sev3', 'sev4'].map(s => h('option', { value: s, selected: s === 'sev2' }, s)));
  const boxes = assets.map(a => h('label.check',
    h('input', { type: 'checkbox', name: 'assets', value: a.id }),
    h('span', h('strong', a.id), ' ', h('span.muted', a.kind + (a.rto ? ' · RTO ' + a.rto : '')))));

  const form = h('form.stack', {
    onsubmit: async (event) => {
      event.preventDefault();
      const picked = [...form.querySelectorAll('input[name=assets]:checked')].map(b => b.value);
      const text = broken.value.trim();
      // Each line or comma-separated phrase is a symptom: symptoms weigh in similarity and suggestions.
      const symptoms = text.split(/[\n,;]+/).map(s => s.trim()).filter(Boolean).slice(0, 20);
      const body = {
        title: title.value.trim(),
        date: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        severity: severity.value,
        status: 'open',
        detected_by: 'engineer',
        assets: picked,
        symptoms,
        body: text,
      };
      const button = form.querySelector('button[type=submit]');
      button.disabled = true;
      try {
        const created = await post('/api/incidents', body);
        location.hash = '#/incidents/' + encodeURIComponent(created.id);
      } catch (e) {
        clear(status, errorBox(e));
        button.disabled = false;
      }
    },
  },
  h('label', { for: 'inc-title' }, 'Title'), title,
  h('label', { for: 'inc-broken' }, 'What is broken'), broken,
  h('p#inc-broken-help.muted', 'What you see: alerts, symptoms, errors. One per line or separated by commas.'),
  h('label', { for: 'inc-severity' }, 'Severity'), severity,
  h('fieldset', h('legend', 'Affected assets'), h('div.assets', boxes)),
  h('div.actions', h('button', { type: 'submit' }, 'Open incident'), h('a', { href: '#/incidents' }, 'Cancel')),
  status);
  clear(main, h('h1', 'Open an incident'), form);
  title.focus();
}
