package org.fedlink.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AuthTokenTest {
  private static final String METHOD = "fedlink.v1.Fleet/Heartbeat";
  private static final long TS = 1_760_000_000_000L;

  @Test
  void verifiesItsOwnToken() throws Exception {
    byte[] key = bytes(32, 1);
    byte[] nonce = bytes(16, 2);
    byte[] req = "request".getBytes(StandardCharsets.UTF_8);
    byte[] token = AuthToken.compute(key, METHOD, TS, nonce, req);
    assertThat(token).hasSize(AuthToken.TOKEN_LENGTH);
    assertThat(AuthToken.verify(key, METHOD, TS, nonce, req, token)).isTrue();
  }

  @Test
  void matchesKnownAnswerOfTheDocumentedEncoding() throws Exception {
    byte[] key = bytes(32, 7);
    byte[] nonce = bytes(16, 9);
    byte[] req = {1, 2, 3};
    // Recompute from the documented layout with the raw HMAC, independently of AuthToken.
    java.io.ByteArrayOutputStream enc = new java.io.ByteArrayOutputStream();
    java.io.DataOutputStream out = new java.io.DataOutputStream(enc);
    byte[] domain = "fedlink/v1 request-token".getBytes(StandardCharsets.US_ASCII);
    out.writeInt(domain.length);
    out.write(domain);
    byte[] m = METHOD.getBytes(StandardCharsets.UTF_8);
    out.writeInt(m.length);
    out.write(m);
    out.writeLong(TS);
    out.writeInt(nonce.length);
    out.write(nonce);
    out.writeInt(req.length);
    out.write(req);
    byte[] expected = org.fedlink.crypto.internal.HmacSha256.compute(key, enc.toByteArray());
    assertThat(AuthToken.compute(key, METHOD, TS, nonce, req)).isEqualTo(expected);
  }

  @Test
  void anyTamperedFieldFailsVerification() throws Exception {
    Random random = new Random(4231);
    for (int i = 0; i < 200; i++) {
      byte[] key = randomBytes(random, 32 + random.nextInt(16));
      byte[] nonce = randomBytes(random, 16);
      byte[] req = randomBytes(random, random.nextInt(200));
      long ts = random.nextLong();
      String method = "fedlink.v1.Fleet/M" + random.nextInt(10);
      byte[] token = AuthToken.compute(key, method, ts, nonce, req);
      assertThat(AuthToken.verify(key, method, ts, nonce, req, token)).isTrue();

      assertThat(AuthToken.verify(flip(key, random), method, ts, nonce, req, token)).isFalse();
      assertThat(AuthToken.verify(key, method + "x", ts, nonce, req, token)).isFalse();
      assertThat(AuthToken.verify(key, method, ts ^ (1L << random.nextInt(64)), nonce, req, token))
          .isFalse();
      assertThat(AuthToken.verify(key, method, ts, flip(nonce, random), req, token)).isFalse();
      if (req.length > 0) {
        assertThat(AuthToken.verify(key, method, ts, nonce, flip(req, random), token)).isFalse();
      }
      byte[] longerReq = Arrays.copyOf(req, req.length + 1);
      assertThat(AuthToken.verify(key, method, ts, nonce, longerReq, token)).isFalse();
      assertThat(AuthToken.verify(key, method, ts, nonce, req, flip(token, random))).isFalse();
    }
  }

  @Test
  void fieldBoundariesCannotBeShifted() throws Exception {
    byte[] key = bytes(32, 3);
    byte[] a = AuthToken.compute(key, METHOD, TS, new byte[] {1, 2}, new byte[] {3});
    byte[] b = AuthToken.compute(key, METHOD, TS, new byte[] {1}, new byte[] {2, 3});
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void rejectsTruncatedOrExtendedTokens() throws Exception {
    byte[] key = bytes(32, 4);
    byte[] token = AuthToken.compute(key, METHOD, TS, new byte[16], new byte[0]);
    assertThat(
            AuthToken.verify(key, METHOD, TS, new byte[16], new byte[0], Arrays.copyOf(token, 16)))
        .isFalse();
    assertThat(
            AuthToken.verify(key, METHOD, TS, new byte[16], new byte[0], Arrays.copyOf(token, 33)))
        .isFalse();
    assertThat(AuthToken.verify(key, METHOD, TS, new byte[16], new byte[0], new byte[0])).isFalse();
    assertThat(AuthToken.verify(key, METHOD, TS, new byte[16], new byte[0], null)).isFalse();
  }

  @Test
  void rejectsShortKeys() {
    assertThatThrownBy(() -> AuthToken.compute(new byte[31], METHOD, TS, new byte[16], new byte[0]))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("31 bytes")
        .hasMessageContaining("at least 32");
  }

  @Test
  void tokenDependsOnKeyAsHexShows() throws Exception {
    String a =
        HexFormat.of()
            .formatHex(AuthToken.compute(bytes(32, 1), METHOD, 0, new byte[0], new byte[0]));
    String b =
        HexFormat.of()
            .formatHex(AuthToken.compute(bytes(32, 2), METHOD, 0, new byte[0], new byte[0]));
    assertThat(a).hasSize(64).isNotEqualTo(b);
  }

  private static byte[] bytes(int n, int fill) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) fill);
    return b;
  }

  private static byte[] randomBytes(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  private static byte[] flip(byte[] in, Random r) {
    byte[] out = in.clone();
    out[r.nextInt(out.length)] ^= (byte) (1 << r.nextInt(8));
    return out;
  }
}
