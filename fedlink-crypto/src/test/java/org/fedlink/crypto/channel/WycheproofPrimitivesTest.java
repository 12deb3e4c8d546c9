package org.fedlink.crypto.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Every case of the Wycheproof files for the channel's primitives, through the wrappers. */
class WycheproofPrimitivesTest {
  @Test
  void rsaOaepSha256DecryptsValidAndRejectsInvalidCases() throws Exception {
    Map<String, Object> file = Wycheproof.load("rsa_oaep_2048_sha256_mgf1sha256_test.json");
    int run = 0;
    for (Map<String, Object> group : Wycheproof.list(file, "testGroups")) {
      assertThat(group.get("sha")).isEqualTo("SHA-256");
      assertThat(group.get("mgfSha")).isEqualTo("SHA-256");
      PrivateKey key =
          KeyFactory.getInstance("RSA")
              .generatePrivate(new PKCS8EncodedKeySpec(Wycheproof.hex(group, "privateKeyPkcs8")));
      for (Map<String, Object> t : Wycheproof.list(group, "tests")) {
        String id = "tcId " + t.get("tcId") + " " + t.get("comment");
        byte[] ct = Wycheproof.hex(t, "ct");
        byte[] label = Wycheproof.hex(t, "label");
        if ("invalid".equals(t.get("result"))) {
          assertThatThrownBy(() -> RsaOaep.decrypt(key, ct, label))
              .as(id)
              .isInstanceOf(GeneralSecurityException.class);
        } else {
          assertThat(RsaOaep.decrypt(key, ct, label)).as(id).isEqualTo(Wycheproof.hex(t, "msg"));
        }
        run++;
      }
    }
    assertThat(run).isEqualTo(((Number) file.get("numberOfTests")).intValue());
  }

  @Test
  void rsaPssSha256Salt32VerifiesValidAndRejectsInvalidCases() throws Exception {
    Map<String, Object> file = Wycheproof.load("rsa_pss_2048_sha256_mgf1_32_test.json");
    int run = 0;
    for (Map<String, Object> group : Wycheproof.list(file, "testGroups")) {
      assertThat(num(group, "sLen")).isEqualTo(32);
      PublicKey key =
          KeyFactory.getInstance("RSA")
              .generatePublic(new X509EncodedKeySpec(Wycheproof.hex(group, "publicKeyDer")));
      for (Map<String, Object> t : Wycheproof.list(group, "tests")) {
        String id = "tcId " + t.get("tcId") + " " + t.get("comment");
        byte[] msg = Wycheproof.hex(t, "msg");
        byte[] sig = Wycheproof.hex(t, "sig");
        switch ((String) t.get("result")) {
          case "valid" -> RsaPss.verify(key, msg, sig);
          case "invalid" ->
              assertThatThrownBy(() -> RsaPss.verify(key, msg, sig))
                  .as(id)
                  .isInstanceOf(GeneralSecurityException.class);
          default -> {
            try {
              RsaPss.verify(key, msg, sig);
            } catch (GeneralSecurityException acceptableEitherWay) {
              // "acceptable" cases may go either way.
            }
          }
        }
        run++;
      }
    }
    assertThat(run).isEqualTo(((Number) file.get("numberOfTests")).intValue());
  }

  @Test
  void aesGcmPassesSupportedSizesAndNeverWronglyAcceptsOthers() throws Exception {
    Map<String, Object> file = Wycheproof.load("aes_gcm_test.json");
    int run = 0;
    int supported = 0;
    for (Map<String, Object> group : Wycheproof.list(file, "testGroups")) {
      boolean ours =
          num(group, "keySize") == 256
              && num(group, "ivSize") == 96
              && num(group, "tagSize") == 128;
      for (Map<String, Object> t : Wycheproof.list(group, "tests")) {
        String id = "tcId " + t.get("tcId") + " " + t.get("comment");
        byte[] key = Wycheproof.hex(t, "key");
        byte[] iv = Wycheproof.hex(t, "iv");
        byte[] aad = Wycheproof.hex(t, "aad");
        byte[] msg = Wycheproof.hex(t, "msg");
        byte[] sealed = concat(Wycheproof.hex(t, "ct"), Wycheproof.hex(t, "tag"));
        boolean valid = "valid".equals(t.get("result"));
        if (ours) {
          supported++;
          if (valid) {
            assertThat(Aes256Gcm.decrypt(key, iv, sealed, aad)).as(id).isEqualTo(msg);
            assertThat(Aes256Gcm.encrypt(key, iv, msg, aad)).as(id).isEqualTo(sealed);
          } else {
            assertThatThrownBy(() -> Aes256Gcm.decrypt(key, iv, sealed, aad))
                .as(id)
                .isInstanceOf(GeneralSecurityException.class);
          }
        } else {
          assertThatThrownBy(() -> Aes256Gcm.decrypt(key, iv, sealed, aad))
              .as(id + " (unsupported size must be refused)")
              .isInstanceOf(GeneralSecurityException.class);
          checkRawJca(id, key, iv, aad, msg, sealed, valid, num(group, "tagSize"));
        }
        run++;
      }
    }
    assertThat(supported).isGreaterThan(0);
    assertThat(run).isEqualTo(((Number) file.get("numberOfTests")).intValue());
  }

  /** Beyond the channel's sizes, the JDK itself must never return a plaintext for a bad case. */
  private static void checkRawJca(
      String id,
      byte[] key,
      byte[] iv,
      byte[] aad,
      byte[] msg,
      byte[] sealed,
      boolean valid,
      int tagBits) {
    byte[] out;
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(tagBits, iv));
      c.updateAAD(aad);
      out = c.doFinal(sealed);
    } catch (GeneralSecurityException | IllegalArgumentException refused) {
      return;
    }
    if (!valid) {
      fail(id + ": JDK accepted an invalid AES-GCM case");
    }
    assertThat(out).as(id).isEqualTo(msg);
  }

  private static int num(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v instanceof Number n ? n.intValue() : Integer.parseInt((String) v);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
