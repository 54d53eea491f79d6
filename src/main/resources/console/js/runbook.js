// Runbooks: the list, and one runbook with its parameter form (generated from the parameters'
// JSON Schema), its plan rendered with those values by the server (a dry run), the approval state
// of the version, and "Start run".

import { get, post, enc, query, atLeast, session } from './api.js';
import { h, clear, errorBox, badge, section } from './dom.js';
import { drillBadge } from './drillflag.js';
import { assetLinks } from './assets.js';

export async function runbookList(main) {
  const data = await get('/api/runbooks');
  clear(main,
    h('h1', 'Runbooks'),
    h('table.list',
      h('thead', h('tr', ['Runbook', 'Version', 'Highest risk', 'Approval', 'Assets'].map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', data.runbooks.map(r => h('tr',
        h('td', h('a', { href: '#/runbooks/' + enc(r.id) }, r.title), h('div.muted', r.id)),
        h('td', 'v' + r.version),
        h('td', badge(r.highest_risk)),
        h('td', approvalBadge(r.status), h('div.muted', r.status.description)),
        h('td', assetLinks(r.assets)))))),
    data.problems.length ? section('Files that did not load', h('ul', data.problems.map(p => h('li', h('code', p))))) : null);
}

function approvalBadge(status) {
  if (status.startable) return badge('approved', 'approved');
  if (status.changed_since_approval) return badge('changed since approval', 'failed');
  return badge(status.approved ? 'not active' : 'not approved', 'warn');
}

export async function runbookPage(main, id, rawQuery) {
  const incidentId = new URLSearchParams(rawQuery || '').get('incident');
  const runbook = await get('/api/runbooks/' + enc(id));
  const fields = new Map();
  const formStatus = h('div', { 'aria-live': 'polite' });
  const plan = h('div', { 'aria-live': 'polite' });
  // The drill flag comes after the page shows: it is a caution, not something to wait for.
  const drillTag = h('span');
  get('/api/drills/flags' + query({ runbook: id })).then(flag => clear(drillTag, drillBadge(flag)), () => {});

  const inputs = runbook.params.map(p => paramField(id, p, fields));
  const form = h('form.params', { onsubmit: (e) => { e.preventDefault(); renderPlan(); } },
    runbook.params.length ? inputs : h('p.muted', 'This runbook takes no parameters.'),
    h('div.actions',
      h('button.secondary', { type: 'submit' }, 'Render plan'),
      atLeast('responder')
        ? h('button#start-run', { type: 'button', onclick: startRun, disabled: !runbook.status.startable }, 'Start run')
        : null,
      incidentId ? h('span.muted', 'for incident ', h('a', { href: '#/incidents/' + enc(incidentId) }, incidentId)) : null),
    runbook.status.startable ? null
      : h('p.warn', 'This version cannot be started: ', runbook.status.description, '.'),
    formStatus);

  function values(asText) {
    const out = {};
    for (const [name, f] of fields) {
      const v = f.read(asText);
      if (v !== undefined) out[name] = v;
    }
    return out;
  }

  function showProblems(error) {
    for (const f of fields.values()) f.problem('');
    const problems = error.problems && error.problems.length ? error.problems : [error.message];
    const general = [];
    for (const p of problems) {
      const m = /^param ([A-Za-z0-9_.-]+)/.exec(p);
      if (m && fields.has(m[1])) fields.get(m[1]).problem(p.replace(/^param [^:]+:\s*/, ''));
      else general.push(p);
    }
    return general;
  }

  async function renderPlan(initial) {
    clear(formStatus);
    for (const f of fields.values()) f.problem('');
    try {
      const data = await get('/api/runbooks/' + enc(id) + '/plan' + query(values(true)));
      clear(plan, planView(data));
    } catch (e) {
      if (initial === true && e.status === 400) {
        // Nothing typed yet: a hint, not a wall of red.
        clear(plan, h('p.muted', 'Fill in the parameters and choose "Render plan" to see every step with real values.'));
        return;
      }
      const general = showProblems(e);
      clear(plan, h('p.muted', 'Fix the parameters above to see the plan with real values.'));
      if (general.length || e.status !== 400) clear(formStatus, errorBox({ message: e.message, problems: general }));
    }
  }

  async function startRun() {
    clear(formStatus);
    for (const f of fields.values()) f.problem('');
    const button = document.getElementById('start-run');
    button.disabled = true;
    try {
      const body = { runbook_id: id, params: values(false) };
      if (incidentId) body.incident_id = incidentId;
      const run = await post('/api/runs', body);
      location.hash = '#/runs/' + enc(run.id);
    } catch (e) {
      const general = showProblems(e);
      if (general.length || e.status !== 400) clear(formStatus, errorBox({ message: e.message, problems: general }));
      else clear(formStatus, errorBox({ message: 'Some parameters are not valid: see the messages above.' }));
      button.disabled = false;
    }
  }

  const approveStatus = h('div', { 'aria-live': 'polite' });
  // Four eyes: the server refuses the author; the button is offered to other approvers only.
  const mayApproveVersion = !runbook.status.approved && atLeast('approver') && session.identity.identity !== runbook.author
    && runbook.lint.clean;
  const approveVersion = mayApproveVersion ? h('button.secondary#approve-version', {
    type: 'button',
    onclick: async (e) => {
      e.target.disabled = true;
      try {
        await post('/api/runbooks/' + enc(id) + '/approve', { version: runbook.version, content_hash: runbook.content_hash });
        await runbookPage(main, id, rawQuery);
      } catch (err) {
        clear(approveStatus, errorBox(err));
        e.target.disabled = false;
      }
    },
  }, 'Approve version ' + runbook.version + ' (content ' + runbook.content_hash.slice(0, 12) + '…)') : null;
  clear(main,
    h('p.crumbs', h('a', { href: '#/runbooks' }, 'Runbooks'), ' / ', runbook.id),
    h('div.heading', h('h1', runbook.title), h('div.tags', badge('v' + runbook.version, 'version'), approvalBadge(runbook.status),
      badge('highest risk: ' + runbook.highest_risk, runbook.highest_risk), drillTag)),
    h('p', runbook.runbook.summary || ''),
    h('p.meta', runbook.id, ' · author ', runbook.author, ' · content ', h('code', runbook.content_hash.slice(0, 12) + '…'),
      // The description names who approved the current content.
      ' · ', runbook.status.description),
    approveVersion ? h('div.actions', approveVersion, h('span.muted', 'You review the file as it is now; editing it voids the approval.')) : null,
    approveStatus,
    section('Parameters', form),
    section('Plan (dry run: nothing is executed)', plan));
  clear(plan, h('p.muted', 'Rendering…'));
  await renderPlan(true);
}

