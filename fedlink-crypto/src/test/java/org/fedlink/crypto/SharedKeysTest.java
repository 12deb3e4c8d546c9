package org.fedlink.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SharedKeysTest {
  private static KeyPair own;
  private static KeyPair a;
  private static KeyPair b;
  private static OpenSshPublicKey aKey;
  private static OpenSshPublicKey bKey;

  @BeforeAll
  static void keys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp384r1"));
    own = g.generateKeyPair();
    a = g.generateKeyPair();
    b = g.generateKeyPair();
    aKey = OpenSshPublicKey.of((ECPublicKey) a.getPublic(), "a");
    bKey = OpenSshPublicKey.of((ECPublicKey) b.getPublic(), "b");
  }

  @Test
  void derivesEachKeyOnceAndAgreesWithThePeersSide() throws Exception {
    SharedKeys keys = new SharedKeys(own, List.of(aKey, bKey));

    byte[] first = keys.get(aKey);
    byte[] again = keys.get(aKey);

    assertThat(first).isEqualTo(EcdhKeyAgreement.deriveKey(a.getPrivate(), own.getPublic()));
    assertThat(again).isSameAs(first);
    assertThat(keys.derivations()).isEqualTo(1);
    assertThat(keys.contains(aKey)).isTrue();
    assertThat(keys.contains(bKey)).isFalse();
  }

  @Test
  void restoredKeyIsUsedWithoutAKeyAgreementAndNotReported() throws Exception {
    byte[] known = EcdhKeyAgreement.deriveKey(a.getPrivate(), own.getPublic());
    SharedKeys keys = new SharedKeys(own, List.of(aKey));
    List<OpenSshPublicKey> told = new CopyOnWriteArrayList<>();
    keys.onDerived((peer, key) -> told.add(peer));

    keys.restore(aKey, known);

    assertThat(keys.get(aKey)).isEqualTo(known);
    assertThat(keys.derivations()).isZero();
    assertThat(told).isEmpty();
  }

  @Test
  void listenerIsToldOfEachKeyDerivedOnce() throws Exception {
    SharedKeys keys = new SharedKeys(own, List.of(aKey, bKey));
    List<String> told = new CopyOnWriteArrayList<>();
    keys.onDerived((peer, key) -> told.add(peer.fingerprint()));

    keys.derive(aKey);
    keys.get(aKey);
    keys.get(bKey);

    assertThat(told).containsExactly(aKey.fingerprint(), bKey.fingerprint());
  }

  @Test
  void keysNotAcceptedAreNeitherKeptNorRestored() throws Exception {
    SharedKeys keys = new SharedKeys(own, List.of(aKey));
    List<OpenSshPublicKey> told = new ArrayList<>();
    keys.onDerived((peer, key) -> told.add(peer));

    keys.get(bKey);
    keys.restore(bKey, new byte[EcdhKeyAgreement.KEY_LENGTH]);

    assertThat(keys.contains(bKey)).isFalse();
    assertThat(keys.size()).isZero();
    assertThat(told).isEmpty();
  }

  @Test
  void allowForgetsTheKeysOfRemovedPeers() throws Exception {
    SharedKeys keys = new SharedKeys(own, List.of(aKey, bKey));
    keys.get(aKey);
    keys.get(bKey);

    keys.allow(List.of(bKey));

    assertThat(keys.contains(aKey)).isFalse();
    assertThat(keys.contains(bKey)).isTrue();
    keys.get(aKey);
    assertThat(keys.contains(aKey)).isFalse();
  }
}
