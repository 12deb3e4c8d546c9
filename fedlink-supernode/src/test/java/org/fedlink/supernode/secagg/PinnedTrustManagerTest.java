package org.fedlink.supernode.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Socket;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.fedlink.crypto.channel.InMemoryPartyDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PinnedTrustManagerTest {
  @TempDir static Path dir;
  static MpcTestParty alice;
  static MpcTestParty bob;
  static MpcTestParty aliceImpostor;

  @BeforeAll
  static void certificates() throws Exception {
    alice = MpcTestParty.generate(dir, "alice", "localhost");
    bob = MpcTestParty.generate(dir, "bob", "localhost");
    aliceImpostor = MpcTestParty.generate(dir.resolve("impostor"), "alice", "localhost");
  }

  static InMemoryPartyDirectory registry() throws Exception {
    return new InMemoryPartyDirectory().register(alice.at("127.0.0.1", 1)).register(bob.at("", 0));
  }

  static X509Certificate[] chain(MpcTestParty p) {
    return new X509Certificate[] {p.certificate()};
  }

  @Test
  void trustsEveryRegisteredCertificate() throws Exception {
    PinnedTrustManager tm = PinnedTrustManager.registered(registry());
    assertThat(tm.check(chain(alice)).componentId()).isEqualTo("alice");
    assertThat(tm.check(chain(bob)).componentId()).isEqualTo("bob");
    tm.checkClientTrusted(chain(alice), "RSA");
    tm.checkServerTrusted(chain(bob), "RSA");
  }

  @Test
  void rejectsACertificateOfAnUnregisteredComponent() throws Exception {
    PinnedTrustManager tm =
        PinnedTrustManager.registered(new InMemoryPartyDirectory().register(bob.at("", 0)));
    assertThatThrownBy(() -> tm.checkClientTrusted(chain(alice), "RSA"))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("component 'alice', which is not registered here");
  }

  @Test
  void rejectsAnotherCertificateClaimingARegisteredComponent() throws Exception {
    PinnedTrustManager tm = PinnedTrustManager.registered(registry());
    assertThatThrownBy(() -> tm.checkClientTrusted(chain(aliceImpostor), "RSA"))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("differs from the one registered here");
    assertThatThrownBy(() -> tm.checkServerTrusted(chain(aliceImpostor), "RSA", (Socket) null))
        .isInstanceOf(CertificateException.class);
  }

  @Test
  void rejectsAnImpostorEvenWhenItAppendsTheRegisteredCertificate() throws Exception {
    PinnedTrustManager tm = PinnedTrustManager.registered(registry());
    X509Certificate[] chain = {aliceImpostor.certificate(), alice.certificate()};
    assertThatThrownBy(() -> tm.check(chain)).isInstanceOf(CertificateException.class);
  }

  @Test
  void dialledPartyAloneIsTrusted() throws Exception {
    PinnedTrustManager tm = PinnedTrustManager.only(alice.at("127.0.0.1", 1));
    assertThat(tm.check(chain(alice)).componentId()).isEqualTo("alice");
    assertThatThrownBy(() -> tm.checkServerTrusted(chain(bob), "RSA"))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("'bob'");
  }

  @Test
  void rejectsAnEmptyChain() throws Exception {
    PinnedTrustManager tm = PinnedTrustManager.registered(registry());
    assertThatThrownBy(() -> tm.checkClientTrusted(new X509Certificate[0], "RSA"))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("no certificate");
    assertThatThrownBy(() -> tm.checkClientTrusted(null, "RSA"))
        .isInstanceOf(CertificateException.class);
  }

  @Test
  void namesNoIssuerSinceNoCaIsTrusted() throws Exception {
    assertThat(PinnedTrustManager.registered(registry()).getAcceptedIssuers()).isEmpty();
  }
}
