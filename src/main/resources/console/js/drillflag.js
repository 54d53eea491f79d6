// The drill flag of a runbook (from search hits, incident suggestions or /api/drills/flags), as
// one calm badge: whether its recovery is still proven by a recent, passed drill.

import { h, badge } from './dom.js';

const DAY_MS = 24 * 3600 * 1000;

/** "last drill failed 3 days ago", "not drilled in 45 days", "never drilled"; null when not flagged. */
export function drillFlagText(drill, now = Date.now()) {
  if (!drill || !drill.flagged) return null;
  if (!drill.last_at) return 'never drilled';
  const days = Math.max(0, Math.floor((now - Date.parse(drill.last_at)) / DAY_MS));
  if (drill.last_status !== 'passed') {
    return 'last drill failed ' + (days === 0 ? 'today' : days === 1 ? 'yesterday' : days + ' days ago');
  }
  return 'not drilled in ' + days + ' days';
}

/** A warning badge whose title gives the server's full reason; null when the runbook is not flagged. */
export function drillBadge(drill) {
  const text = drillFlagText(drill);
  if (!text) return null;
  return h('span.drill-flag', { title: drill.reason }, badge(text, 'warn'));
}
