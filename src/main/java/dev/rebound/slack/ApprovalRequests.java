package dev.rebound.slack;

import io.vertx.core.Future;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Closing approval requests in place: the message loses its buttons and says in one line what
 * became of the request (decided, or no longer needed and why), so nobody presses a button that
 * can no longer apply. Each request is closed once, by whoever marks it closed first (an event
 * followed on any replica, or the press in Slack that decided it); when Slack does not take the
 * update the request stays open, and a later event of its run closes it.
 */
final class ApprovalRequests {
  private final PostedMessages posted;
  private final SlackApi api;

  ApprovalRequests(PostedMessages posted, SlackApi api) {
    this.posted = posted;
    this.api = api;
  }

  /**
   * Why the request for {@code stepId} that was not decided is no longer needed, as its message
   * then reads: naming the step, as the approved and rejected ones do, so several requests closed
   * in one thread can be told apart.
   */
  static String noLongerNeeded(String stepId, String why) {
    return "Step `" + SlackText.escape(stepId) + "` no longer needed: " + why;
  }

  /** Closes the request {@code subject} with {@code text}, if it is open. */
  Future<Void> close(String subject, String text) {
    return posted.closing(subject, false).compose(closed -> closed.isEmpty() ? Future.succeededFuture()
        : update(closed.get().posted(), text));
  }

  /**
   * A new request for the attempt of {@code subject} is due: the one posted gives way, saying
   * {@code text} if it was still open, or whatever it said once closed when {@code evenIfClosed}
   * (approvals voided: "approved by" no longer holds).
   */
  Future<Void> giveWay(String subject, String text, boolean evenIfClosed) {
    return posted.closing(subject, true).compose(closed -> closed.isEmpty()
        || !(closed.get().wasOpen() || evenIfClosed) ? Future.succeededFuture() : update(closed.get().posted(), text));
  }

  /** Closes the run's open requests that {@code which} picks, each with the text {@code text} gives it. */
  Future<Void> closeOpen(String runId, Predicate<PostedMessages.Request> which,
      Function<PostedMessages.Request, String> text) {
    return posted.openRequests(runId).compose(open -> Future.join(open.stream().filter(which)
        .map(request -> close(request.subject(), text.apply(request))).toList()).mapEmpty());
  }

  private Future<Void> update(PostedMessages.Posted request, String text) {
    return api.update(request.channel(), request.ts(), text, ApprovalBlocks.decided(text))
        .compose(updated -> updated ? Future.succeededFuture() : posted.reopen(request));
  }
}
