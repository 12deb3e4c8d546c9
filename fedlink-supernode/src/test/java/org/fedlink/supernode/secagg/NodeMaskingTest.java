package org.fedlink.supernode.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.fedlink.crypto.channel.InMemoryPartyDirectory;
import org.fedlink.crypto.masking.MaskingCodec;
import org.fedlink.crypto.masking.SignedKeys;
import org.fedlink.crypto.secagg.protocol.SecAggKeys;
import org.fedlink.proto.v1.Task;
import org.fedlink.transport.TaskKeys;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a node does with keys and requests another party sent: the attacker's view. */
class NodeMaskingTest {
  @TempDir static Path dir;
  static MpcTestParty a;
  static MpcTestParty b;
  static MpcTestParty stranger;

  @BeforeAll
  static void parties() throws Exception {
    a = MpcTestParty.generate(dir, "node-a", "localhost");
    b = MpcTestParty.generate(dir, "node-b", "localhost");
    stranger = MpcTestParty.generate(dir, "stranger", "localhost");
  }

  /** Node 1 (component node-a), which registered node-b only. */
  static NodeMasking nodeA() throws Exception {
    InMemoryPartyDirectory registry = new InMemoryPartyDirectory();
    registry.register(b.at("127.0.0.1", 0));
    return new NodeMasking(
        SecureAggregationSettings.builder().identity(a.identity()).parties(registry).build());
  }

  static Task.Builder lom(int round) {
    return Task.newBuilder()
        .setKind(TaskKeys.KIND_TRAIN)
        .setRound(round)
        .putConfig(SecAggKeys.SCHEME, SecAggKeys.SCHEME_LOM)
        .putConfig(SecAggKeys.SESSION, "s1")
        .putConfig(SecAggKeys.ROUND_ID, "r" + round)
        .putConfig(SecAggKeys.CLIPPING_RANGE, "3.0")
        .putConfig(SecAggKeys.VALUE_BITS, "16")
        .putConfig(SecAggKeys.MAX_WEIGHT, "100")
        .putConfig(SecAggKeys.MAX_PARTIES, "2")
        .putConfig(SecAggKeys.SCALE, "1000000")
        .putConfig(SecAggKeys.WEIGHT_UNIT, "128")
        .putConfig(SecAggKeys.LANE_BITS, "32");
  }

  static String keys(SignedKeys... k) {
    return Base64.getEncoder().encodeToString(MaskingCodec.encodeKeys(List.of(k)));
  }

  static SignedKeys own(NodeMasking node) {
    Task hello =
        Task.newBuilder()
            .setKind(SecAggKeys.KIND_LOM_KEYS)
            .putConfig(SecAggKeys.SCHEME, SecAggKeys.SCHEME_LOM)
            .putConfig(SecAggKeys.SESSION, "s1")
            .build();
    return MaskingCodec.decodeKeys(node.lomKeys(1, hello)).get(0);
  }

  @Test
  void aPeerKeyMustBeSignedByARegisteredComponentAndUnaltered() throws Exception {
    NodeMasking node = nodeA();
    SignedKeys mine = own(node);
    assertThat(mine.component()).isEqualTo("node-a");
    assertThat(mine.signed()).isTrue();
    byte[] peerKey = new byte[32];
    peerKey[0] = 9;
    String context = SecAggKeys.lomKeyContext("s1");
    SignedKeys byStranger = SignedKeys.sign(stranger.identity(), 2, peerKey, context);
    assertThatThrownBy(
            () ->
                node.lomProtect(
                    1,
                    lom(1).putConfig(SecAggKeys.PEER_KEYS, keys(mine, byStranger)).build(),
                    new float[4],
                    1))
        .hasMessageContaining("signed by component 'stranger', which is not registered on node 1");
    SignedKeys byB = SignedKeys.sign(b.identity(), 2, peerKey, context);
    byte[] swapped = new byte[32];
    swapped[0] = 7;
    SignedKeys altered = new SignedKeys(2, "node-b", swapped, byB.signature());
    assertThatThrownBy(
            () ->
                node.lomProtect(
                    1,
                    lom(2).putConfig(SecAggKeys.PEER_KEYS, keys(mine, altered)).build(),
                    new float[4],
                    1))
        .hasMessageContaining("the key of node 2 (component node-b) failed verification");
    SignedKeys unsigned = new SignedKeys(2, "node-b", peerKey, new byte[0]);
    assertThatThrownBy(
            () ->
                node.lomProtect(
                    1,
                    lom(3).putConfig(SecAggKeys.PEER_KEYS, keys(mine, unsigned)).build(),
                    new float[4],
                    1))
        .hasMessageContaining("are not signed");
    SignedKeys otherSession =
        SignedKeys.sign(b.identity(), 2, peerKey, SecAggKeys.lomKeyContext("s0"));
    assertThatThrownBy(
            () ->
                node.lomProtect(
                    1,
                    lom(4).putConfig(SecAggKeys.PEER_KEYS, keys(mine, otherSession)).build(),
                    new float[4],
                    1))
        .hasMessageContaining("failed verification");
  }

