// After the incident: how it was resolved (or the form that records it, so the next similar
// incident finds it), and the postmortem draft the server builds from the audit log.

import { get, post, enc, atLeast } from './api.js';
import { h, clear, errorBox, badge, time, duration, section, whileBusy } from './dom.js';
import { runbookLinks } from './assets.js';

const MAX_TEXT = 4000;

/**
 * A resolved incident's root cause, resolution and runbooks; for an open one, the form that
 * resolves it (responders), or where to record them when the incident comes from a file.
 */
export function resolutionPanel(incident) {
  if (incident.status === 'resolved') {
    return section('Resolution', h('dl.facts.resolution',
      h('dt', 'Root cause'), h('dd', incident.root_cause || '—'),
      h('dt', 'Resolution'), h('dd', incident.resolution || '—'),
      h('dt', 'Runbooks used'), h('dd', incident.runbooks_used.length ? runbookLinks(incident.runbooks_used) : 'none'),
      h('dt', 'Took'), h('dd', incident.duration_s === null ? '—' : duration(incident.duration_s * 1000))));
  }
  if (!atLeast('responder')) return null;
  if (incident.file) {
    return section('Resolve', h('p.muted', 'This incident comes from ', h('code', incident.file),
      ': record its root cause and resolution in that file (the import keeps it in sync).'));
  }
  return section('Resolve', resolveForm(incident));
}

function resolveForm(incident) {
  const rootCause = h('textarea#resolve-root-cause', { name: 'root_cause', rows: 3, required: true, maxlength: MAX_TEXT });
  const resolution = h('textarea#resolve-resolution', { name: 'resolution', rows: 3, required: true, maxlength: MAX_TEXT });
  const status = h('div', { 'aria-live': 'polite' });
  const form = h('form.stack', {
    onsubmit: async (event) => {
      event.preventDefault();
      await whileBusy(form.querySelector('button[type=submit]'), async () => {
        try {
          await post('/api/incidents/' + enc(incident.id) + '/resolve',
            { root_cause: rootCause.value.trim(), resolution: resolution.value.trim() });
          // The same address again: the route renders the incident as it is now (resolved).
          window.dispatchEvent(new HashChangeEvent('hashchange'));
        } catch (e) {
          clear(status, errorBox(e));
        }
      });
    },
  },
  h('p.muted', 'Resolving records why it happened and what fixed it; the next similar incident finds it. '
    + 'The runbooks used are those of its runs that changed something.'),
  h('label', { for: 'resolve-root-cause' }, 'Root cause'), rootCause,
  h('label', { for: 'resolve-resolution' }, 'Resolution'), resolution,
  h('div.actions', h('button', { type: 'submit' }, 'Resolve incident')),
  status);
  return form;
}

export async function postmortemPage(main, id) {
  const draft = await get('/api/incidents/' + enc(id) + '/postmortem');
  const incident = draft.incident;
  const copied = h('span.muted', { 'aria-live': 'polite' });
  clear(main,
    h('p.crumbs', h('a', { href: '#/incidents' }, 'Incidents'), ' / ',
      h('a', { href: '#/incidents/' + enc(id) }, id), ' / postmortem draft'),
    h('div.heading', h('h1', 'Postmortem draft: ' + incident.title),
      h('div.tags', badge(incident.severity), badge(incident.status))),
    h('p.meta', 'Built from the audit log', draft.narrative ? ', with a narrative by the model' : '',
      '. Edit it where you keep postmortems; Rebound keeps the record it came from.'),
    draft.degraded ? h('p.warn', 'No narrative: ', draft.degraded.message) : null,
    draft.narrative ? section('Narrative', h('p.pre', draft.narrative)) : null,
    section('Open questions', draft.open_questions.length
      ? h('ul.questions', draft.open_questions.map(q => h('li', q)))
      : h('p.muted', 'None: the record answers the usual questions.')),
    section('Recovery against the RTO', recoveryTable(draft.recovery, incident.status === 'resolved')),
    section('Runs', runsView(draft.runs)),
    section('Timeline', timelineTable(draft.timeline)),
    section('Markdown',
      h('div.actions', h('button.secondary', {
        type: 'button',
        onclick: async () => {
          try {
            await navigator.clipboard.writeText(draft.markdown);
            clear(copied, 'Copied.');
          } catch (e) {
            clear(copied, 'The browser refused the clipboard; select the text below instead.');
          }
        },
      }, 'Copy markdown'), copied),
      h('pre.markdown', draft.markdown)));
}

function recoveryTable(rows, resolved) {
  if (!rows.length) return h('p.muted', 'No asset recovery is recorded (no named asset, or no run succeeded).');
  return h('table.list.compact',
    h('thead', h('tr', ['Asset', 'RTO', 'Recovered', 'Time to recover'].map(t => h('th', { scope: 'col' }, t)))),
    h('tbody', rows.map(r => h('tr',
      h('td', r.asset), h('td', r.rto || '—'),
      // Recovery is known from a run that succeeded; an incident resolved without one has no time.
      h('td', r.recovered_at ? time(r.recovered_at) : resolved ? 'not recorded (no run recovered it)' : 'not yet'),
      h('td', r.time_to_recover_s == null ? '—' : duration(r.time_to_recover_s * 1000),
        r.within_rto == null ? null
          : [' ', badge(r.within_rto ? 'within RTO' : 'over RTO', r.within_rto ? 'ok' : 'failed')])))));
}

function runsView(runs) {
  if (!runs.length) return h('p.muted', 'No run of a runbook for this incident.');
  return runs.map(run => h('div.run-summary',
    h('h3', h('a', { href: '#/runs/' + enc(run.run_id) }, run.runbook), ' ', badge(run.state)),
    h('p.muted', 'Requested by ', run.requested_by, run.proposed_by ? ' (proposed by ' + run.proposed_by + ')' : '',
      ' · ', time(run.created_at), run.finished_at ? [' → ', time(run.finished_at)] : null),
    h('ol.steps-summary', run.steps.map(s => h('li',
      h('strong', s.id), ' ', s.title, ' ', badge(s.state),
      h('span.muted', ' · risk ', s.risk, s.attempts > 1 ? ' · ' + s.attempts + ' attempts' : '',
        s.approved_by.length ? ' · approved by ' + s.approved_by.map(a => a.approver).join(', ') : ''))))));
}

function timelineTable(entries) {
  if (!entries.length) return h('p.muted', 'The audit log records nothing about this incident: it was neither reported nor worked in Rebound.');
  return h('table.list.compact',
    h('thead', h('tr', ['When', 'Who', 'What'].map(t => h('th', { scope: 'col' }, t)))),
    h('tbody', entries.map(e => h('tr',
      h('td', time(e.at)), h('td', e.actor, h('div.muted', e.actor_type)), h('td', e.summary)))));
}
