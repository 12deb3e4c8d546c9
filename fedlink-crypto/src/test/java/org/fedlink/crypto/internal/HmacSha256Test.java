package org.fedlink.crypto.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.fedlink.crypto.Wycheproof;
import org.junit.jupiter.api.Test;

class HmacSha256Test {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void passesEveryWycheproofCaseIncludingTruncatedTags() throws Exception {
    List<Wycheproof.Case> cases = Wycheproof.cases("hmac_sha256_test.json");
    assertThat(cases).hasSize(174);
    int accepted = 0;
    int rejected = 0;
    for (Wycheproof.Case c : cases) {
      int tagBytes = (int) c.groupLong("tagSize") / 8;
      byte[] tag = c.hex("tag");
      boolean ok = HmacSha256.verify(c.hex("key"), c.hex("msg"), tag, tagBytes);
      if (c.result().equals("valid")) {
        assertThat(ok).as(c.toString()).isTrue();
        byte[] full = HmacSha256.compute(c.hex("key"), c.hex("msg"));
        assertThat(Arrays.copyOf(full, tagBytes)).as(c.toString()).isEqualTo(tag);
        accepted++;
      } else {
        assertThat(ok).as(c.toString()).isFalse();
        rejected++;
      }
    }
    assertThat(accepted).isEqualTo(66);
    assertThat(rejected).isEqualTo(108);
  }

  @Test
  void matchesRfc4231TestCases() throws Exception {
    check(
        "0b".repeat(20),
        ascii("Hi There"),
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    check(
        HEX.formatHex(ascii("Jefe")),
        ascii("what do ya want for nothing?"),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    check(
        "aa".repeat(20),
        HEX.parseHex("dd".repeat(50)),
        "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
    check(
        "0102030405060708090a0b0c0d0e0f10111213141516171819",
        HEX.parseHex("cd".repeat(50)),
        "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
    byte[] tc5 = HmacSha256.compute(HEX.parseHex("0c".repeat(20)), ascii("Test With Truncation"));
    assertThat(HEX.formatHex(Arrays.copyOf(tc5, 16))).isEqualTo("a3b6167473100ee06e0c796c2955552b");
    check(
        "aa".repeat(131),
        ascii("Test Using Larger Than Block-Size Key - Hash Key First"),
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    check(
        "aa".repeat(131),
        ascii(
            "This is a test using a larger than block-size key and a larger than block-size data."
                + " The key needs to be hashed before being used by the HMAC algorithm."),
        "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
  }

  @Test
  void acceptsEmptyKey() throws Exception {
    assertThat(HEX.formatHex(HmacSha256.compute(new byte[0], new byte[0])))
        .isEqualTo("b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
  }

  @Test
  void refusesTagsShorterThanTheMinimumOrLongerThan32Bytes() throws Exception {
    byte[] key = new byte[32];
    byte[] tag = HmacSha256.compute(key, new byte[] {1});
    assertThat(HmacSha256.verify(key, new byte[] {1}, Arrays.copyOf(tag, 8), 16)).isFalse();
    assertThat(HmacSha256.verify(key, new byte[] {1}, Arrays.copyOf(tag, 16), 16)).isTrue();
    assertThat(HmacSha256.verify(key, new byte[] {1}, Arrays.copyOf(tag, 33), 16)).isFalse();
  }

  private static void check(String keyHex, byte[] data, String tagHex) throws Exception {
    assertThat(HEX.formatHex(HmacSha256.compute(HEX.parseHex(keyHex), data))).isEqualTo(tagHex);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
