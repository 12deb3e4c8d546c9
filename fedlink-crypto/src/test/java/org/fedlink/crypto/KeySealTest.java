package org.fedlink.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KeySealTest {
  private static KeyPair owner;
  private static KeyPair otherOwner;
  private static OpenSshPublicKey peer;
  private static OpenSshPublicKey otherPeer;
  private static byte[] shared;

  @BeforeAll
  static void keys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp384r1"));
    owner = g.generateKeyPair();
    otherOwner = g.generateKeyPair();
    KeyPair p = g.generateKeyPair();
    peer = OpenSshPublicKey.of((ECPublicKey) p.getPublic(), "peer");
    otherPeer = OpenSshPublicKey.of((ECPublicKey) g.generateKeyPair().getPublic(), "other");
    // The key as the peer derives it on its side: an oracle independent of the owner's code path.
    shared = EcdhKeyAgreement.deriveKey(p.getPrivate(), owner.getPublic());
  }

  @Test
  void sealedKeyOpensToTheSameKeyAndNeverHoldsItInClear() throws Exception {
    KeySeal seal = KeySeal.of(owner);

    byte[] sealed = seal.seal(peer, shared);

    assertThat(sealed).hasSize(KeySeal.SEALED_LENGTH);
    assertThat(indexOf(sealed, shared)).isEqualTo(-1);
    assertThat(KeySeal.of(owner).open(peer, sealed)).isEqualTo(shared);
  }

  @Test
  void sealingTheSameKeyTwiceGivesDifferentBytes() throws Exception {
    KeySeal seal = KeySeal.of(owner);

    assertThat(seal.seal(peer, shared)).isNotEqualTo(seal.seal(peer, shared));
  }

  @Test
  void copyMovedToAnotherPeerIsRefused() throws Exception {
    KeySeal seal = KeySeal.of(owner);
    byte[] sealed = seal.seal(peer, shared);

    assertThatThrownBy(() -> seal.open(otherPeer, sealed)).isInstanceOf(AEADBadTagException.class);
  }

  @Test
  void anotherOwnerKeyCannotOpenIt() throws Exception {
    byte[] sealed = KeySeal.of(owner).seal(peer, shared);
    KeySeal other = KeySeal.of(otherOwner);

    assertThat(other.owner()).isNotEqualTo(KeySeal.of(owner).owner());
    assertThatThrownBy(() -> other.open(peer, sealed)).isInstanceOf(AEADBadTagException.class);
  }

  @Test
  void everyAlteredByteIsRefused() throws Exception {
    KeySeal seal = KeySeal.of(owner);
    byte[] sealed = seal.seal(peer, shared);
    for (int i = 0; i < sealed.length; i++) {
      byte[] altered = sealed.clone();
      altered[i] ^= 0x01;

      assertThatThrownBy(() -> seal.open(peer, altered))
          .as("byte %d flipped", i)
          .isInstanceOf(GeneralSecurityException.class);
    }
  }

  @Test
  void wrongLengthsAreRefusedNamingTheLength() throws Exception {
    KeySeal seal = KeySeal.of(owner);
    byte[] sealed = seal.seal(peer, shared);

    assertThatThrownBy(() -> seal.open(peer, new byte[0]))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("got 0");
    assertThatThrownBy(() -> seal.open(peer, java.util.Arrays.copyOf(sealed, sealed.length + 1)))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("got " + (sealed.length + 1));
    assertThatThrownBy(() -> seal.seal(peer, new byte[16]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 16");
  }

  @Test
  void ownerIsTheFingerprintOfTheOwnersPublicKey() throws Exception {
    assertThat(KeySeal.of(owner).owner())
        .isEqualTo(OpenSshPublicKey.of((ECPublicKey) owner.getPublic(), null).fingerprint());
    assertThat(KeySeal.of(owner).toString())
        .doesNotContain(java.util.HexFormat.of().formatHex(shared));
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
