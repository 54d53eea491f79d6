-- The suggestions a guided answer carried (dev.rebound.agent.GuidedSuggestions as JSON): the
-- console shows them as links, and a conversation read again must show the same ones, not only
-- the answer's text. Never sent to the model. Answers stored before this column have none.

alter table agent_messages add column guided jsonb
  check (guided is null or (role = 'assistant' and jsonb_typeof(guided) = 'object'));
