// One incident: what it takes down and how much time is left, what happened before that looks
// like it, which runbook fits and why, the runs started for it, and the agent chat.

import { get, enc } from './api.js';
import { h, clear, errorBox, fill, badge, time, duration, section } from './dom.js';
import { chatPanel } from './chat.js';
import { drillBadge } from './drillflag.js';
import { assetLink, assetLinks, runbookLinks } from './assets.js';
import { resolutionPanel } from './postmortem.js';

export async function incidentPage(main, id) {
  const incident = await get('/api/incidents/' + enc(id));
  const impact = h('div', h('p.muted', 'Working out the impact…'));
  const suggestions = h('div', h('p.muted', 'Finding runbooks…'));
  const similar = h('div', h('p.muted', 'Finding similar incidents…'));
  const runs = h('div', h('p.muted', 'Loading runs…'));
  const resolved = incident.status === 'resolved';

  clear(main,
    h('p.crumbs', h('a', { href: '#/incidents' }, 'Incidents'), ' / ', incident.id),
    h('div.heading',
      h('h1', incident.title),
      h('div.tags', badge(incident.severity), badge(incident.status),
        h('a.postmortem-link', { href: '#/incidents/' + enc(incident.id) + '/postmortem' }, 'Postmortem draft'))),
    h('p.meta', 'Opened ', time(incident.date), incident.detected_by ? ' · detected by ' + incident.detected_by : '',
      ' · assets: ', incident.assets.length ? assetLinks(incident.assets) : 'none named'),
    incident.body ? h('details.body', h('summary', 'What was reported'), h('p.pre', incident.body)) : null,
    h('div.columns',
      h('div.col-main',
        resolved ? resolutionPanel(incident) : null,
        section('Impact', impact),
        section('Suggested runbooks', suggestions),
        section('Runs for this incident', runs),
        resolved ? null : resolutionPanel(incident),
        section('Similar past incidents', similar)),
      h('div.col-side', chatPanel(incident.id))));

  const stops = [];
  fillImpact(impact, incident, stops);
  fill(suggestions, () => get('/api/incidents/' + enc(id) + '/runbooks?k=3'), data => suggestionList(data, id));
  fill(similar, () => get('/api/incidents/' + enc(id) + '/similar?k=3'), similarList);
  fill(runs, () => get('/api/runs?incident=' + enc(id)), runList);
  return () => stops.forEach(stop => stop());
}

/** Impact of every named asset together: downstream assets, the tightest RTO, the clock against it. */
async function fillImpact(el, incident, stops) {
  if (!incident.assets.length) {
    clear(el, h('p.muted', 'No assets were named for this incident, so the impact is unknown.'));
    return;
  }
  let reports;
  try {
    reports = await Promise.all(incident.assets.map(a => get('/api/assets/' + enc(a) + '/impact')));
  } catch (e) {
    clear(el, errorBox(e));
    return;
  }
  const affected = new Map();
  let tightest = null;
  for (const r of reports) {
    for (const a of r.affected) {
      const seen = affected.get(a.id);
      if (!seen || a.distance < seen.distance) affected.set(a.id, a);
    }
    if (!tightest || r.tightest_rto.rto_ms < tightest.rto_ms) tightest = r.tightest_rto;
  }
  const clock = h('div.clock');
  const resolved = incident.status === 'resolved';
  const tick = () => {
    const elapsed = Date.now() - Date.parse(incident.date);
    const share = Math.min(1, elapsed / tightest.rto_ms);
    const over = elapsed > tightest.rto_ms;
    clear(clock,
      h('div.clock-text',
        h('strong', resolved ? 'Resolved.' : over ? 'RTO exceeded' : duration(tightest.rto_ms - elapsed) + ' left'),
        ' Tightest RTO ', h('strong', tightest.rto), ' (', tightest.asset_id, '); ',
        duration(elapsed), ' since the incident opened.'),
      h('div.bar', { role: 'meter', 'aria-label': 'Time elapsed against the tightest RTO',
        'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': Math.round(share * 100),
        'aria-valuetext': Math.round(share * 100) + '% of the RTO used' },
      h('span', { class: resolved ? 'fill done' : over ? 'fill over' : share > 0.75 ? 'fill warn' : 'fill', style: null, dataset: { share } })));
    // Width through the CSSOM (the CSP forbids inline style attributes).
    clock.querySelector('.fill').style.width = Math.round(share * 100) + '%';
  };
  tick();
  if (!resolved) {
    const timer = setInterval(tick, 15000);
    stops.push(() => clearInterval(timer));
  }
  const list = [...affected.values()].sort((a, b) => a.rto_ms - b.rto_ms || a.distance - b.distance);
  clear(el, clock,
    list.length
      ? h('table.list.compact',
        h('caption', list.length + ' downstream asset' + (list.length === 1 ? '' : 's') + ', tightest RTO first'),
        h('thead', h('tr', ['Asset', 'Kind', 'RTO', 'Via', 'Runbooks'].map(t => h('th', { scope: 'col' }, t)))),
        h('tbody', list.map(a => h('tr',
          h('td', assetLink(a.id), h('div.muted', a.name)),
          h('td', a.kind), h('td', a.rto), h('td', a.path.join(' → ')),
          h('td', runbookLinks(a.recovery_runbooks || []))))))
      : h('p.muted', 'Nothing downstream depends on ' + incident.assets.join(', ') + '.'));
}

