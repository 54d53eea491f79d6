// Drills: scenarios, their last result against the RTO, starting one, and a report. The drills
// API may not exist on this server (an optional part): a 404 is a calm message, not an error.

import { get, post, enc, atLeast } from './api.js';
import { h, clear, errorBox, badge, duration, time, section } from './dom.js';

export async function drillsPage(main) {
  let data;
  try {
    data = await get('/api/drills');
  } catch (e) {
    if (e.status === 404) {
      clear(main, h('h1', 'Drills'), h('p.calm', 'Drills are not available on this server.'));
      return;
    }
    throw e;
  }
  const report = h('div', { 'aria-live': 'polite' });
  const status = h('div', { 'aria-live': 'polite' });
  const history = h('div', h('p.muted', 'Loading…'));

  async function showReport(drillId) {
    clear(report, h('p.muted', 'Loading report…'));
    try {
      clear(report, reportView(await get('/api/drills/reports/' + enc(drillId))));
    } catch (e) {
      clear(report, errorBox(e));
    }
  }

  async function start(scenario, button) {
    button.disabled = true;
    try {
      const started = await post('/api/drills/' + enc(scenario.id), {});
      clear(status, h('p.ok', 'Drill ' + started.drill_id + ' started. ',
        h('button.link', { type: 'button', onclick: () => showReport(started.drill_id) }, 'See its report')));
    } catch (err) {
      clear(status, errorBox(err));
    } finally {
      button.disabled = false;
    }
  }

  clear(main,
    h('h1', 'Drills'),
    h('p.muted', 'A drill injects a fault into the demo platform and measures detection and recovery against each asset\'s RTO.'),
    status,
    h('table.list',
      h('thead', h('tr', ['Scenario', 'Fault', 'Assets', 'Expected runbook', 'Last drill', ''].map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', data.scenarios.map(s => h('tr',
        h('td', h('strong', s.title), h('div.muted', s.id)),
        h('td', h('code', s.fault)),
        h('td', s.assets.join(', ')),
        h('td', s.expected_runbook),
        h('td', lastDrill(s.last, showReport)),
        h('td', atLeast('approver')
          ? h('button.secondary', { type: 'button', onclick: (e) => start(s, e.target) }, 'Run drill') : null))))),
    section('Report', report),
    section('History', history));
  clear(report, h('p.muted', 'Choose a drill\'s report above.'));
  get('/api/drills/history?limit=' + HISTORY).then(
    data => clear(history, historyView(data.drills, showReport)),
    e => clear(history, errorBox(e)));
}

const HISTORY = 20;

/** The latest drills, newest first: the recovery time each achieved against its RTO. */
function historyView(drills, showReport) {
  if (!drills.length) return h('p.muted', 'No drills yet.');
  return h('table.list.compact.drill-history',
    h('thead', h('tr', ['Started', 'Scenario', 'Runbook', 'Result', 'Recovery', ''].map(t => h('th', { scope: 'col' }, t)))),
    h('tbody', drills.map(d => h('tr', { dataset: { drill: d.drill_id } },
      h('td', time(d.started_at)),
      h('td', d.scenario),
      h('td', h('code', d.runbook_id)),
      h('td', badge(d.status), d.failure ? h('div.muted', d.failure) : null),
      h('td', d.recovery_ms !== null && d.recovery_ms !== undefined ? duration(d.recovery_ms) + ' ' : 'not recovered ',
        d.within_rto === false ? badge('over RTO', 'failed') : d.within_rto ? badge('within RTO', 'succeeded') : null),
      h('td', h('button.link', { type: 'button', onclick: () => showReport(d.drill_id) }, 'report'))))));
}

function lastDrill(last, showReport) {
  if (!last) return h('span.muted', 'never run');
  return [badge(last.status), ' ',
    last.recovery_ms !== null && last.recovery_ms !== undefined ? duration(last.recovery_ms) + ' ' : '',
    last.within_rto === false ? badge('over RTO', 'failed') : last.within_rto ? badge('within RTO', 'succeeded') : null,
    h('div', h('button.link', { type: 'button', onclick: () => showReport(last.drill_id) }, 'report'),
      last.finished_at ? [' · ', time(last.finished_at)] : null)];
}

function reportView(r) {
  const running = r.status === 'running';
  // A time not measured (yet): a running drill has not got there, a finished one never did.
  const measured = (what, ms) => ms !== null && ms !== undefined ? what + ' in ' + duration(ms)
    : 'not ' + what + (running ? ' yet' : '');
  return h('div',
    h('p.drill-summary', h('strong', r.scenario), ' ', badge(r.status), running ? ' (' + r.phase + ')' : '',
      ' · ', measured('detected', r.detection_ms), ' · ', measured('recovered', r.recovery_ms)),
    r.failure ? h('p.error-text', r.failure) : null,
    r.retrieval ? h('p', 'Runbook chosen: ', h('code', r.retrieval.chosen || '—'), ' (expected ', h('code', r.retrieval.expected), ') ',
      badge(r.retrieval.matched ? 'matched' : 'mismatch', r.retrieval.matched ? 'succeeded' : 'failed')) : null,
    h('table.list.compact', h('caption', 'Assets against their RTO'),
      h('tbody', (r.assets || []).map(a => h('tr', h('td', a.id), h('td', duration(a.rto_seconds * 1000)),
        h('td', badge(a.within_rto ? 'within RTO' : 'over RTO', a.within_rto ? 'succeeded' : 'failed')))))),
    h('table.list.compact', h('caption', 'Steps'),
      h('tbody', (r.steps || []).map(s => h('tr', h('td', s.step_id), h('td', badge(s.state)), h('td', duration(s.duration_ms)))))));
}