/** One form field from a parameter's JSON Schema: select for enums, checkbox, number or text. */
function paramField(runbookId, p, fields) {
  const schema = p.schema || {};
  const inputId = 'param-' + p.name;
  const messageId = inputId + '-problem';
  const problem = h('p.field-problem', { id: messageId, role: 'alert' });
  let input;
  if (Array.isArray(schema.enum)) {
    input = h('select', { id: inputId, name: p.name },
      p.required && p.default === null ? h('option', { value: '' }, 'choose…') : null,
      schema.enum.map(v => h('option', { value: String(v), selected: p.default !== null && String(p.default) === String(v) }, String(v))));
  } else if (p.type === 'boolean') {
    input = h('input', { id: inputId, name: p.name, type: 'checkbox', checked: p.default === true });
  } else {
    input = h('input', { id: inputId, name: p.name, type: p.type === 'integer' || p.type === 'number' ? 'number' : 'text',
      step: p.type === 'number' ? 'any' : null, value: p.default === null ? '' : String(p.default),
      spellcheck: 'false', autocomplete: 'off' });
  }
  input.setAttribute('aria-describedby', messageId + ' ' + inputId + '-help');
  if (p.required) input.setAttribute('aria-required', 'true');
  const hints = [];
  if (schema.pattern) hints.push(h('span', 'pattern ', h('code', schema.pattern)));
  if (schema.minimum !== undefined) hints.push('minimum ' + schema.minimum);
  if (schema.maximum !== undefined) hints.push('maximum ' + schema.maximum);
  if (schema.format) hints.push('format ' + schema.format);
  fields.set(p.name, {
    read(asText) {
      if (p.type === 'boolean') return asText ? String(input.checked) : input.checked;
      const raw = input.value.trim();
      if (raw === '') return undefined;
      if (!asText && (p.type === 'integer' || p.type === 'number') && !Number.isNaN(Number(raw))) return Number(raw);
      return raw;
    },
    problem(text) {
      problem.textContent = text;
      input.setAttribute('aria-invalid', text ? 'true' : 'false');
    },
  });
  return h('div.field',
    h('label', { for: inputId }, p.name, p.required ? h('span.req', ' (required)') : null),
    input,
    h('p.muted', { id: inputId + '-help' }, p.description || '', hints.length ? [' · ', hints.map((x, i) => [i ? ', ' : '', x])] : null),
    schema.choices && input.tagName === 'INPUT' && input.type !== 'checkbox' && atLeast('responder')
      ? choiceList(runbookId, p.name, input) : null,
    problem);
}

