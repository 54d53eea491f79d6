/**
 * The recovery agent: a manual langchain4j tool loop over any OpenAI-compatible chat endpoint,
 * its tools, guided mode (no model), conversations per incident, and postmortem drafts.
 *
 * <p>Owns: the loop ({@link dev.rebound.agent.AgentLoop}: one turn, every model call and every
 * tool call audited, every {@code tool_call_id} answered before the next model call), the tool
 * menu offered in each state ({@link dev.rebound.agent.MenuBuilder}: read-only tools always;
 * {@code propose_<runbook>} tools typed from each startable runbook's parameter schema while no
 * run is active; {@code request_step_<step>} tools for exactly the active run's allowed next
 * steps otherwise), the gate every call passes before anything happens
 * ({@link dev.rebound.agent.ToolDispatcher}), guided mode ({@link dev.rebound.agent.Guide}) and
 * the chat model factory ({@link dev.rebound.agent.ChatModelFactory}, the one place a model is
 * built).
 *
 * <p>Safety is code here, not prompt text: no tool executes, approves or skips a step, or runs
 * commands or SQL; a proposal only creates a proposed run and a step request only asks a person
 * for an approval binding exactly what will run ({@link dev.rebound.agent.RecoveryRuns}). Both
 * act for the person chatting: the engine records them as the run's requester (four eyes then
 * exclude them from approving its high-risk steps) and the agent as its proposer, never an
 * approver. The engine enforces approvals again at execution time.
 *
 * <p>May import langchain4j (this is the only package that does, besides retrieval's embedder),
 * Vert.x core and its SQL client, Jackson, and Rebound's {@code engine}, {@code incident},
 * {@code retrieval}, {@code inventory}, {@code runbook}, {@code audit}, {@code config} and
 * {@code error}. Must never import {@code http}, {@code app}, {@code cli} or Slack; the engine,
 * incident and retrieval packages never import this one. Public types of this package carry no
 * langchain4j type, so the edges (HTTP, Slack) stay free of it. The model call blocks and runs on
 * a worker ({@code executeBlocking}); everything else returns futures.
 */
package dev.rebound.agent;
