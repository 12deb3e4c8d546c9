package org.fedlink.researcher.secagg;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.fedlink.crypto.channel.MpcChannel;
import org.fedlink.crypto.channel.MpcIdentity;
import org.fedlink.crypto.channel.RegisteredParty;
import org.fedlink.crypto.channel.SealedMessage;
import org.fedlink.crypto.secagg.BitBudget;
import org.fedlink.crypto.secagg.JoyeLibert;
import org.fedlink.crypto.secagg.JoyeLibertKey;
import org.fedlink.crypto.secagg.protocol.GuardDerivation;
import org.fedlink.crypto.secagg.protocol.Participants;
import org.fedlink.crypto.secagg.protocol.SecAggKeys;
import org.fedlink.crypto.secagg.protocol.SetupParams;
import org.fedlink.proto.v1.TaskResult;
import org.fedlink.researcher.RoundFailedException;

/**
 * The researcher's side of the MPC key setup, in two phases over the selected nodes.
 *
 * <ol>
 *   <li>identify: each node seals its node id to the researcher with its MPC certificate key; the
 *       sender component must be registered with the researcher and the proof must verify, which
 *       maps node ids to component ids;
 *   <li>setup: each node gets the participants, the biprime fingerprint, the bit budget and the
 *       guard seed sealed to it; nodes exchange key shares among themselves and return the sum of
 *       the shares they received, sealed to the researcher, who sums the sums into -sk_0.
 * </ol>
 *
 * Not thread-safe (one setup at a time).
 */
final class ResearcherKeySetup {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecureAggregation config;
  private final SecureRunContext ctx;
  private final SecurePhase phase;
  private final Executor background;

  ResearcherKeySetup(
      SecureAggregation config, SecureRunContext ctx, SecurePhase phase, Executor background) {
    this.config = config;
    this.ctx = ctx;
    this.phase = phase;
    this.background = background;
  }

  ResearcherSession run(List<Long> nodes, int firstRound, int length) {
    String session = UUID.randomUUID().toString();
    MpcIdentity me = config.identity();
    String label = "secure aggregation setup";
    Map<String, String> hello =
        Map.of(SecAggKeys.SESSION, session, SecAggKeys.RESEARCHER, me.componentId());
    List<TaskResult> ids =
        phase.run(
            SecAggKeys.KIND_IDENTIFY, firstRound, null, label + " (identify)", nodes, n -> hello);
    Map<Long, RegisteredParty> partyOf = new LinkedHashMap<>();
    for (TaskResult r : ids) {
      partyOf.put(r.getNodeId(), identify(r, me, session));
    }
    Participants participants;
    try {
      Map<Long, String> components = new LinkedHashMap<>();
      partyOf.forEach((n, p) -> components.put(n, p.componentId()));
      participants = Participants.of(components);
    } catch (IllegalArgumentException e) {
      throw fail(e.getMessage());
    }
    SetupParams params =
        new SetupParams(
            session,
            me.componentId(),
            participants,
            config.biprime().fingerprint(),
            config.biprime().bits(),
            config.clippingRange(),
            config.valueBits(),
            config.maxWeight(),
            length,
            firstRound,
            config.transport());
    BitBudget budget;
    try {
      budget = params.budget();
    } catch (InvalidAlgorithmParameterException e) {
      throw fail(e.getMessage());
    }
    byte[] seed = new byte[GuardDerivation.SEED_BYTES];
    RANDOM.nextBytes(seed);
    Map<Long, Map<String, String>> perNode = new LinkedHashMap<>();
    for (Map.Entry<Long, RegisteredParty> e : partyOf.entrySet()) {
      Map<String, String> c = new LinkedHashMap<>(params.toConfig());
      c.put(
          SecAggKeys.GUARD_SEED,
          Base64.getEncoder()
              .encodeToString(seal(seed, me, e.getValue(), SecAggKeys.guardContext(session))));
      perNode.put(e.getKey(), c);
    }
    List<TaskResult> sums =
        phase.run(SecAggKeys.KIND_SETUP, firstRound, null, label, nodes, perNode::get);
    List<BigInteger> parts = new ArrayList<>();
    for (TaskResult r : sums) {
      parts.add(openSum(r, me, partyOf.get(r.getNodeId()), session));
    }
    JoyeLibert scheme = new JoyeLibert(config.biprime());
    ResearcherSession s =
        new ResearcherSession(
            params,
            scheme,
            JoyeLibertKey.aggregatorKey(parts),
            budget,
            seed,
            config.maskParallelism(),
            background);
    s.precompute(firstRound);
    return s;
  }

  private RegisteredParty identify(TaskResult r, MpcIdentity me, String session) {
    long node = r.getNodeId();
    SealedMessage m;
    try {
      m = SealedMessage.fromBytes(ctx.control().download(r.getBlobId()));
    } catch (GeneralSecurityException e) {
      throw fail("node " + node + " sent a malformed identity proof: " + e.getMessage());
    }
    String claimed = m.senderId();
    RegisteredParty party =
        config
            .parties()
            .lookup(claimed)
            .orElseThrow(
                () ->
                    fail(
                        "node "
                            + node
                            + " is component '"
                            + claimed
                            + "', which is not registered with the researcher; register its"
                            + " certificate (fedlink certificate register --component-id "
                            + claimed
                            + ") or stop that node"));
    try {
      byte[] body =
          MpcChannel.open(
              m,
              me.privateKey(),
              party.certificate().publicKey(),
              claimed,
              me.componentId(),
              SecAggKeys.identifyContext(session));
      if (!new String(body, StandardCharsets.UTF_8).equals(Long.toString(node))) {
        throw fail(
            "the identity proof of component '" + claimed + "' names another node than " + node);
      }
      return party;
    } catch (GeneralSecurityException e) {
      throw fail(
          "node "
              + node
              + " claims component '"
              + claimed
              + "' but its proof does not verify with the certificate registered for it ("
              + e.getMessage()
              + "); re-register its current certificate");
    }
  }

  private BigInteger openSum(TaskResult r, MpcIdentity me, RegisteredParty party, String session) {
    try {
      SealedMessage m = SealedMessage.fromBytes(ctx.control().download(r.getBlobId()));
      return new BigInteger(
          MpcChannel.open(
              m,
              me.privateKey(),
              party.certificate().publicKey(),
              party.componentId(),
              me.componentId(),
              SecAggKeys.sumContext(session)));
    } catch (GeneralSecurityException | NumberFormatException e) {
      throw fail(
          "the share sum of node "
              + r.getNodeId()
              + " (component "
              + party.componentId()
              + ") failed verification: "
              + e.getMessage());
    }
  }

  private static byte[] seal(byte[] body, MpcIdentity me, RegisteredParty to, String context) {
    try {
      return MpcChannel.seal(
              body,
              me.privateKey(),
              me.componentId(),
              to.certificate().publicKey(),
              to.componentId(),
              context)
          .toBytes();
    } catch (GeneralSecurityException e) {
      throw fail("cannot seal to component " + to.componentId() + ": " + e.getMessage());
    }
  }

  static RoundFailedException fail(String message) {
    return new RoundFailedException("secure aggregation setup failed: " + message);
  }
}
