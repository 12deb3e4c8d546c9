package org.fedlink.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.junit.jupiter.api.Test;

class EndpointTest {

  private static void assertInvalid(ThrowingCallable call, String messagePart) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            FedlinkException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining(messagePart);
  }

  @Test
  void parsesHostAndPort() {
    assertThat(Endpoint.parse("127.0.0.1:9092")).isEqualTo(new Endpoint("127.0.0.1", 9092));
    assertThat(Endpoint.parse("superlink.example.org:443"))
        .isEqualTo(new Endpoint("superlink.example.org", 443));
    assertThat(Endpoint.parse("h:65535").port()).isEqualTo(65535);
    assertThat(Endpoint.parse("h:1").port()).isEqualTo(1);
  }

  @Test
  void trimsSurroundingWhitespace() {
    assertThat(Endpoint.parse("  localhost:9093\n")).isEqualTo(new Endpoint("localhost", 9093));
  }

  @Test
  void parsesBracketedIpv6AndPrintsItBack() {
    Endpoint e = Endpoint.parse("[::1]:9092");

    assertThat(e.host()).isEqualTo("::1");
    assertThat(e.port()).isEqualTo(9092);
    assertThat(e).hasToString("[::1]:9092");
    assertThat(Endpoint.parse(e.toString())).isEqualTo(e);
  }

  @Test
  void printsHostColonPort() {
    assertThat(new Endpoint("10.0.0.2", 9091)).hasToString("10.0.0.2:9091");
  }

  @Test
  void rejectsMissingAddress() {
    assertInvalid(() -> Endpoint.parse(null), "address is missing: use HOST:PORT");
  }

  @Test
  void rejectsTextWithoutPortSayingWhatIsExpected() {
    assertInvalid(
        () -> Endpoint.parse("localhost"),
        "address 'localhost' is not HOST:PORT (for example 127.0.0.1:9092)");
    assertInvalid(() -> Endpoint.parse("localhost:"), "'localhost:' is not HOST:PORT");
    assertInvalid(() -> Endpoint.parse(":9092"), "':9092' is not HOST:PORT");
    assertInvalid(() -> Endpoint.parse(""), "is not HOST:PORT");
  }

  @Test
  void rejectsPortThatIsNotANumber() {
    assertInvalid(
        () -> Endpoint.parse("localhost:http"),
        "address 'localhost:http' has a port that is not a number");
    assertInvalid(() -> Endpoint.parse("localhost:99999999999"), "not a number");
  }

  @Test
  void rejectsPortOutOfRangeNamingIt() {
    assertInvalid(() -> Endpoint.parse("localhost:65536"), "port 65536 is out of range");
    assertInvalid(() -> Endpoint.parse("localhost:-1"), "port -1 is out of range: use 1..65535");
  }

  @Test
  void rejectsEmptyHost() {
    assertInvalid(() -> Endpoint.parse("[]:9092"), "empty host");
    assertInvalid(() -> new Endpoint(" ", 9092), "empty host");
    assertInvalid(() -> new Endpoint(null, 9092), "empty host");
  }
}
