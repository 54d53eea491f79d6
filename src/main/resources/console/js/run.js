// A run, live: the step timeline over server-sent events (read with fetch, see sse.js), what the
// run waits for, and the buttons for it. An approval card shows exactly what approving binds:
// the rendered action, its targets, the action hash, how long the approval stays valid, and who
// else has approved. Buttons are shown only to roles the policy accepts; the server decides anyway.

import { get, post, enc, session, atLeast } from './api.js';
import { h, clear, append, errorBox, badge, time, duration } from './dom.js';
import { openEvents } from './sse.js';

const FINAL = ['succeeded', 'failed', 'rolled_back', 'aborted'];

export async function runPage(main, id) {
  const header = h('div');
  const decision = h('div.decision-slot');
  const steps = h('ol.timeline#timeline', { 'aria-label': 'Steps' });
  const runChecks = h('div');
  const events = h('ol.events', { 'aria-label': 'Live events' });
  const live = h('span.live', 'connecting…');
  const announcer = h('p.visually-hidden', { 'aria-live': 'polite', id: 'run-announcer' });
  let view = null;
  let decisionKey = null;
  let refreshing = null;
  let again = false;
  let lastSeq = 0;

  clear(main,
    header,
    decision,
    h('div.columns',
      h('div.col-main', h('section.panel', { 'aria-labelledby': 'steps-title' },
        h('div.heading', h('h2#steps-title', 'Timeline'), live), steps, runChecks)),
      h('div.col-side', h('section.panel', { 'aria-labelledby': 'events-title' },
        h('h2#events-title', 'Events'), h('div.events-box', { 'aria-live': 'polite', 'aria-relevant': 'additions' }, events)))),
    announcer);

  function render(next) {
    const previous = view;
    view = next;
    renderHeader();
    const key = JSON.stringify(view.awaiting) + view.state;
    if (key !== decisionKey) {
      decisionKey = key;
      clear(decision, decisionView());
    }
    renderSteps(previous);
    clear(runChecks, view.checks.length ? [h('h3', 'Run checks'), checkTable(view.checks)] : null);
  }

  function renderHeader() {
    clear(header,
      h('p.crumbs', view.incident_id ? [h('a', { href: '#/incidents/' + enc(view.incident_id) }, view.incident_id), ' / '] : null,
        'run ', h('code', view.id)),
      h('div.heading',
        h('h1', h('a', { href: '#/runbooks/' + enc(view.runbook_id) }, view.runbook_id), ' v' + view.runbook_version),
        h('div.tags', h('span#run-state', { dataset: { state: view.state } }, badge(view.state.replace('_', ' '), view.state)),
          view.kind === 'drill' ? badge('drill', 'drill') : null)),
      h('p.meta', 'Requested by ', view.requested_by, ' · started ', time(view.created_at),
        view.finished_at ? [' · finished ', time(view.finished_at)] : null,
        ' · params ', h('code', JSON.stringify(view.params))),
      view.waiting_for ? h('p.waiting', view.waiting_for) : null,
      view.error ? h('p.error-text', view.error) : null);
  }

  function renderSteps(previous) {
    const before = new Map((previous ? previous.steps : []).map(s => [s.id, s.state]));
    clear(steps, view.steps.map(s => {
      const changed = previous && before.get(s.id) !== s.state;
      if (changed) announcer.textContent = 'Step ' + s.title + ': ' + s.state.replace('_', ' ');
      const awaited = view.awaiting && view.awaiting.step_id === s.id && view.awaiting.attempt;
      return stepView(s, changed, awaited || s.attempt);
    }));
  }

  function decisionView() {
    const a = view.awaiting;
    if (FINAL.includes(view.state)) {
      return h('div.decision.done', { class: 'decision done ' + view.state },
        h('strong', view.state === 'succeeded' ? 'Recovered: every step ran and the validation passed.'
          : view.state === 'rolled_back' ? 'Rolled back: the completed steps were undone in reverse order.'
            : view.state === 'aborted' ? 'Aborted.' : 'The run failed.'),
        leftInEffect(),
        view.state === 'failed' && atLeast('approver') ? actionButtons(['rollback', 'abort']) : null);
    }
    if (!a) return h('div.decision.working', h('span.spinner', { 'aria-hidden': 'true' }), ' The engine is working…',
      atLeast('approver') ? actionButtons(['abort']) : null);
    if (a.what === 'approval') return approvalCard(a);
    if (a.what === 'decision') {
      return h('div.decision.attention',
        h('h2', a.step_id ? 'Step ' + a.step_id + ' failed' : 'Decision needed'),
        h('p', a.about), h('p.muted', 'Who: ' + (a.who || 'approver or admin')),
        actionButtons(a.options));
    }
    if (a.what === 'preconditions') {
      return h('div.decision.attention', h('h2', 'Preconditions do not hold'), h('p', a.about), actionButtons(a.options));
    }
    return h('div.decision', JSON.stringify(a));
  }

  // A run that did not recover may have changed things that stay (an aborted run is not rolled
  // back): which steps, each with its undo, and whether Rebound can still run those undos.
  function leftInEffect() {
    const left = view.left_in_effect || [];
    if (!left.length) return null;
    const rollback = left.filter(s => s.undo === 'rollback').length;
    const byHand = left.filter(s => s.undo === 'by_hand').length;
    return h('div.left-in-effect#left-in-effect',
      h('p', h('strong.warn', 'Left in effect:'),
        ' what ' + (left.length === 1 ? 'this step' : 'these steps') + ' changed stays.'),
      h('ul', left.map(s => h('li', { dataset: { step: s.step_id } }, h('code', s.step_id), ' ', s.title,
        s.applied === 'maybe' ? ' (may have applied)' : '', ' · ',
        s.undo === 'none' ? 'no undo' : ['undo: ', h('code', s.undo_summary || 'see the step below')]))),
      rollback ? h('p', 'Roll the run back to run ' + (rollback === 1 ? 'this undo' : 'these undos')
        + ': Roll back below, or POST /api/runs/' + view.id + '/rollback.') : null,
      byHand ? h('p', 'The run has ended, so Rebound will not run '
        + (byHand === 1 ? 'this undo: do it' : 'these undos: do them') + ' by hand.') : null);
  }

  function approvalCard(a) {
    const step = view.steps.find(s => s.id === a.step_id) || {};
    const me = session.identity.identity;
    const mayApprove = a.roles.includes(session.identity.role) && !a.excluded.includes(me)
      && !a.approved_by.some(x => x.approver === me);
    const why = !a.roles.includes(session.identity.role)
      ? 'Your role (' + session.identity.role + ') cannot approve this step: it needs ' + a.roles.join(' or ') + '.'
      : a.excluded.includes(me) ? 'You cannot approve this step: ' + (me === view.requested_by ? 'you requested the run and this risk needs someone else.' : 'you are excluded.')
        : a.approved_by.some(x => x.approver === me) ? 'You have approved; waiting for someone else.' : null;
    const reason = h('input#reject-reason', { name: 'reason', placeholder: 'why (recorded in the audit log)' });
    const status = h('div', { 'aria-live': 'polite' });
    const ttl = a.approval_ttl_seconds;
    return h('section.decision.approval', { 'aria-labelledby': 'approval-title', dataset: { approvalStep: a.step_id } },
      h('h2#approval-title', 'Approval needed: ', step.title || a.step_id),
      h('p', badge(a.risk), ' ', a.approvals_so_far + ' of ' + a.approvals_required + ' approval' + (a.approvals_required === 1 ? '' : 's'),
        ' from ', a.roles.join(' / '), a.distinct_from_requester ? ', not ' + view.requested_by + ' (requester)' : '',
        '. Attempt ' + a.attempt + '.'),
      h('div.binds', h('h3', 'Your approval binds exactly this'),
        h('dl.facts',
          h('dt', 'Action'), h('dd', h('pre.json#approval-action', JSON.stringify(a.action, null, 2))),
          h('dt', 'Targets'), h('dd#approval-targets', a.targets.length ? a.targets.join(', ') : 'no assets named'),
          h('dt', 'Action hash'), h('dd', h('code#approval-hash', a.action_hash)),
          h('dt', 'Runbook content'), h('dd', h('code', view.content_hash)),
          h('dt', 'Expiry'), h('dd#approval-expiry', 'single use, valid for ' + duration(ttl * 1000) + ' after you approve (until about '
            + new Date(Date.now() + ttl * 1000).toLocaleTimeString() + ')',
          a.first_expiry ? '; the first approval given expires ' + new Date(a.first_expiry).toLocaleTimeString() : ''))),
      h('p#approved-by', a.approved_by.length
        ? ['Approved so far by ', a.approved_by.map((x, i) => [i ? ', ' : '', h('strong', x.approver), ' (', new Date(x.at).toLocaleTimeString(), ')'])]
        : 'Nobody has approved this attempt yet.'),
      mayApprove
        ? h('div.actions',
          h('button', { type: 'button', dataset: { action: 'approve' }, onclick: async (e) => {
            e.target.disabled = true;
            try {
              const binding = await post('/api/runs/' + enc(view.id) + '/steps/' + enc(a.step_id) + '/approve', { action_hash: a.action_hash, attempt: a.attempt });
              clear(status, h('p.ok', 'Approved (' + binding.approvals + ' of ' + binding.approvals_required + ').'));
            } catch (err) {
              clear(status, errorBox(err));
              e.target.disabled = false;
            }
          } }, 'Approve this action'),
          h('label.visually-hidden', { for: 'reject-reason' }, 'Reason for rejecting'), reason,
          h('button.danger', { type: 'button', dataset: { action: 'reject' }, onclick: async () => {
            try {
              render(await post('/api/runs/' + enc(view.id) + '/steps/' + enc(a.step_id) + '/reject', { reason: reason.value || null }));
            } catch (err) {
              clear(status, errorBox(err));
            }
          } }, 'Reject'))
        : h('p.muted#cannot-approve', why),
      status);
  }

  // An abort undoes nothing, and an aborted run cannot be rolled back afterwards: say so before
  // it happens, once a step has run (and point to Roll back when it is offered).
  function confirmText(action, options) {
    const ran = (view.steps || []).some(s => s.state === 'succeeded' || s.state === 'failed');
    if (action === 'rollback' || !ran) return (action === 'abort' ? 'Abort' : 'Roll back') + ' run ' + view.id + '?';
    return 'Abort run ' + view.id + '? What the steps that ran changed stays: an abort undoes nothing, and an'
      + ' aborted run cannot be rolled back afterwards.'
      + (options.includes('rollback') ? ' To undo them, choose Roll back instead.' : '');
  }

  function actionButtons(options) {
    const status = h('div', { 'aria-live': 'polite' });
    const failedStep = view.awaiting && view.awaiting.step_id;
    const allowed = { retry: 'responder', recheck: 'responder', rollback: 'approver', abort: 'approver' };
    const labels = { retry: 'Retry the step', recheck: 'Check again', rollback: 'Roll back', abort: 'Abort' };
    const buttons = (options || []).filter(o => allowed[o] && atLeast(allowed[o])).map(o => h('button', {
      type: 'button', class: o === 'retry' || o === 'recheck' ? '' : 'danger', dataset: { action: o },
      onclick: async (e) => {
        if ((o === 'rollback' || o === 'abort') && !confirm(confirmText(o, options))) return;
        e.target.disabled = true;
        const path = o === 'retry' ? '/api/runs/' + enc(view.id) + '/steps/' + enc(failedStep) + '/retry'
          : '/api/runs/' + enc(view.id) + '/' + o;
        try {
          render(await post(path, {}));
        } catch (err) {
          clear(status, errorBox(err));
          e.target.disabled = false;
        }
      },
    }, labels[o]));
    return h('div', h('div.actions', buttons.length ? buttons : h('span.muted', 'Your role cannot act on this.')), status);
  }

  function addEvent(entry) {
    // Loaded with the page, then perhaps streamed as well: each entry once, in order.
    if (entry.seq <= lastSeq) return;
    lastSeq = entry.seq;
    // Step subjects are "run/step": the run is this page's, the step is what matters.
    const step = entry.subject_type === 'step' ? String(entry.subject_id).split('/').pop() : null;
    append(events, h('li', { class: /failed|refused|rejected/.test(entry.action) ? 'bad' : /succeeded|passed|rolled_back/.test(entry.action) ? 'good' : '' },
      h('time', { datetime: entry.at }, new Date(entry.at).toLocaleTimeString()), ' ',
      h('strong', entry.action), step ? ' ' + step : '', h('span.muted', ' · ' + entry.actor_id)));
    while (events.children.length > 200) events.firstChild.remove();
    events.parentElement.scrollTop = events.parentElement.scrollHeight;
  }

  // One fetch of the run per burst of events: the stream says something changed, the view says what.
  async function refresh() {
    if (refreshing) {
      again = true;
      return;
    }
    refreshing = get('/api/runs/' + enc(id));
    try {
      render(await refreshing);
    } catch (e) {
      clear(decision, errorBox(e));
    } finally {
      refreshing = null;
      if (again) {
        again = false;
        refresh();
      }
    }
  }

  render(await get('/api/runs/' + enc(id)));
  // The stream carries what happens from now on; what happened before the page opened is in the audit trail.
  try {
    const past = await get('/api/audit?run=' + enc(id) + '&order=newest&limit=200');
    past.entries.slice().reverse().forEach(addEvent);
  } catch (e) {
    append(events, h('li.muted', 'Earlier events could not be loaded: ' + e.message));
  }
  const stream = openEvents('/api/runs/' + enc(id) + '/events', (event) => {
    if (event.event === 'snapshot') {
      render(JSON.parse(event.data));
      return;
    }
    try {
      addEvent(JSON.parse(event.data));
    } catch (e) { /* not an audit entry: still a change */ }
    refresh();
  }, (state, detail) => {
    live.textContent = state === 'live' ? '● live' : state === 'reconnecting' ? 'reconnecting…' : state === 'error' ? detail : '';
    live.className = 'live ' + state;
  });
  return () => stream.close();
}

