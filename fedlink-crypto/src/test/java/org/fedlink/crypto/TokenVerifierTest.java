package org.fedlink.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenVerifierTest {
  private static final String METHOD = "fedlink.v1.Fleet/PushResult";
  private static final byte[] REQUEST = "serialized request".getBytes(StandardCharsets.UTF_8);
  private static final long T0 = 1_760_000_000_000L;

  @TempDir static Path dir;
  private static KeyPair server;
  private static OpenSshPublicKey serverPub;
  private static KeyPair node;
  private static OpenSshPublicKey nodePub;
  private static KeyPair stranger;
  private static OpenSshPublicKey strangerPub;

  private final AtomicLong clock = new AtomicLong(T0);
  private TokenSigner signer;
  private TokenVerifier verifier;

  @BeforeAll
  static void keys() throws Exception {
    serverPub = OpenSshKeys.generate(dir.resolve("server"), SshCurve.NISTP384, "superlink");
    server = OpenSshPrivateKeyReader.read(dir.resolve("server"), null);
    nodePub = OpenSshKeys.generate(dir.resolve("node"), SshCurve.NISTP384, "node-a");
    node = OpenSshPrivateKeyReader.read(dir.resolve("node"), null);
    strangerPub = OpenSshKeys.generate(dir.resolve("stranger"), SshCurve.NISTP384, "x");
    stranger = OpenSshPrivateKeyReader.read(dir.resolve("stranger"), null);
  }

  @BeforeEach
  void setUp() throws Exception {
    signer = new TokenSigner(node, serverPub, clock::get, new SecureRandom());
    verifier =
        new TokenVerifier(
            server,
            KnownKeys.of(List.of(nodePub)),
            new KeyedNonceCache(1000, Duration.ofSeconds(60), KnownKeys.of(List.of(nodePub))),
            clock::get);
  }

  @Test
  void acceptsSignedRequestAndReturnsTheKnownIdentity() throws Exception {
    AuthMetadata md = signer.sign(METHOD, REQUEST);
    VerifiedNode who = verifier.verify(METHOD, REQUEST, md);
    assertThat(who.publicKey()).isEqualTo(nodePub);
    assertThat(who.publicKey().comment()).isEqualTo("node-a");
    assertThat(who.fingerprint()).isEqualTo(nodePub.fingerprint());
    assertThat(who.timestampMillis()).isEqualTo(T0);
    assertThat(Base64.getDecoder().decode(md.nonce())).hasSize(TokenSigner.NONCE_LENGTH);
  }

  @Test
  void rejectsReplayedToken() throws Exception {
    AuthMetadata md = signer.sign(METHOD, REQUEST);
    verifier.verify(METHOD, REQUEST, md);
    clock.addAndGet(1_000);
    assertReason(md, RejectionReason.REPLAYED_NONCE);
  }

  @Test
  void rejectsTokenForAnotherRequestOrMethod() throws Exception {
    AuthMetadata md = signer.sign(METHOD, REQUEST);
    assertThatThrownBy(() -> verifier.verify(METHOD, "other".getBytes(StandardCharsets.UTF_8), md))
        .satisfies(e -> assertReason(e, RejectionReason.BAD_HMAC));
    assertThatThrownBy(() -> verifier.verify("fedlink.v1.Fleet/DeleteNode", REQUEST, md))
        .satisfies(e -> assertReason(e, RejectionReason.BAD_HMAC));
    // A failed request does not burn the nonce: the genuine one still passes.
    assertThat(verifier.verify(METHOD, REQUEST, md).publicKey()).isEqualTo(nodePub);
  }

  @Test
  void rejectsUnknownKeyEvenWithAValidToken() throws Exception {
    TokenSigner other = new TokenSigner(stranger, serverPub, clock::get, new SecureRandom());
    assertReason(other.sign(METHOD, REQUEST), RejectionReason.UNKNOWN_KEY);
  }

  @Test
  void rejectsKnownKeyClaimedByAnotherSigner() throws Exception {
    TokenSigner other = new TokenSigner(stranger, serverPub, clock::get, new SecureRandom());
    AuthMetadata forged = other.sign(METHOD, REQUEST);
    AuthMetadata claimed =
        new AuthMetadata(nodePub.toLine(), forged.timestamp(), forged.nonce(), forged.token());
    assertReason(claimed, RejectionReason.BAD_HMAC);
  }

  @Test
  void distinguishesStaleFromFutureTimestamps() throws Exception {
    AuthMetadata old = signer.sign(METHOD, REQUEST);
    clock.addAndGet(60_001);
    assertReason(old, RejectionReason.STALE_TIMESTAMP);
    clock.set(T0 - 60_001);
    assertReason(signer.sign(METHOD, REQUEST), RejectionReason.STALE_TIMESTAMP);
    clock.set(T0);
    TokenSigner ahead = new TokenSigner(node, serverPub, () -> T0 + 60_001, new SecureRandom());
    assertReason(ahead.sign(METHOD, REQUEST), RejectionReason.FUTURE_TIMESTAMP);
  }

  @Test
  void rejectsMalformedMetadata() throws Exception {
    AuthMetadata md = signer.sign(METHOD, REQUEST);
    assertReason((AuthMetadata) null, RejectionReason.MALFORMED);
    assertReason(
        new AuthMetadata(md.publicKey(), "yesterday", md.nonce(), md.token()),
        RejectionReason.MALFORMED);
    assertReason(
        new AuthMetadata(md.publicKey(), md.timestamp(), "%%%", md.token()),
        RejectionReason.MALFORMED);
    assertReason(
        new AuthMetadata(md.publicKey(), md.timestamp(), "AAAA", md.token()),
        RejectionReason.MALFORMED);
    assertReason(
        new AuthMetadata(md.publicKey(), md.timestamp(), md.nonce(), md.token().substring(4)),
        RejectionReason.MALFORMED);
    assertReason(
        new AuthMetadata(md.publicKey(), md.timestamp(), md.nonce(), null),
        RejectionReason.MALFORMED);
    assertReason(
        new AuthMetadata(
            md.publicKey().replace("nistp384", "nistp256"), md.timestamp(), md.nonce(), md.token()),
        RejectionReason.MALFORMED);
  }

  @Test
  void refusesKeysRemovedOnReloadAndKeepsReplayProtection() throws Exception {
    AuthMetadata md = signer.sign(METHOD, REQUEST);
    verifier.verify(METHOD, REQUEST, md);
    TokenVerifier same = verifier.withKnownKeys(KnownKeys.of(List.of(nodePub, strangerPub)));
    assertThatThrownBy(() -> same.verify(METHOD, REQUEST, md))
        .satisfies(e -> assertReason(e, RejectionReason.REPLAYED_NONCE));
    TokenVerifier removed = verifier.withKnownKeys(KnownKeys.of(List.of(strangerPub)));
    assertThatThrownBy(() -> removed.verify(METHOD, REQUEST, signer.sign(METHOD, REQUEST)))
        .satisfies(e -> assertReason(e, RejectionReason.UNKNOWN_KEY));
  }

  @Test
  void rejectionMessageNeverContainsTheToken() throws Exception {
    AuthMetadata md = signer.sign(METHOD, REQUEST);
    assertThatThrownBy(() -> verifier.verify(METHOD, new byte[0], md))
        .hasMessageNotContaining(md.token())
        .hasMessageContaining(nodePub.fingerprint());
    assertThat(md.toString()).doesNotContain(md.token());
  }

  private void assertReason(AuthMetadata md, RejectionReason reason) {
    assertThatThrownBy(() -> verifier.verify(METHOD, REQUEST, md))
        .satisfies(e -> assertReason(e, reason));
  }

  private static void assertReason(Throwable e, RejectionReason reason) {
    assertThat(e).isInstanceOf(TokenRejectedException.class);
    assertThat(((TokenRejectedException) e).reason()).isEqualTo(reason);
    assertThat(e.getMessage()).startsWith(reason.name());
  }
}
