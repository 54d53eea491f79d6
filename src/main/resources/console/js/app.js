// The console's shell: sign-in, the header, and hash routing (#/incidents/ID …). Each view
// renders into <main> and may return a function that stops what it started (an SSE stream).

import { session, get, ApiError, whenTokenRejected } from './api.js';
import { h, clear, errorBox } from './dom.js';
import { incidentList, newIncident } from './incidents.js';
import { incidentPage } from './incident.js';
import { runbookList, runbookPage } from './runbook.js';
import { runPage } from './run.js';
import { auditPage } from './audit.js';
import { drillsPage } from './drills.js';
import { searchPage } from './search.js';
import { assetList, assetPage } from './assets.js';
import { postmortemPage } from './postmortem.js';

const main = document.getElementById('main');
let stopView = null;
let routeGeneration = 0;

const routes = [
  [/^#\/incidents\/new$/, newIncident, 'incidents'],
  [/^#\/incidents\/([^/?]+)$/, incidentPage, 'incidents'],
  [/^#\/incidents\/([^/?]+)\/postmortem$/, postmortemPage, 'incidents'],
  [/^#\/runbooks\/([^/?]+)(?:\?(.*))?$/, runbookPage, 'runbooks'],
  [/^#\/runbooks$/, runbookList, 'runbooks'],
  [/^#\/runs\/([^/?]+)$/, runPage, 'incidents'],
  [/^#\/audit(?:\?(.*))?$/, auditPage, 'audit'],
  [/^#\/drills$/, drillsPage, 'drills'],
  [/^#\/search(?:\?(.*))?$/, searchPage, 'search'],
  [/^#\/assets\/([^/?]+)$/, assetPage, 'assets'],
  [/^#\/assets$/, assetList, 'assets'],
  [/^#\/incidents$/, incidentList, 'incidents'],
];

function stopCurrentView() {
  if (stopView) {
    stopView();
    stopView = null;
  }
}

async function route() {
  stopCurrentView();
  if (!session.token) {
    showSignIn();
    return;
  }
  if (!session.identity) {
    try {
      session.identity = await get('/api/whoami');
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        session.token = null;
        showSignIn('That token was not accepted (it may be revoked or mistyped).');
      } else {
        clear(main, errorBox(e));
      }
      return;
    }
    showIdentity();
  }
  const hash = location.hash || '#/incidents';
  const generation = ++routeGeneration;
  for (const [pattern, view, sectionName] of routes) {
    const match = hash.match(pattern);
    if (match) {
      markSection(sectionName);
      // Each view renders into its own element: one that finishes loading after the person moved
      // on renders into a detached element, never over the page they are on now.
      const container = h('div', h('p.muted', 'Loading…'));
      clear(main, container);
      main.focus({ preventScroll: true });
      try {
        const stop = (await view(container, ...match.slice(1).map(p => p && decodeURIComponent(p)))) || null;
        if (generation === routeGeneration) {
          stopView = stop;
          arrived();
        } else if (stop) stop();
      } catch (e) {
        // A 401 led back to sign-in already (whenTokenRejected below), which makes this route stale.
        if (generation !== routeGeneration) return;
        if (e instanceof ApiError && e.status === 404) {
          clear(container, notFound(e.message, sectionName));
        } else {
          clear(container, errorBox(e));
        }
        arrived();
      }
      return;
    }
  }
  clear(main, h('h1', 'Not found'), h('p', 'No page at ', h('code', hash), '. ', h('a', { href: '#/incidents' }, 'Go to incidents')));
  arrived();
}

/**
 * A page is shown: the window's title names it (history, tabs), and focus, which went to the
 * page while it loaded, moves to its heading unless the person moved it meanwhile, so a screen
 * reader announces where they are rather than an unnamed region.
 */
function arrived() {
  const heading = main.querySelector('h1');
  document.title = (heading ? heading.textContent + ' · ' : '') + 'Rebound console';
  if (heading && document.activeElement === main) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }
}

/** A link to an incident, runbook or run that names none (mistyped, or from another server). */
function notFound(message, sectionName) {
  return [h('h1', 'Not found'), h('p.not-found', message + '. ', h('a', { href: '#/' + sectionName }, 'Go to ' + sectionName))];
}

function markSection(name) {
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.section === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

function showIdentity() {
  document.getElementById('nav').hidden = false;
  document.getElementById('who').hidden = false;
  document.getElementById('who-name').textContent = session.identity.identity;
  document.getElementById('who-role').textContent = session.identity.role;
}

function showSignIn(message) {
  routeGeneration++;
  document.getElementById('nav').hidden = true;
  document.getElementById('who').hidden = true;
  const input = h('input#token', { type: 'password', name: 'token', autocomplete: 'off', required: true,
    'aria-describedby': 'token-help' });
  const status = h('div', { 'aria-live': 'polite' }, message ? errorBox({ message }) : null);
  const form = h('form.signin', {
    onsubmit: async (event) => {
      event.preventDefault();
      session.token = input.value.trim();
      session.identity = null;
      try {
        session.identity = await get('/api/whoami');
      } catch (e) {
        session.token = null;
        clear(status, errorBox(e.status === 401 ? { message: 'That token was not accepted.' } : e));
        input.focus();
        return;
      }
      showIdentity();
      if (!location.hash || location.hash === '#/signin') location.hash = '#/incidents';
      else route();
    },
  },
  h('h1', 'Sign in'),
  h('p', 'Paste your Rebound API token. It is kept for this browser tab only.'),
  h('label', { for: 'token' }, 'API token'),
  input,
  h('p#token-help.muted', 'Ask an admin for one (', h('code', 'rebound tokens issue YOUR-ID'), '), or use a ',
    h('code', 'demo-…'), ' token printed by ', h('code', 'serve --demo'), '.'),
  h('button', { type: 'submit' }, 'Sign in'),
  status);
  clear(main, form);
  input.focus();
}

document.getElementById('sign-out').addEventListener('click', () => {
  session.token = null;
  session.identity = null;
  stopCurrentView();
  showSignIn();
});

// Revoked or rotated while the tab was open, whichever request found out: sign in again, and
// come back to this page.
whenTokenRejected(() => {
  session.token = null;
  session.identity = null;
  stopCurrentView();
  showSignIn('Your token is no longer accepted (it may have been revoked). Sign in again to continue.');
});

window.addEventListener('hashchange', route);
route();
