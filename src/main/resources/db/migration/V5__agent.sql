-- The recovery agent's conversations (dev.rebound.agent): one per incident, shared by everyone
-- working on it, so a restarted service (or another replica) continues where it left off.
--
-- Messages are stored exactly as they are sent to the model again: user text, the assistant's
-- text and tool calls, and one tool result per tool call id. A turn's messages are inserted in
-- one transaction after the turn ends, so a stored assistant tool call always has its results
-- (the OpenAI protocol rejects a history with an unanswered tool_call_id). What the agent did is
-- also in the audit log; this table is the model's memory, not the record.

create table agent_conversations (
  incident_id  text        primary key check (incident_id <> ''),
  -- Number of messages stored; each turn appends after checking it (optimistic concurrency
  -- across replicas: two turns of one incident at once cannot interleave their messages).
  message_count integer    not null default 0 check (message_count >= 0),
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now()
);

create table agent_messages (
  incident_id  text        not null references agent_conversations (incident_id),
  seq          integer     not null check (seq > 0),
  turn_id      text        not null check (turn_id <> ''),
  role         text        not null check (role in ('user', 'assistant', 'tool')),
  -- user: the person who wrote it; assistant: the model name; tool: the tool name.
  author       text        not null default '',
  content      text        not null default '',
  -- assistant only: [{"id", "name", "arguments"}] as the model sent them (arguments verbatim).
  tool_calls   jsonb       check (tool_calls is null or jsonb_typeof(tool_calls) = 'array'),
  -- tool only: which call this answers and how it ended (OK, APPROVAL_REQUIRED, REFUSED, ERROR).
  tool_call_id text,
  status       text,
  created_at   timestamptz not null default now(),
  primary key (incident_id, seq),
  check ((role = 'tool') = (tool_call_id is not null))
);
