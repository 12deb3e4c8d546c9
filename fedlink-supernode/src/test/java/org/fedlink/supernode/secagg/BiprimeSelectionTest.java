package org.fedlink.supernode.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.store.SqliteDatabase;
import org.fedlink.crypto.secagg.Biprime;
import org.fedlink.crypto.secagg.BiprimeGenerator;
import org.fedlink.supernode.NodeDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BiprimeSelectionTest {
  @TempDir Path home;

  /** A new 1024-bit biprime (the generator guarantees the exact size; a bare p*q may be 1023). */
  static Biprime fresh() throws Exception {
    return BiprimeGenerator.generate(1024, false, new SecureRandom());
  }

  @Test
  void acceptsTheDefaultOnlyWhenAllowed() throws Exception {
    Biprime d = Biprime.defaultBiprime(1024);
    BiprimeSelection allowed = new BiprimeSelection(SecureAggregationSettings.builder().build());
    assertThat(allowed.resolve(5, d.fingerprint(), 1024)).isEqualTo(d);
    BiprimeSelection strict =
        new BiprimeSelection(
            SecureAggregationSettings.builder().allowDefaultBiprimes(false).build());
    assertThatThrownBy(() -> strict.resolve(5, d.fingerprint(), 1024))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("allow_default_biprimes = False")
        .hasMessageContaining("node 5");
  }

  @Test
  void acceptsOnlyRegisteredBiprimesAndNamesTheAllowedOnes() throws Exception {
    Biprime mine = fresh();
    try (SqliteDatabase db = NodeDatabase.open(home)) {
      SqliteBiprimeStore store = new SqliteBiprimeStore(db);
      BiprimeSelection s =
          new BiprimeSelection(
              SecureAggregationSettings.builder()
                  .allowDefaultBiprimes(false)
                  .biprimes(store)
                  .build());
      assertThatThrownBy(() -> s.resolve(3, mine.fingerprint(), 1024))
          .hasMessageContaining("is not registered on node 3")
          .hasMessageContaining("allowed: none");
      store.add(mine, "test");
      assertThat(s.resolve(3, mine.fingerprint(), 1024)).isEqualTo(mine);
      assertThat(store.list()).containsExactly(mine);
      assertThatThrownBy(() -> store.add(mine, "again"))
          .isInstanceOf(FedlinkException.class)
          .extracting(e -> ((FedlinkException) e).code())
          .isEqualTo(ErrorCode.ALREADY_EXISTS);
      assertThat(store.delete(mine.fingerprint())).isTrue();
      assertThatThrownBy(() -> s.resolve(3, mine.fingerprint(), 1024))
          .hasMessageContaining("not registered");
    }
  }

  @Test
  void refusesBiprimesBelowTheMinimumSize() {
    BiprimeSelection s =
        new BiprimeSelection(SecureAggregationSettings.builder().minBiprimeBits(2048).build());
    assertThatThrownBy(() -> s.resolve(9, Biprime.defaultBiprime(1024).fingerprint(), 1024))
        .hasMessageContaining("1024 bits is below [mpc] min_biprime_bits = 2048 on node 9");
  }
}