// current: the step's attempt now (the one awaiting approval, after a retry): approvals given
// for another attempt say which, so an earlier attempt's read as what they are.
function stepView(s, changed, current) {
  const checks = s.checks || [];
  return h('li.step', { class: 'step ' + s.state + (changed ? ' changed' : ''), dataset: { step: s.id, state: s.state } },
    h('div.step-head',
      h('span.num', String(s.index + 1)),
      h('strong', s.title),
      h('span.step-state', badge(s.state.replace('_', ' '), s.state)),
      badge(s.risk),
      s.attempt > 1 ? h('span.muted', 'attempt ' + s.attempt) : null),
    h('div.step-body',
      s.action ? h('details', h('summary', s.action_type + ' action', s.targets.length ? ' on ' + s.targets.join(', ') : ''),
        h('pre.json', JSON.stringify(s.action, null, 2)), s.action_hash ? h('p.muted', 'action hash ', h('code', s.action_hash)) : null) : null,
      s.summary ? h('p', s.summary) : null,
      s.error ? h('p.error-text', s.error) : null,
      checks.length ? checkTable(checks) : null,
      s.output ? h('details.output', h('summary', 'Output (secrets masked)'), h('pre.json', JSON.stringify(s.output, null, 2))) : null,
      s.undo && s.undo.state && s.undo.state !== 'none' ? h('p.undo', 'Undo: ', badge(s.undo.state, s.undo.state),
        s.undo.error ? h('span.error-text', ' ' + s.undo.error) : null) : null,
      s.approvals.length ? h('p.muted.approvals', 'Approved by ', s.approvals.map((a, i) => [i ? ', ' : '',
        a.approver + ' (' + a.role + (a.attempt !== current ? ', attempt ' + a.attempt : '') + ')'])) : null,
      s.started_at ? h('p.muted', 'started ', time(s.started_at), s.finished_at ? [' · took ', duration(Date.parse(s.finished_at) - Date.parse(s.started_at))] : null) : null));
}

function checkTable(checks) {
  return h('table.checks',
    h('thead', h('tr', ['', 'Check', 'Observed', 'Expected', 'Phase'].map(t => h('th', { scope: 'col' }, t)))),
    h('tbody', checks.map(c => h('tr', { class: c.passed ? 'pass' : 'fail' },
      h('td', c.passed ? badge('pass', 'pass') : badge('fail', 'fail')),
      h('td', c.name, c.message && !c.passed ? h('div.muted', c.message) : null),
      h('td', h('code', c.observed === null ? '—' : String(c.observed))),
      h('td', h('code', c.expected === null ? '—' : String(c.expected))),
      // Run checks re-run while the system settles after the change: which attempt this was.
      h('td', c.phase + (c.step_id == null && c.attempt > 0 ? ' · re-check ' + c.attempt : ''))))));
}
