package org.fedlink.crypto.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SignatureException;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MpcChannelTest {
  private static KeyPair alice;
  private static KeyPair bob;
  private static KeyPair carol;
  private static final byte[] SHARE = "share of sk_alice for bob".getBytes(StandardCharsets.UTF_8);
  private static final String CTX = "secagg/run-7/setup-1";

  @BeforeAll
  static void keys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    alice = g.generateKeyPair();
    bob = g.generateKeyPair();
    carol = g.generateKeyPair();
  }

  private static SealedMessage aliceToBob() throws Exception {
    return MpcChannel.seal(SHARE, alice.getPrivate(), "alice", bob.getPublic(), "bob", CTX);
  }

  private static byte[] bobOpens(SealedMessage m) throws Exception {
    return MpcChannel.open(m, bob.getPrivate(), alice.getPublic(), "alice", "bob", CTX);
  }

  @Test
  void roundTripsThroughTheByteEncoding() throws Exception {
    SealedMessage m = SealedMessage.fromBytes(aliceToBob().toBytes());
    assertThat(bobOpens(m)).isEqualTo(SHARE);
    assertThat(new String(m.ciphertext(), StandardCharsets.ISO_8859_1))
        .doesNotContain(new String(SHARE, StandardCharsets.ISO_8859_1));
  }

  @Test
  void rejectsTamperedCiphertextIvAndWrappedKey() throws Exception {
    SealedMessage m = aliceToBob();
    byte[] ct = m.ciphertext();
    ct[3] ^= 1;
    assertThatThrownBy(() -> bobOpens(with(m, m.wrappedKey(), m.iv(), ct)))
        .isInstanceOf(AEADBadTagException.class);
    byte[] iv = m.iv();
    iv[0] ^= 1;
    assertThatThrownBy(() -> bobOpens(with(m, m.wrappedKey(), iv, m.ciphertext())))
        .isInstanceOf(AEADBadTagException.class);
    byte[] wrapped = m.wrappedKey();
    wrapped[10] ^= 1;
    assertThatThrownBy(() -> bobOpens(with(m, wrapped, m.iv(), m.ciphertext())))
        .isInstanceOf(AEADBadTagException.class);
  }

  @Test
  void rejectsSwappedSender() throws Exception {
    // Carol signs but claims to be Alice: the header matches, the signature does not.
    SealedMessage forged =
        MpcChannel.seal(SHARE, carol.getPrivate(), "alice", bob.getPublic(), "bob", CTX);
    assertThatThrownBy(() -> bobOpens(forged))
        .isInstanceOf(SignatureException.class)
        .hasMessageContaining("does not verify");
    // A header rewritten to another sender breaks the tag.
    SealedMessage m = aliceToBob();
    SealedMessage relabelled =
        new SealedMessage("carol", "bob", CTX, m.wrappedKey(), m.iv(), m.ciphertext());
    assertThatThrownBy(
            () ->
                MpcChannel.open(
                    relabelled, bob.getPrivate(), carol.getPublic(), "carol", "bob", CTX))
        .isInstanceOf(AEADBadTagException.class);
    assertThatThrownBy(
            () -> MpcChannel.open(m, bob.getPrivate(), carol.getPublic(), "carol", "bob", CTX))
        .isInstanceOf(MisaddressedMessageException.class)
        .hasMessageContaining("sender is 'alice'; expected 'carol'");
  }

  @Test
  void rejectsReplayToAnotherRecipientOrContext() throws Exception {
    SealedMessage m = aliceToBob();
    assertThatThrownBy(
            () -> MpcChannel.open(m, carol.getPrivate(), alice.getPublic(), "alice", "carol", CTX))
        .isInstanceOf(MisaddressedMessageException.class)
        .hasMessageContaining("recipient is 'bob'; expected 'carol'");
    SealedMessage readdressed =
        new SealedMessage("alice", "carol", CTX, m.wrappedKey(), m.iv(), m.ciphertext());
    assertThatThrownBy(
            () ->
                MpcChannel.open(
                    readdressed, carol.getPrivate(), alice.getPublic(), "alice", "carol", CTX))
        .isInstanceOf(AEADBadTagException.class);
    assertThatThrownBy(
            () ->
                MpcChannel.open(
                    m, bob.getPrivate(), alice.getPublic(), "alice", "bob", "secagg/run-8/setup-1"))
        .isInstanceOf(MisaddressedMessageException.class)
        .hasMessageContaining("context");
  }

  @Test
  void recipientCannotForwardAsIfAddressedToAnother() throws Exception {
    // Bob decrypts and re-encrypts Alice's signed content to Carol: the signature covers "bob".
    SealedMessage m = aliceToBob();
    byte[] plain = bobOpens(m);
    SealedMessage forwarded =
        MpcChannel.seal(plain, alice.getPrivate(), "alice", carol.getPublic(), "carol", CTX);
    assertThat(
            MpcChannel.open(
                forwarded, carol.getPrivate(), alice.getPublic(), "alice", "carol", CTX))
        .isEqualTo(plain);
    // ...which needed Alice's private key; with Bob's own key it fails as a swapped sender.
    SealedMessage byBob =
        MpcChannel.seal(plain, bob.getPrivate(), "alice", carol.getPublic(), "carol", CTX);
    assertThatThrownBy(
            () ->
                MpcChannel.open(
                    byBob, carol.getPrivate(), alice.getPublic(), "alice", "carol", CTX))
        .isInstanceOf(SignatureException.class);
  }

  @Test
  void rejectsShortRsaKeys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(1024);
    KeyPair weak = g.generateKeyPair();
    assertThatThrownBy(
            () -> MpcChannel.seal(SHARE, weak.getPrivate(), "alice", bob.getPublic(), "bob", CTX))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("RSA-1024; at least RSA-2048");
  }

  @Test
  void rejectsMalformedEncodings() throws Exception {
    byte[] good = aliceToBob().toBytes();
    assertThatThrownBy(() -> SealedMessage.fromBytes(new byte[] {1, 2, 3}))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("magic");
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
    assertThatThrownBy(() -> SealedMessage.fromBytes(truncated))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("ciphertext needs");
    byte[] trailing = java.util.Arrays.copyOf(good, good.length + 1);
    assertThatThrownBy(() -> SealedMessage.fromBytes(trailing)).hasMessageContaining("trailing");
    byte[] badVersion = good.clone();
    badVersion[4] = 9;
    assertThatThrownBy(() -> SealedMessage.fromBytes(badVersion)).hasMessageContaining("version 9");
  }

  private static SealedMessage with(SealedMessage m, byte[] wrapped, byte[] iv, byte[] ct) {
    return new SealedMessage(m.senderId(), m.recipientId(), m.context(), wrapped, iv, ct);
  }
}
