package org.fedlink.crypto.masking;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MaskPrgTest {
  /**
   * NIST SP 800-38A F.5.1 (CTR-AES128.Encrypt), first block: keystream = ciphertext ^ plaintext.
   */
  @Test
  void keystreamMatchesNistCounterModeVector() throws Exception {
    byte[] key = HexFormat.of().parseHex("2b7e151628aed2a6abf7158809cf4f3c");
    byte[] iv = HexFormat.of().parseHex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
    byte[] plain = HexFormat.of().parseHex("6bc1bee22e409f96e93d7e117393172a");
    byte[] expected = HexFormat.of().parseHex("874d6191b620e3261bef6864990db6ce");
    Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
    assertThat(c.doFinal(plain)).isEqualTo(expected);
    // Our stream is that cipher at counter 0: compare with the JDK block cipher directly.
    Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
    ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
    byte[] block0 = ecb.doFinal(new byte[16]);
    byte[] ours = new byte[MaskPrg.BLOCK_BYTES + 48];
    MaskPrg.keystream(MaskKey.raw(key, false), ours);
    assertThat(java.util.Arrays.copyOf(ours, 16)).isEqualTo(block0);
    byte[] counter = new byte[16];
    counter[15] = (byte) ((MaskPrg.BLOCK_BYTES / 16) & 0xFF);
    counter[14] = (byte) ((MaskPrg.BLOCK_BYTES / 16) >>> 8);
    assertThat(java.util.Arrays.copyOfRange(ours, MaskPrg.BLOCK_BYTES, MaskPrg.BLOCK_BYTES + 16))
        .isEqualTo(ecb.doFinal(counter));
  }

  @ParameterizedTest
  @ValueSource(ints = {32, 64})
  void addsStreamsAsLittleEndianWordsModTwoToTheSixtyFourAndCancels(int laneBits)
      throws GeneralSecurityException {
    int length = 3 * MaskPrg.BLOCK_BYTES / 8 + 7; // several blocks and a partial one
    RingVector v = new RingVector(length, laneBits);
    Random r = new Random(1);
    for (int i = 0; i < length; i++) {
      v.set(i, r.nextInt());
    }
    RingVector original = v.copy();
    byte[] k1 = new byte[MaskKey.KEY_BYTES];
    byte[] k2 = new byte[MaskKey.KEY_BYTES];
    r.nextBytes(k1);
    r.nextBytes(k2);
    MaskPrg.apply(List.of(MaskKey.raw(k1, false), MaskKey.raw(k2, true)), v);
    byte[] s1 = new byte[v.words().length * 8];
    byte[] s2 = new byte[s1.length];
    MaskPrg.keystream(MaskKey.raw(k1, false), s1);
    MaskPrg.keystream(MaskKey.raw(k2, false), s2);
    ByteBuffer b1 = ByteBuffer.wrap(s1).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer b2 = ByteBuffer.wrap(s2).order(ByteOrder.LITTLE_ENDIAN);
    long[] before = original.words();
    for (int w = 0; w < v.words().length; w++) {
      // Whole words mod 2^64, whatever the lane width.
      assertThat(v.words()[w]).isEqualTo(before[w] + b1.getLong(w * 8) - b2.getLong(w * 8));
    }
    MaskPrg.apply(List.of(MaskKey.raw(k1, true), MaskKey.raw(k2, false)), v);
    assertThat(v).isEqualTo(original);
  }

  @Test
  void derivedKeysDifferByContext() throws GeneralSecurityException {
    byte[] secret = new byte[32];
    MaskKey a = MaskKey.derive(secret, "lom/v1/s/r1/1/2", false);
    MaskKey b = MaskKey.derive(secret, "lom/v1/s/r2/1/2", false);
    assertThat(a.sameAs(b)).isFalse();
    assertThat(a.sameAs(MaskKey.derive(secret, "lom/v1/s/r1/1/2", false))).isTrue();
    assertThat(a.toString()).doesNotContain("00");
  }
}
