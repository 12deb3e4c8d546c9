package org.fedlink.superlink.auth;

import com.google.protobuf.ByteString;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.fedlink.crypto.AuthMetadata;
import org.fedlink.crypto.OpenSshKeys;
import org.fedlink.crypto.OpenSshPrivateKeyReader;
import org.fedlink.crypto.OpenSshPublicKey;
import org.fedlink.crypto.TokenSigner;
import org.fedlink.crypto.tls.DevelopmentCa;
import org.fedlink.proto.v1.ControlGrpc;
import org.fedlink.proto.v1.CreateNodeRequest;
import org.fedlink.proto.v1.FleetGrpc;
import org.fedlink.proto.v1.HeartbeatRequest;
import org.fedlink.superlink.SuperLink;
import org.fedlink.transport.AuthHeaders;
import org.fedlink.transport.ClientChannels;
import org.fedlink.transport.Endpoint;
import org.fedlink.transport.RequestSigner;
import org.fedlink.transport.SigningInterceptor;

/**
 * A SuperLink with node authentication over real TLS on a loopback port, with key pairs for two
 * known nodes, one unknown node and two known researchers, and helpers to dial it as any of them.
 */
final class AuthFederation implements AutoCloseable {
  final Path dir;
  final DevelopmentCa.CaFiles tls;
  final Path superlinkKey;
  final KeyPair superlinkPair;
  final OpenSshPublicKey superlinkPublic;
  final Path nodeKeysFile;
  final Path researcherKeysFile;
  final KeyPair nodeA;
  final KeyPair nodeB;
  final KeyPair stranger;
  final KeyPair researcher;
  final KeyPair otherResearcher;
  private final List<ManagedChannel> channels = new ArrayList<>();
  SuperLink link;

  AuthFederation(Path dir) throws Exception {
    this.dir = dir;
    tls = DevelopmentCa.create(dir.resolve("certs"), List.of("localhost", "127.0.0.1"));
    superlinkKey = dir.resolve("keys/superlink");
    Files.createDirectories(superlinkKey.getParent());
    superlinkPublic = OpenSshKeys.generate(superlinkKey, "nistp384", "superlink");
    superlinkPair = OpenSshPrivateKeyReader.read(superlinkKey);
    nodeA = generate("node-a");
    nodeB = generate("node-b");
    stranger = generate("stranger");
    researcher = generate("researcher");
    otherResearcher = generate("researcher-b");
    nodeKeysFile = dir.resolve("keys/known_nodes.csv");
    writeKnownKeys(nodeKeysFile, "node-a", "node-b");
    researcherKeysFile = dir.resolve("keys/known_researchers");
    writeKnownKeys(researcherKeysFile, "researcher", "researcher-b");
  }

  private KeyPair generate(String name) throws Exception {
    Path file = dir.resolve("keys/" + name);
    OpenSshKeys.generate(file, "nistp384", name);
    return OpenSshPrivateKeyReader.read(file);
  }

  Path publicKeyFile(String name) {
    return dir.resolve("keys/" + name + ".pub");
  }

  /** Writes a known-keys file listing these keys, one per line with a comment line. */
  void writeKnownKeys(Path file, String... names) throws Exception {
    StringBuilder s = new StringBuilder("# known keys\n");
    for (String n : names) {
      s.append(Files.readString(publicKeyFile(n)).strip()).append('\n');
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, s.toString(), StandardCharsets.UTF_8);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  SuperLinkAuthentication.Builder authentication() {
    return SuperLinkAuthentication.builder()
        .nodeKeys(nodeKeysFile)
        .superlinkKeys(superlinkKey, dir.resolve("keys/superlink.pub"))
        .researcherKeys(researcherKeysFile);
  }

  SuperLink start(SuperLinkAuthentication auth) {
    return start(auth, b -> {});
  }

  SuperLink start(
      SuperLinkAuthentication auth, java.util.function.Consumer<SuperLink.Builder> settings) {
    SuperLink.Builder b =
        SuperLink.builder()
            .address(new Endpoint("127.0.0.1", 0))
            .tls(tls.caCertificate(), tls.serverCertificate(), tls.serverKey())
            .home(dir.resolve("superlink"))
            .authentication(auth);
    settings.accept(b);
    link = b.build().start();
    return link;
  }

  ManagedChannel channel(ClientInterceptor... interceptors) {
    ManagedChannel c =
        ClientChannels.open(
            new Endpoint("localhost", link.port()), tls.caCertificate(), List.of(interceptors));
    channels.add(c);
    return c;
  }

  FleetGrpc.FleetBlockingStub fleet(ClientInterceptor... interceptors) {
    return FleetGrpc.newBlockingStub(channel(interceptors)).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  ControlGrpc.ControlBlockingStub control(KeyPair researcher) throws Exception {
    return ControlGrpc.newBlockingStub(channel(signing(signer(researcher))))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  TokenSigner signer(KeyPair own) throws Exception {
    return new TokenSigner(own, superlinkPublic);
  }

  TokenSigner signer(KeyPair own, LongSupplier clock) throws Exception {
    return new TokenSigner(own, superlinkPublic, clock, new SecureRandom());
  }

  static SigningInterceptor signing(TokenSigner signer) {
    return new SigningInterceptor((m, b) -> headers(signer.sign(m, b)));
  }

  static SigningInterceptor signing(RequestSigner signer) {
    return new SigningInterceptor(signer);
  }

  static Metadata headers(AuthMetadata a) {
    Metadata m = new Metadata();
    if (a.publicKey() != null) {
      m.put(AuthHeaders.PUBLIC_KEY, a.publicKey());
    }
    if (a.timestamp() != null) {
      m.put(AuthHeaders.TIMESTAMP, a.timestamp());
    }
    if (a.nonce() != null) {
      m.put(AuthHeaders.NONCE, a.nonce());
    }
    if (a.token() != null) {
      m.put(AuthHeaders.TOKEN, a.token());
    }
    return m;
  }

  static CreateNodeRequest createNode(KeyPair key) throws Exception {
    return CreateNodeRequest.newBuilder().setIdentity(ByteString.copyFrom(blob(key))).build();
  }

  static byte[] blob(KeyPair key) throws Exception {
    return OpenSshPublicKey.of((java.security.interfaces.ECPublicKey) key.getPublic(), null).blob();
  }

  static HeartbeatRequest heartbeat(long nodeId) {
    return HeartbeatRequest.newBuilder().setNodeId(nodeId).build();
  }

  static org.fedlink.proto.v1.SubscribeTasksRequest subscribe(long nodeId) {
    return org.fedlink.proto.v1.SubscribeTasksRequest.newBuilder().setNodeId(nodeId).build();
  }

  @Override
  public void close() {
    for (ManagedChannel c : channels) {
      c.shutdownNow();
    }
    if (link != null) {
      link.close();
    }
  }
}
