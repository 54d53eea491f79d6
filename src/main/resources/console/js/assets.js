// Assets: the inventory with each asset's RTO/RPO and recovery runbooks, and one asset with what
// it depends on, what its failure takes down, the incidents that named it and its drills.

import { get, enc, query } from './api.js';
import { h, clear, appended, fill, badge, time, duration, section, pager } from './dom.js';

export async function assetList(main) {
  const assets = (await get('/api/assets')).assets
    .slice().sort((a, b) => a.tier - b.tier || a.rto_ms - b.rto_ms || a.id.localeCompare(b.id));
  clear(main,
    h('h1', 'Assets'),
    h('p.muted', assets.length + ' assets, most critical first (tier, then RTO).'),
    h('table.list',
      h('caption.visually-hidden', 'Assets, most critical first'),
      h('thead', h('tr', ['Asset', 'Kind', 'Owner', 'Tier', 'RTO', 'RPO', 'Recovery runbooks']
        .map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', assets.map(a => h('tr',
        h('td', assetLink(a.id), h('div.muted', a.name)),
        h('td', a.kind), h('td', a.owner), h('td', a.tier), h('td', a.rto), h('td', a.rpo),
        h('td', runbookLinks(a.recovery_runbooks)))))));
}

export async function assetPage(main, id) {
  const detail = await get('/api/assets/' + enc(id));
  const asset = detail.asset;
  const impact = h('div', h('p.muted', 'Working out what it takes down…'));
  const incidents = h('div', h('p.muted', 'Loading incidents…'));
  const drills = h('div', h('p.muted', 'Loading drills…'));
  clear(main,
    h('p.crumbs', h('a', { href: '#/assets' }, 'Assets'), ' / ', asset.id),
    h('div.heading', h('h1', asset.name), h('div.tags', badge(asset.kind, 'version'), badge('tier ' + asset.tier, 'tier'))),
    h('p.meta', asset.id, ' · owned by ', asset.owner),
    h('p', asset.description),
    h('dl.facts',
      h('dt', 'RTO'), h('dd', asset.rto, h('span.muted', ' (back in service within)')),
      h('dt', 'RPO'), h('dd', asset.rpo, h('span.muted', ' (data loss at most)')),
      h('dt', 'Recovery runbooks'), h('dd', asset.recovery_runbooks.length ? runbookLinks(asset.recovery_runbooks) : 'none')),
    h('div.columns.even',
      h('div', section('If it fails, it takes down', impact)),
      h('div', section('It depends on', lineageTable(detail.upstream, 'Nothing: it is a source.')))),
    section('Incidents that named it', incidents),
    section('Drills', drills));
  fill(impact, () => get('/api/assets/' + enc(id) + '/impact'), impactView);
  fill(incidents, () => get('/api/incidents' + query({ asset: id })), data => incidentTable(data, id));
  fill(drills, () => get('/api/drills/history' + query({ asset: id })), drillTable);
}

function impactView(report) {
  if (!report.affected.length) return h('p.muted', 'Nothing depends on it.');
  const tightest = report.tightest_rto;
  return h('div',
    h('p', 'Tightest RTO among them: ', h('strong', tightest.rto), ' (', assetLink(tightest.asset_id), ').'),
    lineageTable(report.affected, ''));
}

function lineageTable(rows, empty) {
  if (!rows.length) return h('p.muted', empty);
  return h('table.list.compact',
    h('thead', h('tr', ['Asset', 'RTO', 'Path'].map(t => h('th', { scope: 'col' }, t)))),
    h('tbody', rows.map(a => h('tr',
      h('td', assetLink(a.id), h('div.muted', a.name + ' · ' + a.kind)),
      h('td', a.rto),
      h('td', a.path.join(' → '), h('div.muted', a.via.replace('_', ' ')))))));
}

/** The incidents that named the asset, a page at a time, with how many there are in all. */
function incidentTable(data, assetId) {
  if (!data.incidents.length) return h('p.muted', 'No incident has named this asset.');
  const rows = h('tbody', data.incidents.map(incidentRow));
  return h('div',
    h('p.muted', data.total + (data.total === 1 ? ' incident' : ' incidents') + ', newest first.'),
    h('table.list.compact',
      h('thead', h('tr', ['Incident', 'Severity', 'Status', 'When'].map(t => h('th', { scope: 'col' }, t)))),
      rows),
    pager('Show older', data.next, before => get('/api/incidents' + query({ asset: assetId, before })),
      page => appended(rows, page.incidents.map(incidentRow))));
}

function incidentRow(i) {
  return h('tr',
    h('td', h('a', { href: '#/incidents/' + enc(i.id) }, i.id), h('div.muted', i.title)),
    h('td', badge(i.severity)), h('td', badge(i.status)), h('td', time(i.date)));
}

function drillTable(history) {
  if (!history.drills.length) return h('p.muted', 'Never drilled.');
  return h('div',
    h('p.muted', 'Recovery time trend: ', history.trend.direction, '.'),
    h('table.list.compact',
      h('thead', h('tr', ['Drill', 'Runbook', 'Result', 'Recovery', 'Started'].map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', history.drills.map(d => h('tr',
        h('td', d.drill_id, h('div.muted', d.scenario)),
        h('td', h('a', { href: '#/runbooks/' + enc(d.runbook_id) }, d.runbook_id)),
        h('td', badge(d.status), d.failure ? h('div.muted', d.failure) : null),
        h('td', d.recovery_ms === null ? 'not recovered' : duration(d.recovery_ms),
          d.within_rto === null ? null : h('div.muted', d.within_rto ? 'within RTO' : 'over RTO')),
        h('td', time(d.started_at)))))));
}

/** A link to the asset's page. */
export function assetLink(id) {
  return h('a', { href: '#/assets/' + enc(id) }, id);
}

/** Links to the assets' pages, comma-separated. */
export const assetLinks = (ids) => linkList(ids, id => '#/assets/' + enc(id));

/** Links to the runbooks' pages, comma-separated; a reference with its version (model-rollback@3) keeps it as its label. */
export const runbookLinks = (refs) => linkList(refs, ref => '#/runbooks/' + enc(ref.replace(/@\d+$/, '')));

function linkList(ids, href) {
  return ids.map((id, i) => [i ? ', ' : '', h('a', { href: href(id) }, id)]);
}
