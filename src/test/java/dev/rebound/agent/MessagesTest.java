package dev.rebound.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MessagesTest {
  private static final StoredMessage.ToolCallData A = new StoredMessage.ToolCallData("a", "get_run", "{}");
  private static final StoredMessage.ToolCallData B = new StoredMessage.ToolCallData("b", "get_incident", "{}");

  @Test
  void repair_answers_every_tool_call_and_drops_stray_results() {
    List<StoredMessage> history = List.of(
        StoredMessage.user("dmitri", "hi", "t1"),
        StoredMessage.assistant("m", "", List.of(A, B), "t1"),
        StoredMessage.toolResult(A, ToolStatus.OK, "{}", "t1"),
        StoredMessage.toolResult(new StoredMessage.ToolCallData("zzz", "x", "{}"), ToolStatus.OK, "{}", "t1"),
        StoredMessage.user("dmitri", "again", "t2"));
    List<StoredMessage> repaired = Messages.repair(history);
    assertThat(repaired).extracting(m -> m.role() + ":" + m.toolCallId().orElse(""))
        .containsExactly("USER:", "ASSISTANT:", "TOOL:a", "TOOL:b", "USER:");
    assertThat(repaired.get(3).status()).contains(ToolStatus.ERROR);
    assertThat(repaired.get(3).content()).isEqualTo(Messages.LOST_RESULT);
  }

  @Test
  void window_keeps_the_newest_exchanges_and_starts_at_a_user_message() {
    List<StoredMessage> history = List.of(
        StoredMessage.user("dmitri", "x".repeat(50), "t1"),
        StoredMessage.assistant("m", "y".repeat(50), List.of(), "t1"),
        StoredMessage.user("dmitri", "first", "t2"),
        StoredMessage.assistant("m", "", List.of(A), "t2"),
        StoredMessage.toolResult(A, ToolStatus.OK, "r".repeat(20), "t2"),
        StoredMessage.assistant("m", "done", List.of(), "t2"));
    assertThat(Messages.window(history, 60)).extracting(StoredMessage::turnId).containsOnly("t2").hasSize(4);
    assertThat(Messages.window(history, 1000)).hasSize(6);
    assertThat(Messages.window(history, 10)).isEmpty();
  }

  @Test
  void converts_to_langchain4j_messages() {
    var chat = Messages.toChat(List.of(StoredMessage.assistant("m", "", List.of(A), "t"),
        StoredMessage.toolResult(A, ToolStatus.REFUSED, "{\"status\":\"REFUSED\"}", "t")));
    assertThat(chat.get(0)).isInstanceOfSatisfying(dev.langchain4j.data.message.AiMessage.class,
        ai -> assertThat(ai.toolExecutionRequests()).singleElement().satisfies(r -> {
          assertThat(r.id()).isEqualTo("a");
          assertThat(r.name()).isEqualTo("get_run");
        }));
    assertThat(chat.get(1)).isInstanceOfSatisfying(dev.langchain4j.data.message.ToolExecutionResultMessage.class,
        t -> assertThat(t.id()).isEqualTo("a"));
  }
}
