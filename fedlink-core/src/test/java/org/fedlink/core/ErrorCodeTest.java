package org.fedlink.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {

  @Test
  void numbersAreUniqueAndRoundTrip() {
    Set<Integer> seen = new HashSet<>();
    for (ErrorCode c : ErrorCode.values()) {
      assertThat(seen.add(c.code())).as("code %s is unique", c).isTrue();
      assertThat(ErrorCode.of(c.code())).isEqualTo(c);
    }
  }

  @Test
  void wireNumbersAreStable() {
    assertThat(ErrorCode.OK.code()).isZero();
    assertThat(ErrorCode.INVALID_ARGUMENT.code()).isEqualTo(1);
    assertThat(ErrorCode.REFUSED.code()).isEqualTo(8);
    assertThat(ErrorCode.UNAUTHENTICATED.code()).isEqualTo(9);
    assertThat(ErrorCode.TIMEOUT.code()).isEqualTo(13);
    assertThat(ErrorCode.RESOURCE_EXHAUSTED.code()).isEqualTo(14);
  }

  @Test
  void unknownNumberIsInternal() {
    assertThat(ErrorCode.of(-1)).isEqualTo(ErrorCode.INTERNAL);
    assertThat(ErrorCode.of(999)).isEqualTo(ErrorCode.INTERNAL);
  }

  @Test
  void exceptionCarriesCodeAndRequiresOne() {
    FedlinkException e = new FedlinkException(ErrorCode.NOT_FOUND, "no such run");

    assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(e).hasMessage("no such run");
    assertThatThrownBy(() -> new FedlinkException(null, "x"))
        .isInstanceOf(NullPointerException.class);
  }
}