  @Test
  void refusesAnEncodingThatCouldWrapAndAWeightAboveTheUnit() throws Exception {
    NodeMasking node = nodeA();
    SignedKeys mine = own(node);
    byte[] peerKey =
        org.fedlink.crypto.masking.X25519KeyPair.generate(new java.security.SecureRandom())
            .publicKey();
    String list =
        keys(mine, SignedKeys.sign(b.identity(), 2, peerKey, SecAggKeys.lomKeyContext("s1")));
    // Two parties of scale 2^30 could reach 2^31: a 32-bit lane would wrap.
    assertThatThrownBy(
            () ->
                node.lomProtect(
                    1,
                    lom(7)
                        .putConfig(SecAggKeys.SCALE, Long.toString(1L << 30))
                        .putConfig(SecAggKeys.PEER_KEYS, list)
                        .build(),
                    new float[4],
                    1))
        .hasMessageContaining("bad fixed-point settings")
        .hasMessageContaining("scale 1073741824");
    assertThatThrownBy(
            () ->
                node.lomProtect(
                    1, lom(8).putConfig(SecAggKeys.PEER_KEYS, list).build(), new float[4], 129))
        .hasMessageContaining("weight 129 is outside 0..128");
    assertThat(
            node.lomProtect(
                1, lom(9).putConfig(SecAggKeys.PEER_KEYS, list).build(), new float[4], 128))
        .isNotEmpty();
  }

  @Test
  void aRoundIsMaskedOnceEvenUnderAnotherRoundId() throws Exception {
    NodeMasking node = nodeA();
    SignedKeys mine = own(node);
    byte[] peerKey =
        org.fedlink.crypto.masking.X25519KeyPair.generate(new java.security.SecureRandom())
            .publicKey();
    SignedKeys byB = SignedKeys.sign(b.identity(), 2, peerKey, SecAggKeys.lomKeyContext("s1"));
    String list = keys(mine, byB);
    byte[] first =
        node.lomProtect(1, lom(5).putConfig(SecAggKeys.PEER_KEYS, list).build(), new float[4], 1);
    assertThat(MaskingCodec.decodeMasked(first).roundId()).isEqualTo("r5");
    assertThatThrownBy(
            () ->
                node.lomProtect(
                    1,
                    lom(5)
                        .putConfig(SecAggKeys.ROUND_ID, "another")
                        .putConfig(SecAggKeys.PEER_KEYS, list)
                        .build(),
                    new float[4],
                    1))
        .hasMessageContaining("already sent a masked update for round 5 of session s1");
  }

  @Test
  void secAggPlusStagesOfAnUnknownRoundOrOutOfOrderAreRefused() throws Exception {
    NodeMasking node = nodeA();
    Task unmask =
        Task.newBuilder()
            .setKind(SecAggKeys.KIND_SAP_UNMASK)
            .putConfig(SecAggKeys.ROUND_ID, "nope")
            .putConfig(SecAggKeys.SURVIVORS, "1,2")
            .build();
    assertThatThrownBy(() -> node.secAggPlusStage(1, unmask, null))
        .hasMessageContaining("no SecAgg+ round nope on node 1");
    Task train =
        lom(1)
            .putConfig(SecAggKeys.SCHEME, SecAggKeys.SCHEME_SECAGG_PLUS)
            .putConfig(SecAggKeys.ROUND_ID, "sap")
            .putConfig(SecAggKeys.NUM_SHARES, "0")
            .putConfig(SecAggKeys.THRESHOLD, "2")
            .build();
    node.secAggPlusAdvertise(1, train, new float[4], 1);
    Task early = unmask.toBuilder().putConfig(SecAggKeys.ROUND_ID, "sap").build();
    assertThatThrownBy(() -> node.secAggPlusStage(1, early, null))
        .hasMessageContaining("SecAgg+ step 4 asked at step 2");
  }
}
