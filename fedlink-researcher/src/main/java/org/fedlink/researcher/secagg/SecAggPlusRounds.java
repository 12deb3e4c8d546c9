package org.fedlink.researcher.secagg;

import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.fedlink.core.Parameters;
import org.fedlink.crypto.masking.FixedPoint;
import org.fedlink.crypto.masking.MaskingCodec;
import org.fedlink.crypto.masking.RingVector;
import org.fedlink.crypto.masking.SecAggPlusAggregator;
import org.fedlink.crypto.masking.SecAggPlusNode;
import org.fedlink.crypto.masking.SecAggPlusParams;
import org.fedlink.crypto.masking.SignedKeys;
import org.fedlink.crypto.secagg.protocol.SecAggKeys;
import org.fedlink.proto.v1.TaskResult;
import org.fedlink.researcher.Round;
import org.fedlink.researcher.RoundFailedException;
import org.fedlink.transport.TaskKeys;

/**
 * SecAgg+ rounds: four phases per round, each tolerating nodes that go offline.
 *
 * <ol>
 *   <li>train: each node trains, keeps its encoded update and advertises two fresh X25519 keys,
 *       signed with its MPC certificate;
 *   <li>{@code secagg+-share}: each node gets the signed keys of all that advertised, checks them,
 *       and returns its Shamir shares sealed to each neighbour and a commitment to its seed;
 *   <li>{@code secagg+-mask}: each node gets the shares addressed to it and returns its masked
 *       update;
 *   <li>{@code secagg+-unmask}: each node gets the list of nodes whose update arrived and reveals
 *       the seed shares of those and the key shares of the others.
 * </ol>
 *
 * The researcher routes (it cannot open the shares), sums, reconstructs and removes the masks, and
 * decodes the weighted mean of the nodes whose update arrived. Below the reconstruction threshold
 * at any stage the round fails, naming how many answered and how many were needed.
 *
 * <p>Not thread-safe: one experiment drives it.
 */
final class SecAggPlusRounds implements Round {
  private final SecureAggregation config;
  private final SecureRunContext ctx;
  private final SecurePhase phase;
  private final String session = UUID.randomUUID().toString();

  SecAggPlusRounds(SecureAggregation config, SecureRunContext ctx) {
    config.validate();
    this.config = config;
    this.ctx = ctx;
    this.phase = new SecurePhase(ctx);
  }

  /**
   * The parameters for {@code n} nodes: num_shares as set (0 = all), threshold as set or, when 0,
   * the smallest safe one.
   *
   * @throws RoundFailedException if they are unsafe or impossible for n nodes
   */
  static SecAggPlusParams params(SecureAggregation config, int n, String label) {
    int k = config.numShares() <= 0 || config.numShares() >= n ? n : config.numShares();
    int t =
        config.reconstructionThreshold() > 0
            ? config.reconstructionThreshold()
            : Math.max(2, (k + 1) / 2);
    SecAggPlusParams p = new SecAggPlusParams(k, t);
    try {
      p.check(n);
    } catch (IllegalArgumentException e) {
      throw new RoundFailedException(
          label + " failed: SecAgg+ parameters refused: " + e.getMessage());
    }
    return p;
  }

