// The agent chat beside an incident: the conversation so far, then each reply with the tool calls
// it made (refusals included, with their reason), what waits for approval, and, in guided mode
// (no model configured), the suggestions retrieval made instead.

import { get, post, enc, query, atLeast } from './api.js';
import { h, clear, append, errorBox, badge, whileBusy, pager } from './dom.js';

export function chatPanel(incidentId) {
  const log = h('div.chat-log', { role: 'log', 'aria-live': 'polite', 'aria-label': 'Conversation with the agent' });
  const mode = h('span.mode');
  const status = h('div');
  const input = h('textarea#chat-input', { rows: 2, name: 'message', required: true,
    placeholder: 'Ask what to do, or describe what you see' });
  const form = h('form.chat-form', {
    onsubmit: async (event) => {
      event.preventDefault();
      const message = input.value.trim();
      if (!message) return;
      clear(status, h('p.muted', 'Thinking…'));
      for (const note of log.querySelectorAll('.chat-empty')) note.remove();
      append(log, bubble('user', 'you', message));
      await whileBusy(form.querySelector('button'), async () => {
        try {
          const reply = await post('/api/chat', { incident_id: incidentId, message });
          showMode(reply.mode);
          append(log, replyView(reply));
          input.value = '';
          clear(status);
        } catch (e) {
          clear(status, errorBox(e));
        }
      });
      log.scrollTop = log.scrollHeight;
    },
  },
  h('label.visually-hidden', { for: 'chat-input' }, 'Message to the agent'), input,
  h('button', { type: 'submit' }, 'Send'));

  const panel = h('section.panel.chat', { 'aria-labelledby': 'chat-title' },
    h('div.heading', h('h2#chat-title', 'Agent'), mode),
    log,
    atLeast('responder') ? form : h('p.muted', 'Viewers can read the conversation; responders can write to the agent.'),
    status);

  function showMode(m) {
    clear(mode, m === 'guided'
      ? badge('guided mode', 'guided')
      : badge('model', 'model'));
    mode.title = m === 'guided'
      ? 'No model is configured: answers come from retrieval and the runbooks\' own steps.'
      : 'Answers come from the configured model; it can only propose, never execute.';
  }

  // The latest messages first; "Show earlier messages" above them brings the ones before, a page at a time.
  get('/api/chat' + query({ incident_id: incidentId })).then(data => {
    showMode(data.mode);
    // Unless the person already wrote while this loaded.
    if (!data.messages.length && !log.querySelector('.bubble')) append(log, h('p.muted.chat-empty', 'No conversation yet.'));
    const earlier = pager('Show earlier messages', data.next,
      before => get('/api/chat' + query({ incident_id: incidentId, before })),
      page => {
        // Where the person was reading stays in view while the earlier messages go in above it.
        const fromBottom = log.scrollHeight - log.scrollTop;
        const added = page.messages.map(messageView).filter(Boolean);
        earlier.after(...added);
        log.scrollTop = log.scrollHeight - fromBottom;
        return added;
      });
    if (earlier) log.prepend(earlier);
    append(log, data.messages.map(messageView));
    log.scrollTop = log.scrollHeight;
  }).catch(e => append(log, errorBox(e)));

  return panel;
}

/** A stored message: the person's, the agent's (with the tool calls it asked for), or a tool's result. */
function messageView(m) {
  if (m.role === 'user') return bubble('user', m.author, m.content);
  if (m.role === 'assistant') {
    return bubble('assistant', m.author, m.content, [(m.tool_calls || []).map(c => toolCall({
      name: c.name, arguments: c.arguments, status: 'requested' })), m.guided ? guided(m.guided) : null]);
  }
  if (m.role === 'tool') return h('div.tool-result', badge(m.status || 'result', (m.status || '').toLowerCase()), ' ', shorten(m.content));
  return null;
}

function bubble(role, author, text, extra) {
  return h('div.bubble', { class: 'bubble ' + role },
    h('div.author', author || role), text ? h('p.pre', text) : null, extra || null);
}

function replyView(reply) {
  const parts = [];
  if (reply.degraded) parts.push(h('p.warn', 'The model did not answer (', reply.degraded.message, '); guided answer below.'));
  for (const call of reply.tool_calls || []) parts.push(toolCall(call));
  for (const p of reply.pending_approvals || []) {
    parts.push(h('div.pending', h('strong', 'Waiting for approval: '), p.title, ' (', p.risk, ', ',
      p.approvals_needed + ' approval' + (p.approvals_needed === 1 ? '' : 's'), ') ',
      h('a', { href: '#/runs/' + enc(p.run_id) }, 'open the run')));
  }
  if (reply.guided) parts.push(guided(reply.guided));
  return bubble('assistant', reply.mode === 'guided' ? 'rebound (guided)' : 'agent', reply.reply, parts);
}

function toolCall(call) {
  const status = String(call.status || '').toLowerCase();
  return h('div.tool', { class: 'tool ' + status },
    h('span.tool-name', '⚙ ', call.name), ' ', badge(status.replace('_', ' '), status),
    h('code.args', JSON.stringify(call.arguments)),
    call.reason ? h('div.reason', (status === 'refused' ? 'Refused: ' : '') + call.reason) : null,
    call.run_id ? h('div', h('a', { href: '#/runs/' + enc(call.run_id) }, 'run ' + call.run_id)) : null);
}

function guided(g) {
  const run = g.active_run;
  return h('div.guided',
    run ? h('div.active-run', h('strong', 'Run in progress: '),
      h('a', { href: '#/runs/' + enc(run.id) }, run.runbook_id + ' v' + run.runbook_version), ' is ' + run.state,
      run.waiting_for ? ', waiting for ' + run.waiting_for : '') : null,
    g.suggested_runbooks && g.suggested_runbooks.length ? h('div', h('strong', 'Runbooks: '),
      g.suggested_runbooks.map((r, i) => [i ? ', ' : '', h('a', { href: '#/runbooks/' + enc(r.id) }, r.id),
        r.startable ? '' : ' (' + r.status + ')'])) : null,
    g.similar_incidents && g.similar_incidents.length ? h('div', h('strong', 'Similar: '),
      g.similar_incidents.map((s, i) => [i ? ', ' : '', h('a', { href: '#/incidents/' + enc(s.id) }, s.id)])) : null,
    g.next_step ? h('div', h('strong', 'Next: '), g.next_step.title || JSON.stringify(g.next_step)) : null,
    g.problems && g.problems.length ? h('div.warn', g.problems.join('; ')) : null);
}

function shorten(text) {
  const s = String(text || '');
  return s.length > 300 ? s.slice(0, 300) + '…' : s;
}
