// Search: runbooks, past incidents, knowledge docs and assets by meaning and by words (the hybrid
// search of GET /api/search), each hit saying why it matched. The query lives in the address, so
// a search survives a reload, can be shared, and Back returns to it from a hit.

import { get, enc, query } from './api.js';
import { h, clear, errorBox, badge } from './dom.js';
import { drillBadge } from './drillflag.js';

const KINDS = [['', 'Everything'], ['runbook', 'Runbooks'], ['incident', 'Incidents'], ['doc', 'Knowledge docs'],
  ['asset', 'Assets']];
const MAX_CHARS = 2000;
const K = 10;

export async function searchPage(main, rawQuery) {
  const params = new URLSearchParams(rawQuery || '');
  const text = (params.get('q') || '').trim();
  const kind = params.get('kind') || '';
  const input = h('input#search-q', { type: 'search', name: 'q', value: text, required: true, maxlength: MAX_CHARS,
    'aria-describedby': 'search-help', placeholder: 'e.g. online features stale after a deploy' });
  const kindSelect = h('select#search-kind', { name: 'kind' },
    KINDS.map(([value, label]) => h('option', { value, selected: value === kind }, label)));
  const form = h('form.search', {
    role: 'search',
    onsubmit: (event) => {
      event.preventDefault();
      // The route renders the results: the address is the one source of the query. The same
      // address again is no hash change, so that search runs here.
      const target = '#/search' + query({ q: input.value.trim(), kind: kindSelect.value });
      if (location.hash === target) search();
      else location.hash = target;
    },
  },
  h('div.filters',
    h('div.field.wide', h('label', { for: 'search-q' }, 'Search for'), input),
    h('div.field.inline', h('label', { for: 'search-kind' }, 'In'), kindSelect),
    h('button', { type: 'submit' }, 'Search')),
  h('p#search-help.muted', 'Symptoms, an alert\'s text, an asset or an error message. '
    + 'Matches by meaning and by words; each hit says which.'));
  const results = h('div', { 'aria-live': 'polite' });
  clear(main, h('h1', 'Search'), form, results);
  if (!text) {
    input.focus();
    return;
  }
  await search();

  async function search() {
    clear(results, h('p.muted', 'Searching…'));
    try {
      clear(results, resultList(await get('/api/search' + query({ q: text, kind, k: K }))));
    } catch (e) {
      clear(results, errorBox(e));
    }
  }
}

function resultList(data) {
  const what = data.kind ? KINDS.find(([value]) => value === data.kind)[1].toLowerCase() : 'anything';
  if (!data.hits.length) {
    return h('p.muted', 'Nothing in ' + what + ' matches "' + data.query + '".');
  }
  return h('div',
    h('p.muted', data.hits.length + ' best match' + (data.hits.length === 1 ? '' : 'es') + ' in ' + what
      + ', in ' + Math.round(data.took_ms) + ' ms.'),
    h('ol.cards.hits', data.hits.map(hit => h('li.card',
      h('div.card-head', badge(hit.kind, 'version'), ' ', hitLink(hit),
        hit.drill ? [' ', drillBadge(hit.drill)] : null),
      hit.heading ? h('div.muted', hit.heading) : null,
      hit.snippet ? h('p.snippet', highlighted(hit.snippet)) : null,
      h('div.muted.why', why(hit.why), ' · ', h('code', hit.source))))));
}

/** Incidents, runbooks and assets have pages of their own; a knowledge doc is named by its file. */
function hitLink(hit) {
  const page = { incident: '#/incidents/', runbook: '#/runbooks/', asset: '#/assets/' }[hit.kind];
  const label = hit.kind === 'doc' ? hit.title : hit.id + ': ' + hit.title;
  return page ? h('a', { href: page + enc(hit.id) }, label) : h('strong', label);
}

function why(reasons) {
  const parts = [];
  if (reasons.vector_rank) parts.push('meaning #' + reasons.vector_rank + ' (similarity ' + reasons.similarity.toFixed(2) + ')');
  if (reasons.text_rank) parts.push('words #' + reasons.text_rank);
  if (reasons.title_words) parts.push(Math.round(reasons.title_words * 100) + '% of the title\'s words');
  return parts.join(' · ');
}

/**
 * The server marks matched words as **word**; they become <mark> elements, the rest stays text.
 * A marker without a pair (a document's own bold, cut by the snippet) stays text: it would mark
 * the rest of the snippet as matched.
 */
function highlighted(snippet) {
  const parts = snippet.split('**');
  if (parts.length % 2 === 0) parts.splice(-2, 2, parts.at(-2) + '**' + parts.at(-1));
  return parts.map((part, i) => (i % 2 ? h('mark', part) : part));
}
