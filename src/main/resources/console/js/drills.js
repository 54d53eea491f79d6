// Drills: scenarios, their last result against the RTO, starting one, a report that follows a
// running drill, the history and each runbook's recovery trend. The drills API may not exist on
// this server (an optional part): a 404 is a calm message, not an error.

import { get, post, enc, atLeast } from './api.js';
import { h, clear, errorBox, badge, duration, time, section, whileBusy } from './dom.js';

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
  const scenarios = h('tbody');
  const history = h('div', h('p.muted', 'Loading…'));
  const trends = h('div', h('p.muted', 'Loading…'));

  // A running drill's report is read again every POLL_MS until it ends (shown, if it is the open
  // report); then the scenarios' last drills, the history and the trends are read again.
  let shown = null;
  let running = null;
  let timer = null;
  let stopped = false;

  async function showReport(drillId) {
    shown = drillId;
    clear(report, h('p.muted', 'Loading report…'));
    await readReport(drillId);
  }

  async function readReport(drillId) {
    let r;
    try {
      r = await get('/api/drills/reports/' + enc(drillId));
    } catch (e) {
      if (stopped) return;
      if (shown === drillId) clear(report, errorBox(e));
      // A request that failed on its way is tried again; a refusal would be refused again.
      if (running === drillId && !(e.status >= 400 && e.status < 500)) watch(drillId);
      return;
    }
    if (stopped) return;
    if (shown === drillId) clear(report, reportView(r));
    if (r.status === 'running') {
      watch(drillId);
    } else if (running === drillId) {
      running = null;
      refresh();
    }
  }

  function watch(drillId) {
    running = drillId;
    clearTimeout(timer);
    timer = setTimeout(() => readReport(drillId), POLL_MS);
  }

  async function start(scenario, button) {
    await whileBusy(button, async () => {
      try {
        const started = await post('/api/drills/' + enc(scenario.id), {});
        clear(status, h('p.ok', 'Drill ' + started.drill_id + ' started. ',
          h('button.link', { type: 'button', onclick: () => showReport(started.drill_id) }, 'See its report')));
        watch(started.drill_id);
        refresh();
      } catch (err) {
        clear(status, errorBox(err));
      }
    });
  }

  function showScenarios(list) {
    // The rows are built again (a drill started or ended): the focus stays on the same button.
    const focused = scenarios.contains(document.activeElement) ? document.activeElement : null;
    const was = focused && { scenario: focused.closest('tr').dataset.scenario, text: focused.textContent };
    clear(scenarios, list.map(s => h('tr', { dataset: { scenario: s.id } },
      h('td', h('strong', s.title), h('div.muted', s.id)),
      h('td', h('code', s.fault)),
      h('td', s.assets.join(', ')),
      h('td', s.expected_runbook),
      h('td.last-drill', lastDrill(s.last, showReport)),
      h('td', atLeast('approver')
        ? h('button.secondary', { type: 'button', onclick: (e) => start(s, e.target) }, 'Run drill') : null))));
    if (was) {
      const row = [...scenarios.rows].find(r => r.dataset.scenario === was.scenario);
      const again = row && [...row.querySelectorAll('button')].find(b => b.textContent === was.text);
      if (again) again.focus();
    }
    // Started elsewhere, or before this page opened: its end refreshes the page too.
    const now = list.find(s => s.last && s.last.status === 'running');
    if (now && running === null) watch(now.last.drill_id);
  }

  function refresh() {
    get('/api/drills').then(d => {
      if (stopped) return;
      showScenarios(d.scenarios);
      clear(trends, trendsView(d.trends));
    }, e => !stopped && clear(status, errorBox(e)));
    loadHistory();
  }

  function loadHistory() {
    get('/api/drills/history?limit=' + HISTORY).then(
      d => !stopped && clear(history, historyView(d.drills, showReport)),
      e => !stopped && clear(history, errorBox(e)));
  }

  clear(main,
    h('h1', 'Drills'),
    h('p.muted', 'A drill injects a fault into the demo platform and measures detection and recovery against each asset\'s RTO.'),
    status,
    h('table.list.drill-scenarios',
      headings('Scenario', 'Fault', 'Assets', 'Expected runbook', 'Last drill', h('span.visually-hidden', 'Start')),
      scenarios),
    section('Report', report),
    section('Recovery trend', trends),
    section('History', history));
  showScenarios(data.scenarios);
  clear(report, h('p.muted', 'Choose a drill\'s report above.'));
  clear(trends, trendsView(data.trends));
  loadHistory();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

const POLL_MS = 2000;
const HISTORY = 20;

/** Per runbook: improving, steady or worsening, the newest passed drill against the ones before. */
function trendsView(trends) {
  if (!trends.length) return h('p.muted', 'No drills yet.');
  const kinds = { improving: 'succeeded', worsening: 'failed' };
  return h('table.list.compact.drill-trends',
    headings('Runbook', 'Trend', 'Recovery of its last passed drills, newest first'),
    h('tbody', trends.map(({ runbook, trend }) => {
      const times = trend.recovery_ms;
      const before = times.slice(1);
      const mean = before.reduce((a, b) => a + b, 0) / (before.length || 1);
      return h('tr', { dataset: { runbook } },
        h('td', h('code', runbook)),
        h('td', badge(trend.direction, kinds[trend.direction]),
          before.length ? h('div.muted', 'newest ' + duration(times[0]) + ' against ' + duration(mean)
            + ' on average over the ' + before.length + ' before') : null),
        h('td', times.length ? times.map(duration).join(', ') : h('span.muted', 'no passed drill')));
    })));
}

/** The latest drills, newest first: the recovery time each achieved against its RTO. */
function historyView(drills, showReport) {
  if (!drills.length) return h('p.muted', 'No drills yet.');
  return h('table.list.compact.drill-history',
    headings('Started', 'Scenario', 'Runbook', 'Result', 'Recovery', h('span.visually-hidden', 'Report')),
    h('tbody', drills.map(d => h('tr', { dataset: { drill: d.drill_id } },
      h('td', time(d.started_at)),
      h('td', d.scenario),
      h('td', h('code', d.runbook_id)),
      h('td', badge(d.status), d.failure ? h('div.muted', d.failure) : null),
      h('td', d.recovery_ms !== null && d.recovery_ms !== undefined
        ? duration(d.recovery_ms) + (d.rto_seconds ? ' / RTO ' + duration(d.rto_seconds * 1000) : '') + ' ' : 'not recovered ',
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
    h('table.list.compact', h('caption', 'Assets against their RTO'), headings('Asset', 'RTO', 'Result'),
      h('tbody', (r.assets || []).map(a => h('tr', h('td', a.id), h('td', duration(a.rto_seconds * 1000)),
        h('td', badge(a.within_rto ? 'within RTO' : 'over RTO', a.within_rto ? 'succeeded' : 'failed')))))),
    h('table.list.compact', h('caption', 'Steps'), headings('Step', 'State', 'Took'),
      h('tbody', (r.steps || []).map(s => h('tr', h('td', s.step_id), h('td', badge(s.state)), h('td', duration(s.duration_ms)))))));
}

/** A table's column headings; a column of buttons is named for screen readers only. */
function headings(...names) {
  return h('thead', h('tr', names.map(t => h('th', { scope: 'col' }, t))));
}
