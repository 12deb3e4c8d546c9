package org.fedlink.researcher.secagg;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.fedlink.core.Parameters;
import org.fedlink.crypto.masking.FixedPoint;
import org.fedlink.crypto.masking.MaskingCodec;
import org.fedlink.crypto.masking.RingVector;
import org.fedlink.crypto.masking.SignedKeys;
import org.fedlink.crypto.secagg.protocol.SecAggKeys;
import org.fedlink.proto.v1.TaskResult;
import org.fedlink.researcher.Round;
import org.fedlink.researcher.RoundFailedException;
import org.fedlink.transport.TaskKeys;

/**
 * LOM rounds (low-overhead masking). Once per experiment, each node draws an X25519 key and returns
 * it signed with its MPC certificate (task {@code lom-keys}); a node that joins later is asked
 * alone, nobody else redoes anything. Each round lists its participants with their signed keys and
 * a fresh round id; each node checks the signatures against its own registry, derives the pairwise
 * secrets (once per peer) and adds the AES-CTR masks of the round to its encoded update. The
 * researcher sums the masked vectors, the masks cancel, and it decodes the weighted mean. A node
 * that fails or drops out during a round fails it (LOM cannot remove a missing node's masks),
 * naming the node; the next round goes on with the nodes online, without a new setup.
 *
 * <p>Not thread-safe: one experiment drives it.
 */
final class LomRounds implements Round {
  private final SecureAggregation config;
  private final SecureRunContext ctx;
  private final SecurePhase phase;
  private final String session = UUID.randomUUID().toString();
  private final Map<Long, SignedKeys> keys = new TreeMap<>();

  /** Each node's example count in its last round, which sizes the next round's weight unit. */
  private final Map<Long, Long> weights = new TreeMap<>();

  LomRounds(SecureAggregation config, SecureRunContext ctx) {
    config.validate();
    this.config = config;
    this.ctx = ctx;
    this.phase = new SecurePhase(ctx);
  }

  /** State key prefix of a node's last example count. */
  private static final String WEIGHT = "lom.weight.";

  @Override
  public Map<String, String> state() {
    Map<String, String> s = new TreeMap<>();
    weights.forEach((n, w) -> s.put(WEIGHT + n, Long.toString(w)));
    return s;
  }

  @Override
  public void restore(Map<String, String> state) {
    state.forEach(
        (k, v) -> {
          if (k.startsWith(WEIGHT)) {
            try {
              weights.put(Long.parseLong(k.substring(WEIGHT.length())), Long.parseLong(v));
            } catch (NumberFormatException e) {
              // not a count this class wrote: the node's next round learns it again
            }
          }
        });
  }

  @Override
  public Outcome train(int round, Parameters global, String modelBlobId, String label) {
    List<Long> nodes = new ArrayList<>(ctx.onlineNodes().get());
    nodes.sort(null);
    if (nodes.size() < 2) {
      throw new RoundFailedException(
          label
              + " failed: secure aggregation needs at least 2 nodes, "
              + nodes.size()
              + " online");
    }
    List<Long> fresh = new ArrayList<>(nodes);
    fresh.removeAll(keys.keySet());
    if (!fresh.isEmpty()) {
      Map<String, String> hello =
          Map.of(SecAggKeys.SCHEME, SecAggKeys.SCHEME_LOM, SecAggKeys.SESSION, session);
      List<TaskResult> answers =
          phase.run(
              SecAggKeys.KIND_LOM_KEYS, round, null, label + " (LOM keys)", fresh, n -> hello);
      for (TaskResult r : answers) {
        keys.put(r.getNodeId(), MaskedRounds.keysOf(ctx, r, 32, label));
      }
      // A simulation asks hundreds of nodes at once: past ten, the count says enough.
      ctx.listener()
          .info(
              "LOM keys agreed with "
                  + (fresh.size() <= 10 ? "nodes " + fresh : fresh.size() + " nodes"));
    }
    String roundId = UUID.randomUUID().toString();
    List<SignedKeys> listed = new ArrayList<>();
    for (long n : nodes) {
      listed.add(keys.get(n));
    }
    List<Long> known = new ArrayList<>();
    for (long n : nodes) {
      known.add(weights.get(n));
    }
    FixedPoint f =
        MaskedRounds.fixedPoint(
            config, known.contains(null) ? null : known, nodes.size(), nodes.size(), label);
    Map<String, String> cfg = MaskedRounds.trainConfig(ctx, config, session, roundId, nodes.size());
    cfg.putAll(MaskedRounds.encoding(f));
    cfg.put(
        SecAggKeys.PEER_KEYS, Base64.getEncoder().encodeToString(MaskingCodec.encodeKeys(listed)));
    List<TaskResult> results;
    try {
      results = phase.run(TaskKeys.KIND_TRAIN, round, modelBlobId, label, nodes, n -> cfg);
    } catch (RoundFailedException e) {
      weights.clear(); // e.g. a dataset grew past the unit: the next round learns them again
      throw e;
    }
    for (TaskResult r : results) {
      weights.put(r.getNodeId(), r.getNumExamples());
    }
    RingVector sum = new RingVector(Math.toIntExact(global.size()), f.laneBits());
    long total = 0;
    for (TaskResult r : results) {
      sum.add(
          MaskedRounds.masked(ctx, r, config, session, roundId, f, global.size(), label).vector());
      total += r.getNumExamples();
    }
    if (total <= 0) {
      throw MaskedRounds.failed(label, "every node trained on 0 examples");
    }
    return new Outcome(
        results,
        List.of(Round.aggregate(global, f.decodeMean(sum, results.size(), total), total)),
        List.of());
  }
}