/**
 * The candidate values the runbook names for a parameter (its 'choices' query, read from the
 * datasource when the page opens): a button per value fills the field, so nobody has to query
 * the datasource by hand at 3 a.m. Typing a value still works, also when the query fails or is
 * not run (a runbook version not approved yet: its query has not been reviewed).
 */
function choiceList(runbookId, name, input) {
  const box = h('div.choices', h('p.muted', 'Finding candidates…'));
  get('/api/runbooks/' + enc(runbookId) + '/params/' + enc(name) + '/choices').then(data => {
    if (data.problem) return clear(box, h('p.warn', 'Candidates unavailable (datasource ' + data.datasource + '): ' + data.problem));
    // Rows this parameter would refuse are not offered; the runbook's author needs to hear of them.
    const leftOut = (data.left_out || []).length
      ? h('p.warn', 'Not offered: ', data.left_out.join('; ')) : null;
    if (!data.choices.length) return clear(box, h('p.muted', 'No candidates in datasource ' + data.datasource + '.'), leftOut);
    clear(box, h('p.muted', 'Candidates from datasource ' + data.datasource + ', best first:'),
      h('ul.choices', data.choices.map(c => h('li',
        h('button.link', { type: 'button', onclick: () => { input.value = c.value; input.focus(); } }, c.value),
        c.label ? h('span.muted', ' ' + c.label) : null))), leftOut);
  }, e => clear(box, h('p.muted', 'No candidates: ' + (e && e.message ? e.message : String(e)))));
  return box;
}

function planView(plan) {
  return [
    checkList('Preconditions', plan.preconditions),
    h('ol.steps', plan.steps.map(s => h('li.step',
      h('div.step-head', h('span.num', s.number), h('strong', s.title), badge(s.risk), s.mutating ? badge('changes state', 'mutating') : badge('read-only', 'readonly')),
      s.description ? h('p.muted', s.description) : null,
      h('div.action', h('code', s.action_summary)),
      h('dl.facts',
        s.targets.length ? [h('dt', 'Targets'), h('dd', s.targets.join(', '))] : null,
        h('dt', 'Approval'), h('dd', s.approval.approvals + ' of ' + s.approval.roles.join(' / ')
          + (s.approval.distinct_from_requester ? ', not the requester' : '')),
        h('dt', 'Undo'), h('dd', s.irreversible ? 'irreversible' : s.rollback_summary ? h('code', s.rollback_summary) : 'nothing to undo'),
        s.verify.length ? [h('dt', 'Verify'), h('dd', h('ul', s.verify.map(c => h('li', c.name || c.summary))))] : null,
        h('dt', 'Timeout'), h('dd', s.timeout + (s.retries.max ? ', ' + s.retries.max + ' retries after ' + s.retries.backoff : ''))),
      h('details', h('summary', 'Rendered action'), h('pre.json', JSON.stringify(s.action, null, 2)))))),
    checkList('Invariants (after every step)', plan.invariants),
    checkList('Validation (recovered when these pass)', plan.validation),
  ];
}

function checkList(title, checks) {
  if (!checks || !checks.length) return null;
  return h('div.checks', h('h3', title), h('ul', checks.map(c => h('li', c.name || c.summary, h('span.muted', ' · ' + c.check)))));
}
