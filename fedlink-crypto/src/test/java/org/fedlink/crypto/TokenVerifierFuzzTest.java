package org.fedlink.crypto;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Feeds arbitrary authentication metadata ({@code fedlink-public-key}, {@code fedlink-timestamp},
 * {@code fedlink-nonce}, {@code fedlink-token}), method and request to {@link
 * TokenVerifier#verify}: it returns the verified node or throws {@link TokenRejectedException}, and
 * nothing else.
 *
 * <p>The input is split at its first five {@code '\n'}: public key line, timestamp, nonce, token,
 * method, then the request bytes; a missing field is {@code null}, as when a header is absent. The
 * server holds {@code keys/ecdsa_p384} and knows its public key (so a node holding the same key
 * signs validly) and {@code keys/ecdsa_p256.pub} (on another curve, so no key can be agreed); its
 * clock is fixed at {@link #NOW}, so a seed signed at that time passes every check.
 */
class TokenVerifierFuzzTest {
  static final long NOW = 1_760_000_000_000L;

  private static final KeyPair SERVER = readKeyPair("ecdsa_p384");
  private static final KnownKeys KNOWN = knownKeys("ecdsa_p384.pub", "ecdsa_p256.pub");

  @FuzzTest
  void verify(byte[] input) {
    byte[][] fields = split(input, 6);
    TokenVerifier verifier =
        new TokenVerifier(
            SERVER, KNOWN, new KeyedNonceCache(16, Duration.ofSeconds(60), KNOWN), () -> NOW);
    AuthMetadata metadata =
        new AuthMetadata(text(fields[0]), text(fields[1]), text(fields[2]), text(fields[3]));
    String method = fields[4] == null ? "fedlink.v1.Fleet/Heartbeat" : text(fields[4]);
    byte[] request = fields[5] == null ? new byte[0] : fields[5];
    try {
      verifier.verify(method, request, metadata);
    } catch (TokenRejectedException expected) {
      // the documented failure
    }
  }

  /** Splits at the first {@code n - 1} newlines; fields after the last one found are null. */
  static byte[][] split(byte[] input, int n) {
    byte[][] out = new byte[n][];
    int start = 0;
    for (int f = 0; f < n - 1; f++) {
      int end = start;
      while (end < input.length && input[end] != '\n') {
        end++;
      }
      out[f] = Arrays.copyOfRange(input, start, end);
      if (end == input.length) {
        return out;
      }
      start = end + 1;
    }
    out[n - 1] = Arrays.copyOfRange(input, start, input.length);
    return out;
  }

  private static String text(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  static Path key(String name) {
    try {
      return Path.of(TokenVerifierFuzzTest.class.getResource("/keys/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair readKeyPair(String name) {
    try {
      return OpenSshPrivateKeyReader.read(key(name), null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (KeyFormatException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KnownKeys knownKeys(String... names) {
    try {
      List<OpenSshPublicKey> keys = new ArrayList<>();
      for (String name : names) {
        keys.add(OpenSshPublicKey.read(key(name)));
      }
      return KnownKeys.of(keys);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (KeyFormatException e) {
      throw new IllegalStateException(e);
    }
  }
}
