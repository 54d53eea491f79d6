package dev.rebound.drill;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Whether a demo system is usable, and if not, why: as it answered. */
class DemoControlTest {
  @RegisterExtension
  static final WireMockExtension demo = WireMockExtension.newInstance().options(options().dynamicPort()).build();

  private DemoControl control() {
    return new DemoControl(URI.create(demo.baseUrl()), "token");
  }

  @Test
  void a_demo_system_that_lists_its_faults_is_available() {
    demo.stubFor(get(urlEqualTo("/demo/faults")).willReturn(aResponse().withStatus(200)
        .withBody("{\"faults\": []}")));

    assertThat(control().unavailable()).isEmpty();
    assertThat(control().available()).isTrue();
  }

  @Test
  void a_demo_system_that_is_resetting_is_named_as_such_not_as_missing() {
    // What a running drill's reset makes the demo platform answer meanwhile: it was reported as
    // "none answers ... start Rebound with rebound serve --demo".
    demo.stubFor(get(urlEqualTo("/demo/faults")).willReturn(aResponse().withStatus(503).withBody(
        "{\"error\":{\"code\":\"starting\",\"message\":\"the demo platform is starting or resetting\"}}")));

    assertThat(control().unavailable()).hasValueSatisfying(why -> assertThat(why)
        .contains("answered 503", "the demo platform is starting or resetting")
        .doesNotContain("no demo system answers"));
    assertThat(control().available()).isFalse();
  }

  @Test
  void nothing_listening_says_how_to_start_one() {
    DemoControl nothing = new DemoControl(URI.create("http://127.0.0.1:9"), "token");

    assertThat(nothing.unavailable()).hasValueSatisfying(why -> assertThat(why)
        .startsWith("no demo system answers at http://127.0.0.1:9").contains("rebound serve --demo"));
  }
}