/** While the search index is being built, results cover only what is indexed so far: say so. */
function warmingNote(data) {
  return data.index && data.index.warming_up ? h('p.muted.index-warming', { role: 'status' }, 'Index still warming up: '
    + data.index.note + '. Reload in a minute for the full picture.') : null;
}

function suggestionList(data, incidentId) {
  if (!data.runbooks.length) return h('div', warmingNote(data), h('p.muted', 'No runbook matches this incident.'));
  return h('div', warmingNote(data), h('ol.cards', data.runbooks.map((r, i) => h('li.card', { class: i === 0 ? 'card best' : 'card' },
    h('div.card-head',
      h('a', { href: '#/runbooks/' + enc(r.id) + '?incident=' + enc(incidentId) }, r.title),
      h('span.muted', ' ' + r.id + ' v' + r.version + ' · score ' + r.score.toFixed(2)),
      r.drill ? [' ', drillBadge(r.drill)] : null),
    h('ul.reasons', r.reasons.map(x => h('li', x)))))));
}

function similarList(data) {
  if (!data.similar.length) return h('div', warmingNote(data), h('p.muted', 'No similar past incident.'));
  return h('div', warmingNote(data), h('ol.cards.similar', data.similar.map(s => h('li.card',
    h('div.card-head',
      h('a', { href: '#/incidents/' + enc(s.id) }, s.id + ': ' + s.title),
      h('span.muted', ' ' + s.severity + ' · ' + new Date(s.date).toLocaleDateString() + ' · score ' + s.score.toFixed(2)),
      // One still open may be this very problem, reported twice: say so before its empty resolution.
      s.status === 'resolved' ? null : h('span.badge.unresolved.' + s.status, s.status === 'open' ? 'open now: possibly the same problem'
        : 'mitigated, not resolved yet')),
    h('dl.facts',
      h('dt', 'Resolution'), h('dd', s.resolution || (s.status === 'resolved' ? '—' : 'none yet')),
      h('dt', 'Runbook used'), h('dd', s.runbooks_used.length ? s.runbooks_used.join(', ') : 'none'),
      h('dt', 'Why similar'), h('dd', s.reasons.join('; ')))))));
}

export function runList(data) {
  if (!data.runs.length) return h('p.muted', 'No run yet. Start one from a suggested runbook.');
  return h('table.list.compact',
    h('thead', h('tr', ['Run', 'Runbook', 'State', 'Requested by', 'Started'].map(t => h('th', { scope: 'col' }, t)))),
    h('tbody', data.runs.map(r => h('tr',
      h('td', h('a', { href: '#/runs/' + enc(r.id) }, r.id)),
      h('td', r.runbook_id + ' v' + r.runbook_version),
      h('td', badge(r.state), r.waiting_for ? h('div.muted', r.waiting_for) : null),
      h('td', r.requested_by),
      h('td', time(r.created_at))))));
}
