/**
 * Past incidents: the model ({@link dev.rebound.incident.Incident}), markdown files with front
 * matter in {@code knowledge/incidents/} read strictly with {@code file:line:col} errors
 * ({@link dev.rebound.incident.IncidentLoader}), their sync into PostgreSQL
 * ({@link dev.rebound.incident.IncidentSync}), incidents reported through the API, similar
 * incidents (meaning + shared assets + shared symptoms, {@link dev.rebound.incident.SimilarIncidents})
 * and runbook suggestions restricted by the asset graph ({@link dev.rebound.incident.RunbookSuggestions}).
 *
 * <p>May import {@code retrieval}, {@code runbook}, {@code inventory}, {@code yaml},
 * {@code audit} (an incident commits with its audit entry), {@code error}, Jackson, Vert.x core and its SQL client. Must never import Vert.x Web, Slack,
 * langchain4j, {@code http}, {@code cli} or {@code app}. Loading files is blocking; the store
 * and the services return futures.
 */
package dev.rebound.incident;
