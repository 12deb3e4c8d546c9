package org.fedlink.supernode.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.channel.InMemoryPartyDirectory;
import org.fedlink.crypto.channel.MpcChannel;
import org.fedlink.crypto.secagg.protocol.SecAggKeys;
import org.fedlink.proto.v1.Envelope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The direct transport over real mutual TLS on loopback: who may deliver, and to whom. */
class MpcEndpointTest {
  @TempDir static Path dir;
  static MpcTestParty server;
  static MpcTestParty client;
  static MpcTestParty stranger;
  static MpcTestParty clientImpostor;
  static MpcTestParty serverImpostor;

  final List<Envelope> received = new CopyOnWriteArrayList<>();
  MpcEndpoint endpoint;

  @BeforeAll
  static void certificates() throws Exception {
    // The server's certificate names a host that is not the one dialled (127.0.0.1).
    server = MpcTestParty.generate(dir, "server", "mpc.example.org");
    client = MpcTestParty.generate(dir, "client", "localhost");
    stranger = MpcTestParty.generate(dir, "stranger", "localhost");
    clientImpostor = MpcTestParty.generate(dir.resolve("impostor"), "client", "localhost");
    serverImpostor = MpcTestParty.generate(dir.resolve("impostor"), "server", "localhost");
  }

  @AfterEach
  void stop() {
    if (endpoint != null) {
      endpoint.close();
    }
  }

  /** Starts {@code me}'s endpoint on a free port, trusting only {@link #client}. */
  void start(MpcTestParty me) throws Exception {
    InMemoryPartyDirectory registry = new InMemoryPartyDirectory().register(client.at("", 0));
    SecureAggregationSettings settings =
        SecureAggregationSettings.builder()
            .identity(me.identity())
            .parties(registry)
            .transport("direct")
            .direct(me.endpoint(0))
            .build();
    endpoint = MpcEndpoint.start(me.identity(), me.endpoint(0), settings, received::add);
  }

  static Envelope share(MpcTestParty from, String topic) throws Exception {
    byte[] sealed =
        MpcChannel.seal(
                "share".getBytes(StandardCharsets.UTF_8),
                from.identity().privateKey(),
                from.id(),
                server.certificate().getPublicKey(),
                server.id(),
                SecAggKeys.shareContext("s1"))
            .toBytes();
    return Envelope.newBuilder()
        .setFromNodeId(2)
        .setToNodeId(1)
        .setTopic(topic)
        .setPayload(ByteString.copyFrom(sealed))
        .build();
  }

  static void send(MpcTestParty from, MpcTestParty dialled, int port, Envelope e) throws Exception {
    new DirectSender(from.identity(), from.endpoint(0), Duration.ofSeconds(5))
        .send(1, dialled.at("127.0.0.1", port), List.of(e));
  }

  @Test
  void registeredPeerDeliversASealedShareToTheMailbox() throws Exception {
    start(server);
    Envelope e = share(client, SecAggKeys.TOPIC_SHARE);
    send(client, server, endpoint.port(), e);
    assertThat(received).containsExactly(e);
  }

  @Test
  void clientWithAnUnregisteredCertificateIsRefusedDuringTheHandshake() throws Exception {
    start(server);
    assertThatThrownBy(
            () -> send(stranger, server, endpoint.port(), share(stranger, "secagg/share")))
        .isInstanceOf(FedlinkException.class)
        .satisfies(e -> assertThat(((FedlinkException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE))
        .hasMessageContaining("cannot deliver a key share directly to node 1 (component server)")
        .hasMessageContaining("ssl exception");
    assertThat(received).isEmpty();
  }

  @Test
  void clientPresentingAnotherCertificateForARegisteredComponentIsRefused() throws Exception {
    start(server);
    assertThatThrownBy(
            () ->
                send(
                    clientImpostor, server, endpoint.port(), share(clientImpostor, "secagg/share")))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("ssl exception");
    assertThat(received).isEmpty();
  }

  @Test
  void senderRefusesAnEndpointPresentingAnotherCertificate() throws Exception {
    start(serverImpostor);
    // The client dials the address registered for "server", but a different key answers there.
    assertThatThrownBy(() -> send(client, server, endpoint.port(), share(client, "secagg/share")))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("differs from the one registered here");
    assertThat(received).isEmpty();
  }

  @Test
  void peerCannotDeliverAMessageSealedByAnotherComponent() throws Exception {
    start(server);
    assertThatThrownBy(() -> send(client, server, endpoint.port(), share(stranger, "secagg/share")))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("PERMISSION_DENIED")
        .hasMessageContaining("sealed by component 'stranger' delivered by component 'client'");
    assertThat(received).isEmpty();
  }

  @Test
  void endpointAcceptsOnlyShareEnvelopes() throws Exception {
    start(server);
    assertThatThrownBy(() -> send(client, server, endpoint.port(), share(client, "chat")))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("topic 'chat' is not accepted");
    assertThat(received).isEmpty();
  }

  @Test
  void senderRefusesAPeerWithoutARegisteredAddress() throws Exception {
    assertThatThrownBy(() -> send(client, server, 0, share(client, "secagg/share")))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("no MPC ip and port are registered for it");
  }

  @Test
  void portInUseFailsWithTheAddressAndWhatToDo() throws Exception {
    start(server);
    int taken = endpoint.port();
    SecureAggregationSettings settings =
        SecureAggregationSettings.builder().identity(client.identity()).build();
    assertThatThrownBy(
            () ->
                MpcEndpoint.start(
                    client.identity(), client.endpoint(taken), settings, received::add))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("cannot listen on [mpc] ip:port 127.0.0.1:" + taken);
  }
}
