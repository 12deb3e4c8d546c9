package org.fedlink.researcher.secagg;

import static org.assertj.core.api.Assertions.assertThat;

import org.fedlink.crypto.secagg.Biprime;
import org.junit.jupiter.api.Test;

/** The defaults of a new secure run. */
class SecureAggregationTest {
  @Test
  void joyeLibertDefaultsToTheShipped2048BitBiprime() throws Exception {
    assertThat(SecureAggregation.DEFAULT_BIPRIME_BITS).isEqualTo(2048);
    assertThat(SecureAggregation.joyeLibert().biprime()).isEqualTo(Biprime.defaultBiprime(2048));
  }

  @Test
  void the1024BitBiprimeStaysSelectable() throws Exception {
    Biprime small = Biprime.defaultBiprime(1024);
    assertThat(SecureAggregation.joyeLibert().biprime(small).biprime().bits()).isEqualTo(1024);
  }
}
