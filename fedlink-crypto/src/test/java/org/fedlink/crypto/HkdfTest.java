package org.fedlink.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HkdfTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void passesEveryWycheproofCase() throws Exception {
    List<Wycheproof.Case> cases = Wycheproof.cases("hkdf_sha256_test.json");
    assertThat(cases).hasSize(86);
    int valid = 0;
    int rejected = 0;
    for (Wycheproof.Case c : cases) {
      int size = Math.toIntExact((Long) c.test().get("size"));
      if (c.result().equals("valid")) {
        byte[] okm = Hkdf.derive(c.hex("salt"), c.hex("ikm"), c.hex("info"), size);
        assertThat(okm).as(c.toString()).isEqualTo(c.hex("okm"));
        valid++;
      } else {
        assertThatThrownBy(() -> Hkdf.derive(c.hex("salt"), c.hex("ikm"), c.hex("info"), size))
            .as(c.toString())
            .isInstanceOf(GeneralSecurityException.class);
        rejected++;
      }
    }
    assertThat(valid).isEqualTo(83);
    assertThat(rejected).isEqualTo(3);
  }

  @Test
  void matchesRfc5869TestCase1() throws Exception {
    byte[] ikm = HEX.parseHex("0b".repeat(22));
    byte[] prk = Hkdf.extract(HEX.parseHex("000102030405060708090a0b0c"), ikm);
    assertThat(HEX.formatHex(prk))
        .isEqualTo("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
    assertThat(HEX.formatHex(Hkdf.expand(prk, HEX.parseHex("f0f1f2f3f4f5f6f7f8f9"), 42)))
        .isEqualTo(
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
                + "34007208d5b887185865");
  }

  @Test
  void matchesRfc5869TestCase2() throws Exception {
    byte[] ikm = range(0x00, 80);
    byte[] salt = range(0x60, 80);
    byte[] info = range(0xb0, 80);
    byte[] prk = Hkdf.extract(salt, ikm);
    assertThat(HEX.formatHex(prk))
        .isEqualTo("06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244");
    assertThat(HEX.formatHex(Hkdf.expand(prk, info, 82)))
        .isEqualTo(
            "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
                + "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
                + "cc30c58179ec3e87c14c01d5c1f3434f1d87");
  }

  @Test
  void matchesRfc5869TestCase3WithEmptySaltAndInfo() throws Exception {
    byte[] ikm = HEX.parseHex("0b".repeat(22));
    byte[] prk = Hkdf.extract(new byte[0], ikm);
    assertThat(HEX.formatHex(prk))
        .isEqualTo("19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04");
    assertThat(HEX.formatHex(Hkdf.derive(null, ikm, null, 42)))
        .isEqualTo(
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
                + "9d201395faa4b61a96c8");
  }

  @Test
  void rejectsOutputLongerThan255Blocks() {
    assertThatThrownBy(() -> Hkdf.derive(new byte[1], new byte[1], new byte[0], 255 * 32 + 1))
        .isInstanceOf(InvalidAlgorithmParameterException.class)
        .hasMessageContaining("8161")
        .hasMessageContaining("0..8160");
    assertThatThrownBy(() -> Hkdf.expand(new byte[32], new byte[0], -1))
        .isInstanceOf(InvalidAlgorithmParameterException.class);
  }

  @Test
  void outputIsAPrefixOfLongerOutput() throws Exception {
    Random random = new Random(5869);
    for (int i = 0; i < 50; i++) {
      byte[] ikm = new byte[random.nextInt(100)];
      byte[] salt = new byte[random.nextInt(100)];
      byte[] info = new byte[random.nextInt(100)];
      random.nextBytes(ikm);
      random.nextBytes(salt);
      random.nextBytes(info);
      int a = random.nextInt(300);
      int b = a + random.nextInt(300);
      byte[] shortOut = Hkdf.derive(salt, ikm, info, a);
      byte[] longOut = Hkdf.derive(salt, ikm, info, b);
      assertThat(shortOut).hasSize(a);
      assertThat(java.util.Arrays.copyOf(longOut, a)).isEqualTo(shortOut);
    }
  }

  private static byte[] range(int start, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (start + i);
    }
    return b;
  }
}
