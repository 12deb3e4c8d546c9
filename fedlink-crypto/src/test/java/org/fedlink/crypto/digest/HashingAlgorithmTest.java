package org.fedlink.crypto.digest;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class HashingAlgorithmTest {

  /** Digests of "abc": FIPS 180-4 / FIPS 202 example values, RFC 7693 appendices A and B. */
  @ParameterizedTest
  @CsvSource({
    "SHA256, ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    "SHA384, cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
        + "8086072ba1e7cc2358baeca134c825a7",
    "SHA512, ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
        + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
    "SHA3_256, 3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532",
    "SHA3_384, ec01498288516fc926459f58e2c6ad8df9b473cb0fc08c2596da7cf0e49be4b2"
        + "98d88cea927ac7f539f1edf228376d25",
    "SHA3_512, b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e"
        + "10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0",
    "BLAKE2B, ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
        + "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923",
    "BLAKE2S, 508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982"
  })
  void matchesPublishedDigestOfAbc(HashingAlgorithm algorithm, String expectedHex) {
    byte[] digest = algorithm.newDigest().digest("abc".getBytes(US_ASCII));

    assertThat(HexFormat.of().formatHex(digest)).isEqualTo(expectedHex);
    assertThat(digest).hasSize(algorithm.digestLength());
  }

  @ParameterizedTest
  @EnumSource(HashingAlgorithm.class)
  void incrementalUpdatesEqualOneShot(HashingAlgorithm algorithm) throws Exception {
    Random random = new Random(42);
    for (int trial = 0; trial < 20; trial++) {
      byte[] data = new byte[random.nextInt(1000)];
      random.nextBytes(data);
      MessageDigest incremental = algorithm.newDigest();
      int split = data.length == 0 ? 0 : random.nextInt(data.length);
      incremental.update(data, 0, split);
      MessageDigest copy = (MessageDigest) incremental.clone();
      incremental.update(data, split, data.length - split);
      copy.update(data, split, data.length - split);

      byte[] expected = algorithm.digest(data);
      assertThat(incremental.digest()).isEqualTo(expected);
      assertThat(copy.digest()).isEqualTo(expected);
    }
  }

  @ParameterizedTest
  @EnumSource(HashingAlgorithm.class)
  void digestResetsForReuse(HashingAlgorithm algorithm) {
    MessageDigest digest = algorithm.newDigest();
    digest.update((byte) 1);
    digest.digest();

    assertThat(digest.digest(new byte[] {7})).isEqualTo(algorithm.digest(new byte[] {7}));
  }

  @ParameterizedTest
  @EnumSource(HashingAlgorithm.class)
  void parsesItsOwnNameIgnoringCase(HashingAlgorithm algorithm) throws Exception {
    assertThat(HashingAlgorithm.parse(algorithm.name())).isSameAs(algorithm);
    assertThat(HashingAlgorithm.parse(algorithm.name().toLowerCase())).isSameAs(algorithm);
  }

  @Test
  void rejectsUnknownNameListingAllowedNames() {
    assertThatThrownBy(() -> HashingAlgorithm.parse("MD5"))
        .isInstanceOf(NoSuchAlgorithmException.class)
        .hasMessage(
            "hashing algorithm MD5 is not allowed; use one of SHA256, SHA384, SHA512, SHA3_256,"
                + " SHA3_384, SHA3_512, BLAKE2B, BLAKE2S");
    assertThatThrownBy(() -> HashingAlgorithm.parse(null))
        .isInstanceOf(NoSuchAlgorithmException.class);
    assertThatThrownBy(() -> HashingAlgorithm.parse("SHA-256"))
        .isInstanceOf(NoSuchAlgorithmException.class);
  }
}
