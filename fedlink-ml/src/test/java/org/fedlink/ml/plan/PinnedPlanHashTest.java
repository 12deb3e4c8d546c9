package org.fedlink.ml.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.fedlink.crypto.digest.HashingAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Known answers of {@link PlanHash} on a committed JAR, so that a change to the canonical form
 * cannot silently void the approvals nodes hold.
 *
 * <p>{@code pinned-plan.jar} (next to this class in the test resources) holds its entries out of
 * canonical order, a directory, a manifest with a padded plan attribute and another header, stored
 * and deflated entries, an empty entry, a non-ASCII name and two names whose UTF-16 order differs
 * from their UTF-8 byte order. The literals below were printed by {@code PlanHash} before it
 * refused anything and were checked, all eight, against an independent computation with Python's
 * hashlib ({@code pinned-plan.py hash pinned-plan.jar}: tag, sorted entries, 8-byte big-endian
 * length prefixes). If one of them fails, the format changed: that needs a new {@link
 * PlanHash#TAG}, not new literals.
 */
class PinnedPlanHashTest {
  static final Map<HashingAlgorithm, String> PINNED = new EnumMap<>(HashingAlgorithm.class);

  static {
    PINNED.put(
        HashingAlgorithm.SHA256,
        "a9ac2fb9c0d736857d864402049287e9cb4e6962a461c9eb3c0dd1b4bfbeb5a1");
    PINNED.put(
        HashingAlgorithm.SHA384,
        "87efe05f46470db6b15afa99b77a198a2f65ee07b3f997ceacd8e84dd5231756"
            + "678d4be6a88c2b56b3733b31f0d59f45");
    PINNED.put(
        HashingAlgorithm.SHA512,
        "7275bdfd51391b69980b428730feb20d7cf3764d56d5d42e3d4d4ead75be15f9"
            + "77fed417e57146bc4ddbc5b7eff69c00a8bbb0c04504b8a8a5c3be97d1321a0c");
    PINNED.put(
        HashingAlgorithm.SHA3_256,
        "99d138d1a874f125cf2eaffbc6ae2b369f52947aaa05c2b311cb1d23e71eddf5");
    PINNED.put(
        HashingAlgorithm.SHA3_384,
        "73fe58b11e151373b9172a125e8cea71804eedf727a7cbd0970d568ce1437284"
            + "e171366a7be3532379ae4e09b49c0564");
    PINNED.put(
        HashingAlgorithm.SHA3_512,
        "a357dc9dfc6f783ee9d85780d76a38d99cb5d371e85171a4e46220b64547e121"
            + "1b6fd070d2406eb8958d526d7f521d9843f8d548b1e44a73a29cf9889c20eceb");
    PINNED.put(
        HashingAlgorithm.BLAKE2B,
        "cf9eb4d1481b3a6419cb4cccda30f43591cfeb248f89e4a371ff525a81b58069"
            + "2bb020772657d1fcab7930355726d355cbd7a4c7eb9efb6486cda9ab15d0844a");
    PINNED.put(
        HashingAlgorithm.BLAKE2S,
        "608eb939e73bb2e7dbf229a992a67181071ecdb8fe2d57424bc5466b1675de70");
  }

  @TempDir Path dir;

  Path pinnedJar() throws Exception {
    Path jar = dir.resolve("pinned-plan.jar");
    try (InputStream in = PinnedPlanHashTest.class.getResourceAsStream("pinned-plan.jar")) {
      assertThat(in).as("test resource pinned-plan.jar").isNotNull();
      Files.copy(in, jar);
    }
    return jar;
  }

  @Test
  void everyAlgorithmIsPinned() {
    assertThat(PINNED).containsOnlyKeys(HashingAlgorithm.values());
  }

  @ParameterizedTest
  @EnumSource(HashingAlgorithm.class)
  void hashOfThePinnedJarNeverChanges(HashingAlgorithm algorithm) throws Exception {
    assertThat(PlanHash.of(pinnedJar(), algorithm)).isEqualTo(PINNED.get(algorithm));
  }
}
