// Server-sent events over fetch(): EventSource cannot send an Authorization header, so the stream
// is read with a ReadableStream and parsed here (the text/event-stream format: fields per line,
// events separated by a blank line, comment lines starting with ':').

import { headers } from './api.js';

/**
 * Opens the stream and calls onEvent({event, id, data}) for each event. Returns a handle whose
 * close() ends it. On a dropped connection it reconnects after a pause, with Last-Event-ID, and
 * calls onState('reconnecting'|'live'|'closed'|'error', detail).
 */
export function openEvents(path, onEvent, onState) {
  const controller = new AbortController();
  let lastId = null;
  let closed = false;

  async function connect() {
    const extra = { Accept: 'text/event-stream' };
    if (lastId !== null) extra['Last-Event-ID'] = lastId;
    const response = await fetch(path, { headers: headers(extra), signal: controller.signal });
    if (!response.ok) {
      let message = 'HTTP ' + response.status;
      try { message = (await response.json()).error.message; } catch (e) { /* keep the status */ }
      const error = new Error(message);
      error.status = response.status;
      throw error;
    }
    onState && onState('live');
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value.replace(/\r\n?/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        dispatch(block);
      }
    }
  }

  function dispatch(block) {
    let event = 'message';
    let id = null;
    const data = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') event = value;
      else if (field === 'id') id = value;
      else if (field === 'data') data.push(value);
    }
    if (id !== null) lastId = id;
    if (data.length) onEvent({ event, id, data: data.join('\n') });
  }

  (async () => {
    let pause = 1000;
    while (!closed) {
      try {
        await connect();
        pause = 1000;
      } catch (e) {
        if (closed || e.name === 'AbortError') break;
        if (e.status && e.status < 500) {
          onState && onState('error', e.message);
          return;
        }
      }
      if (closed) break;
      onState && onState('reconnecting');
      await new Promise(r => setTimeout(r, pause));
      pause = Math.min(pause * 2, 15000);
    }
    onState && onState('closed');
  })();

  return {
    close() {
      closed = true;
      controller.abort();
    },
  };
}
