package org.fedlink.supernode.secagg;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.channel.MpcChannel;
import org.fedlink.crypto.channel.MpcIdentity;
import org.fedlink.crypto.channel.RegisteredParty;
import org.fedlink.crypto.channel.SealedMessage;
import org.fedlink.crypto.secagg.AdditiveSharing;
import org.fedlink.crypto.secagg.Biprime;
import org.fedlink.crypto.secagg.BitBudget;
import org.fedlink.crypto.secagg.JoyeLibert;
import org.fedlink.crypto.secagg.JoyeLibertKey;
import org.fedlink.crypto.secagg.protocol.Participants;
import org.fedlink.crypto.secagg.protocol.SecAggKeys;
import org.fedlink.crypto.secagg.protocol.SetupParams;
import org.fedlink.proto.v1.Envelope;
import org.fedlink.proto.v1.Task;

/**
 * The node's part of the MPC key setup: check every party against this node's own registry, draw
 * sk_i, split it into one additive share per participant, seal each share to its recipient and send
 * it (relayed by the SuperLink, or with {@code [mpc] transport = direct} delivered straight to the
 * recipient's MPC endpoint), collect the shares addressed to this node, and seal their sum to the
 * researcher. Neither the SuperLink (it relays only sealed messages) nor the researcher (it gets
 * only sums) learns sk_i. Stateless apart from the mailbox; thread-safe.
 */
final class NodeKeySetup {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecureAggregationSettings settings;
  private final BiprimeSelection biprimes;
  private final ShareMailbox mailbox;
  private final Consumer<List<Envelope>> relay;
  private final DirectSender direct;
  private final Executor background;

  /**
   * @param direct sends shares straight to peers; null unless {@code [mpc] transport = direct}
   */
  NodeKeySetup(
      SecureAggregationSettings settings,
      ShareMailbox mailbox,
      Consumer<List<Envelope>> relay,
      DirectSender direct,
      Executor background) {
    this.settings = settings;
    this.biprimes = new BiprimeSelection(settings);
    this.mailbox = mailbox;
    this.relay = relay;
    this.direct = direct;
    this.background = background;
  }

  /** The outcome: the new session and the share sum sealed to the researcher. */
  record Outcome(NodeSession session, byte[] sealedSum) {}