  @Override
  public Outcome train(int round, Parameters global, String modelBlobId, String label) {
    List<Long> nodes = new ArrayList<>(ctx.onlineNodes().get());
    nodes.sort(null);
    SecAggPlusParams params = params(config, nodes.size(), label);
    String roundId = UUID.randomUUID().toString();
    Map<String, String> cfg = MaskedRounds.trainConfig(ctx, config, session, roundId, nodes.size());
    cfg.put(SecAggKeys.NUM_SHARES, Integer.toString(params.numShares()));
    cfg.put(SecAggKeys.THRESHOLD, Integer.toString(params.threshold()));
    Map<String, String> stage =
        Map.of(
            SecAggKeys.SCHEME, SecAggKeys.SCHEME_SECAGG_PLUS,
            SecAggKeys.SESSION, session,
            SecAggKeys.ROUND_ID, roundId);
    List<String> lost = new ArrayList<>();
    SecAggPlusAggregator agg = new SecAggPlusAggregator(roundId, params);
    try {
      // 1. train and advertise keys
      SecurePhase.Answers trained =
          phase.runTolerant(TaskKeys.KIND_TRAIN, round, label, nodes, n -> cfg, n -> modelBlobId);
      lost.addAll(trained.lost());
      Map<Long, SecAggPlusNode.Advertisement> ads = new TreeMap<>();
      List<SignedKeys> roster = new ArrayList<>();
      for (TaskResult r : trained.ok().values()) {
        SignedKeys k = MaskedRounds.keysOf(ctx, r, 64, label);
        roster.add(k);
        ads.put(
            r.getNodeId(),
            new SecAggPlusNode.Advertisement(
                Arrays.copyOf(k.keys(), 32), Arrays.copyOfRange(k.keys(), 32, 64)));
      }
      agg.advertised(ads);
      // Every advertiser has trained: its weight is known, and at least threshold of them make
      // the sum (below it the round fails), which sets the encoding of the masked input.
      List<Long> advertised = new ArrayList<>();
      for (TaskResult r : trained.ok().values()) {
        advertised.add(r.getNumExamples());
      }
      FixedPoint f =
          MaskedRounds.fixedPoint(config, advertised, advertised.size(), params.threshold(), label);
      Map<String, String> maskCfg = new LinkedHashMap<>(stage);
      maskCfg.putAll(MaskedRounds.encoding(f));
      // 2. share keys
      String rosterBlob = ctx.control().upload(MaskingCodec.encodeKeys(roster));
      SecurePhase.Answers sharing =
          phase.runTolerant(
              SecAggKeys.KIND_SAP_SHARE,
              round,
              label + " (share keys)",
              new ArrayList<>(ads.keySet()),
              n -> stage,
              n -> rosterBlob);
      lost.addAll(sharing.lost());
      Map<Long, SecAggPlusNode.SharedKeys> shared = new TreeMap<>();
      for (TaskResult r : sharing.ok().values()) {
        try {
          shared.put(
              r.getNodeId(), MaskingCodec.decodeShared(ctx.control().download(r.getBlobId())));
        } catch (IllegalArgumentException e) {
          throw MaskedRounds.failed(
              label, "node " + r.getNodeId() + " sent malformed shares: " + e.getMessage());
        }
      }
      Map<Long, Map<Long, byte[]>> inbox = agg.route(shared);
      // A node refuses to mask with fewer than threshold holders left (itself and the neighbours
      // that shared with it): nodes lost before sharing leave the round short; say so now.
      List<String> shortOf = new ArrayList<>();
      inbox.forEach(
          (n, box) -> {
            if (1 + box.size() < params.threshold()) {
              shortOf.add(
                  "only "
                      + (1 + box.size())
                      + " of node "
                      + n
                      + "'s holders shared keys; "
                      + params.threshold()
                      + " are needed");
            }
          });
      if (!shortOf.isEmpty()) {
        throw new RoundFailedException(
            MaskedRounds.failed(label + " (masked input)", "SecAgg+: " + String.join("; ", shortOf))
                .getMessage(),
            lost);
      }
      // 3. masked input
      Map<Long, String> inboxBlobs = new LinkedHashMap<>();
      inbox.forEach((n, m) -> inboxBlobs.put(n, ctx.control().upload(MaskingCodec.encodeIdMap(m))));
      SecurePhase.Answers masking =
          phase.runTolerant(
              SecAggKeys.KIND_SAP_MASK,
              round,
              label + " (masked input)",
              new ArrayList<>(inbox.keySet()),
              n -> maskCfg,
              inboxBlobs::get);
      lost.addAll(masking.lost());
      for (TaskResult r : masking.ok().values()) {
        agg.addMasked(
            r.getNodeId(),
            MaskedRounds.masked(
                    ctx,
                    trained.ok().get(r.getNodeId()).toBuilder().setBlobId(r.getBlobId()).build(),
                    config,
                    session,
                    roundId,
                    f,
                    global.size(),
                    label)
                .vector());
      }
      Set<Long> survivors = agg.closeInputs();
      // 4. unmask
      Map<String, String> unmaskCfg = new LinkedHashMap<>(stage);
      unmaskCfg.put(
          SecAggKeys.SURVIVORS,
          survivors.stream().map(String::valueOf).collect(Collectors.joining(",")));
      SecurePhase.Answers unmasking =
          phase.runTolerant(
              SecAggKeys.KIND_SAP_UNMASK,
              round,
              label + " (unmask)",
              new ArrayList<>(survivors),
              n -> unmaskCfg,
              n -> null);
      lost.addAll(unmasking.lost());
      Map<Long, List<SecAggPlusNode.Reveal>> reveals = new TreeMap<>();
      for (TaskResult r : unmasking.ok().values()) {
        try {
          reveals.put(
              r.getNodeId(), MaskingCodec.decodeReveals(ctx.control().download(r.getBlobId())));
        } catch (IllegalArgumentException e) {
          throw MaskedRounds.failed(
              label, "node " + r.getNodeId() + " sent malformed reveals: " + e.getMessage());
        }
      }
      RingVector sum = agg.unmask(reveals);
      List<TaskResult> counted = new ArrayList<>();
      long total = 0;
      for (long n : survivors) {
        TaskResult r = trained.ok().get(n);
        counted.add(r);
        total += r.getNumExamples();
      }
      if (total <= 0) {
        throw MaskedRounds.failed(label, "every node trained on 0 examples");
      }
      if (!agg.dropped().isEmpty()) {
        ctx.listener()
            .info(
                label + ": SecAgg+ removed the masks of nodes " + agg.dropped() + " that dropped");
      }
      return new Outcome(
          counted,
          List.of(Round.aggregate(global, f.decodeMean(sum, survivors.size(), total), total)),
          lost);
    } catch (GeneralSecurityException e) {
      RoundFailedException failed = MaskedRounds.failed(label, e.getMessage());
      // Nodes lost on the way are what left a stage or a secret below the threshold.
      throw lost.isEmpty() ? failed : new RoundFailedException(failed.getMessage(), lost);
    }
  }
}
