package org.fedlink.supernode.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NodeAuthenticationMessageTest {
  @Test
  void aClockBehindTheSuperLinkIsNamedWithTheSkew() {
    assertThat(NodeAuthentication.clockMessage("link:9092", 95_400))
        .isEqualTo(
            "the SuperLink at link:9092 refused the timestamp: this machine's clock differs by"
                + " about 95 s (behind the SuperLink's); set the clock right (e.g. enable NTP)."
                + " Retrying with backoff.");
  }

  @Test
  void aClockAheadIsSaidToBeAhead() {
    assertThat(NodeAuthentication.clockMessage("link:9092", -3_600_000))
        .contains("differs by about 3600 s (ahead of the SuperLink's)");
  }
}
