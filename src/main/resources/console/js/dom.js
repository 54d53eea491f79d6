// Building DOM from data. Text always goes in as text nodes, never as markup, so nothing from a
// runbook, an incident, chat or an error message can become HTML.

/** h('div.card#x', {attrs}, ...children): children are nodes, strings, numbers, arrays or null. */
export function h(tag, attrs, ...children) {
  const [name, ...rest] = tag.split(/(?=[.#])/);
  const el = document.createElement(name || 'div');
  for (const part of rest) {
    if (part.startsWith('.')) el.classList.add(part.slice(1));
    else el.id = part.slice(1);
  }
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, ...children);
  return el;
}

export function append(el, ...children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Appends nodes to el and returns them (what a pager's show returns). */
export function appended(el, nodes) {
  append(el, nodes);
  return nodes;
}

export function clear(el, ...children) {
  el.replaceChildren();
  return append(el, ...children);
}

/** "3 min ago" style, for people under stress: relative first, exact time in the title. */
export function ago(iso) {
  if (!iso) return '';
  const ms = Date.now() - Date.parse(iso);
  return duration(Math.max(0, ms)) + ' ago';
}

export function duration(ms) {
  if (ms === null || ms === undefined) return '';
  const s = Math.round(ms / 1000);
  if (s < 60) return s + ' s';
  const m = Math.floor(s / 60);
  if (m < 60) return m + ' min' + (s % 60 ? ' ' + (s % 60) + ' s' : '');
  const hours = Math.floor(m / 60);
  if (hours < 48) return hours + ' h' + (m % 60 ? ' ' + (m % 60) + ' min' : '');
  return Math.floor(hours / 24) + ' d';
}

export function time(iso) {
  if (!iso) return '';
  return h('time', { datetime: iso, title: iso }, new Date(iso).toLocaleString());
}

export function badge(text, kind) {
  return h('span.badge', { class: 'badge ' + (kind || String(text).replace(/[^a-z_]/gi, '')) }, text);
}

/**
 * Runs work with the button disabled, so a second press sends nothing twice. Disabling the
 * focused button drops the focus to the page's body: it comes back to the button, so someone on
 * a keyboard goes on from where they were (unless work took the button off the page).
 */
export async function whileBusy(button, work) {
  const focused = document.activeElement === button;
  button.disabled = true;
  try {
    return await work();
  } finally {
    button.disabled = false;
    if (focused && button.isConnected) button.focus();
  }
}

/** A box that shows an API error in place, with its problems listed. */
export function errorBox(error) {
  const problems = (error && error.problems) || [];
  return h('div.error', { role: 'alert' },
    h('strong', error && error.message ? error.message : String(error)),
    problems.length ? h('ul', problems.map(p => h('li', p))) : null);
}

/** A part of a page that loads on its own: what load() fetches, rendered into el, or the error in its place. */
export async function fill(el, load, render) {
  try {
    clear(el, render(await load()));
  } catch (e) {
    clear(el, errorBox(e));
  }
}

/**
 * The button under (or above) a list the API answers a page at a time (its next, given back as
 * before=): each press loads the following page with load(next) and hands it to show; the button
 * goes once a page's next is null. Null when there is no further page at all. show returns the
 * elements it added: when the button goes while focused, focus moves to the first one's first
 * link, or to the first one itself when it has none (a chat message), not to the page's body.
 */
export function pager(label, next, load, show) {
  if (next === null || next === undefined) return null;
  const status = h('div', { 'aria-live': 'polite' });
  const button = h('button.secondary', {
    type: 'button',
    onclick: () => {
      // Asked before whileBusy disables the button, which drops the focus.
      const focused = document.activeElement === button;
      return whileBusy(button, async () => {
        try {
          const page = await load(next);
          const shown = show(page);
          next = page.next;
          clear(status);
          if (next === null || next === undefined) {
            box.remove();
            const first = [].concat(shown)[0];
            if (focused && first instanceof Element) focusOn(first.querySelector('a') || first);
          }
        } catch (e) {
          clear(status, errorBox(e));
        }
      });
    },
  }, label);
  const box = h('div.more', button, status);
  return box;
}

/** Focuses el, making it focusable from script first if it is not (a message, a row). */
function focusOn(el) {
  if (el.tabIndex < 0 && !el.hasAttribute('tabindex')) el.tabIndex = -1;
  el.focus();
}

export function section(title, ...children) {
  const id = 'sec-' + title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return h('section.panel', { 'aria-labelledby': id }, h('h2', { id }, title), children);
}

export function json(value) {
  return h('pre.json', JSON.stringify(value, null, 2));
}