  Outcome run(long nodeId, Task task) {
    SetupParams p;
    try {
      p = SetupParams.fromConfig(task.getConfigMap());
    } catch (IllegalArgumentException e) {
      throw new FedlinkException(ErrorCode.INVALID_ARGUMENT, e.getMessage());
    }
    boolean straight = direct(nodeId, p.transport());
    MpcIdentity me = NodeSecureAggregation.requireIdentity(settings, nodeId);
    Participants parties = p.participants();
    int mine = parties.indexOf(nodeId);
    if (mine < 0) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT, "node " + nodeId + " is not among the setup's participants");
    }
    String listedAs = parties.componentIds().get(mine);
    if (!listedAs.equals(me.componentId())) {
      throw refused(
          "the researcher lists node "
              + nodeId
              + " as component '"
              + listedAs
              + "' but this node is '"
              + me.componentId()
              + "'; the researcher must register this node's certificate");
    }
    RegisteredParty researcher = NodeSecureAggregation.researcher(settings, nodeId, p.researcher());
    RegisteredParty[] peers = new RegisteredParty[parties.size()];
    for (int j = 0; j < parties.size(); j++) {
      if (j != mine) {
        peers[j] = registered(nodeId, parties.componentIds().get(j), parties.nodeIds().get(j));
      }
    }
    Biprime biprime = biprimes.resolve(nodeId, p.biprimeFingerprint(), p.biprimeBits());
    BitBudget budget;
    try {
      budget = p.budget();
    } catch (InvalidAlgorithmParameterException e) {
      throw new FedlinkException(ErrorCode.INVALID_ARGUMENT, e.getMessage());
    }
    byte[] guardSeed = openGuardSeed(task.getConfigMap(), me, researcher, p.session());
    JoyeLibert scheme = new JoyeLibert(biprime);
    JoyeLibertKey key = scheme.generateKey(RANDOM);
    BigInteger[] shares =
        AdditiveSharing.forKeys(scheme).split(key.exponent(), parties.size(), RANDOM);
    String context = SecAggKeys.shareContext(p.session());
    List<Envelope> out = new ArrayList<>();
    Set<Long> senders = new HashSet<>();
    try {
      for (int j = 0; j < parties.size(); j++) {
        if (j == mine) {
          continue;
        }
        SealedMessage m =
            MpcChannel.seal(
                shares[j].toByteArray(),
                me.privateKey(),
                me.componentId(),
                peers[j].certificate().publicKey(),
                peers[j].componentId(),
                context);
        out.add(
            Envelope.newBuilder()
                .setRunId(task.getRunId())
                .setFromNodeId(nodeId)
                .setToNodeId(parties.nodeIds().get(j))
                .setTopic(SecAggKeys.TOPIC_SHARE)
                .setPayload(ByteString.copyFrom(m.toBytes()))
                .build());
        senders.add(parties.nodeIds().get(j));
      }
    } catch (GeneralSecurityException e) {
      throw refused("cannot seal a key share with this node's MPC key: " + e.getMessage());
    }
    if (straight) {
      for (int j = 0, k = 0; j < parties.size(); j++) {
        if (j != mine) {
          direct.send(parties.nodeIds().get(j), peers[j], List.of(out.get(k++)));
        }
      }
    } else {
      relay.accept(out);
    }
    Map<Long, SealedMessage> received;
    try {
      received = mailbox.take(context, senders, settings.setupTimeout());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FedlinkException(ErrorCode.CANCELLED, "interrupted while waiting for key shares");
    }
    BigInteger sum = shares[mine];
    for (int j = 0; j < parties.size(); j++) {
      if (j == mine) {
        continue;
      }
      long from = parties.nodeIds().get(j);
      SealedMessage m = received.get(from);
      if (m == null) {
        throw new FedlinkException(
            ErrorCode.TIMEOUT,
            "secure-aggregation setup: no key share from node "
                + from
                + " (component "
                + peers[j].componentId()
                + ") within "
                + settings.setupTimeout().toSeconds()
                + " s; it may have dropped out. Setup abandoned: retry with every node online");
      }
      sum = sum.add(openShare(m, from, peers[j], me, context));
    }
    try {
      SealedMessage sealedSum =
          MpcChannel.seal(
              sum.toByteArray(),
              me.privateKey(),
              me.componentId(),
              researcher.certificate().publicKey(),
              researcher.componentId(),
              SecAggKeys.sumContext(p.session()));
      NodeSession session =
          new NodeSession(
              p, scheme, key, budget, guardSeed, settings.maskParallelism(), background);
      session.precompute(p.firstRound());
      return new Outcome(session, sealedSum.toBytes());
    } catch (GeneralSecurityException e) {
      throw refused("cannot seal the share sum to the researcher: " + e.getMessage());
    }
  }

  /**
   * True for the direct transport, false for relay: both this node's {@code [mpc] transport} and
   * the researcher's must say the same, because a node on relay does not listen for direct peers
   * and a node on direct may sit where the relay is not wanted.
   */
  private boolean direct(long nodeId, String asked) {
    String mine = settings.transport();
    if (!mine.equals(asked)) {
      throw refused(
          "MPC transport mismatch: node "
              + nodeId
              + " has [mpc] transport = "
              + mine
              + ", the researcher asked for transport = "
              + asked
              + "; set the same [mpc] transport on the researcher and every node");
    }
    if (!mine.equals("direct")) {
      return false;
    }
    if (direct == null) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "node "
              + nodeId
              + " has [mpc] transport = direct but no MPC endpoint ([mpc] public_key, ip and"
              + " port); configure them or use transport = relay");
    }
    return true;
  }

  private BigInteger openShare(
      SealedMessage m, long from, RegisteredParty peer, MpcIdentity me, String context) {
    if (!m.senderId().equals(peer.componentId())) {
      throw refused(
          "key share from node "
              + from
              + " is signed as component '"
              + m.senderId()
              + "' but the setup lists node "
              + from
              + " as '"
              + peer.componentId()
              + "'; setup refused");
    }
    try {
      byte[] plain =
          MpcChannel.open(
              m,
              me.privateKey(),
              peer.certificate().publicKey(),
              peer.componentId(),
              me.componentId(),
              context);
      return new BigInteger(plain);
    } catch (GeneralSecurityException | NumberFormatException e) {
      throw refused(
          "key share from node "
              + from
              + " (component "
              + peer.componentId()
              + ") failed verification ("
              + e.getMessage()
              + "): the certificate registered for "
              + peer.componentId()
              + " on this node does not match the sender's; re-register its current certificate");
    }
  }

  private RegisteredParty registered(long nodeId, String componentId, long peerNode) {
    return settings
        .parties()
        .lookup(componentId)
        .orElseThrow(
            () ->
                refused(
                    "party '"
                        + componentId
                        + "' (node "
                        + peerNode
                        + ") is not registered on node "
                        + nodeId
                        + "; register its certificate with fedlink certificate register"
                        + " --component-id "
                        + componentId
                        + " before a secure run"));
  }

  private static byte[] openGuardSeed(
      Map<String, String> config, MpcIdentity me, RegisteredParty researcher, String session) {
    String sealed = config.get(SecAggKeys.GUARD_SEED);
    if (sealed == null) {
      throw new FedlinkException(ErrorCode.INVALID_ARGUMENT, "setup task carries no guard seed");
    }
    try {
      SealedMessage m = SealedMessage.fromBytes(Base64.getDecoder().decode(sealed));
      return MpcChannel.open(
          m,
          me.privateKey(),
          researcher.certificate().publicKey(),
          researcher.componentId(),
          me.componentId(),
          SecAggKeys.guardContext(session));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw refused(
          "guard seed from researcher '"
              + researcher.componentId()
              + "' failed verification ("
              + e.getMessage()
              + "); check the researcher certificate registered on this node");
    }
  }

  static FedlinkException refused(String message) {
    return new FedlinkException(ErrorCode.REFUSED, message);
  }
}
