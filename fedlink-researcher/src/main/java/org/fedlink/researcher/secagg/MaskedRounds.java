package org.fedlink.researcher.secagg;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedlink.crypto.masking.FixedPoint;
import org.fedlink.crypto.masking.MaskingCodec;
import org.fedlink.crypto.masking.SignedKeys;
import org.fedlink.crypto.secagg.protocol.SecAggKeys;
import org.fedlink.proto.v1.TaskResult;
import org.fedlink.researcher.RoundFailedException;

/** What LOM and SecAgg+ rounds share: the encoding settings and reading the nodes' messages. */
final class MaskedRounds {
  private MaskedRounds() {}

  /** The train task config of a masked round among {@code parties} nodes. */
  static Map<String, String> trainConfig(
      SecureRunContext ctx, SecureAggregation config, String session, String roundId, int parties) {
    Map<String, String> c = new LinkedHashMap<>(ctx.taskConfig());
    c.put(SecAggKeys.SCHEME, config.scheme());
    c.put(SecAggKeys.SESSION, session);
    c.put(SecAggKeys.ROUND_ID, roundId);
    c.put(SecAggKeys.CLIPPING_RANGE, Double.toString(config.clippingRange()));
    c.put(SecAggKeys.VALUE_BITS, Integer.toString(config.valueBits()));
    c.put(SecAggKeys.MAX_WEIGHT, Long.toString(config.maxWeight()));
    c.put(SecAggKeys.MAX_PARTIES, Integer.toString(parties));
    return c;
  }

  /**
   * The encoding of a round among {@code parties} nodes. With the nodes' {@code weights} known, the
   * weight unit is the smallest power of two at least the largest of them (rounded up so the nodes,
   * who are told the unit, learn only its bit length) and the sum is promised the {@code survivors}
   * smallest weights; unknown (null), the unit is the agreed max weight and the sum at least 1.
   * Either way the precision is at least that of the configured value bits.
   */
  static FixedPoint fixedPoint(
      SecureAggregation config, List<Long> weights, int parties, int survivors, String label) {
    long unit = config.maxWeight();
    long minTotal = 1;
    if (weights != null && !weights.isEmpty()) {
      List<Long> sorted = new ArrayList<>(weights);
      sorted.sort(null);
      long largest = Math.max(1, sorted.get(sorted.size() - 1));
      unit = largest == 1 ? 1 : Long.highestOneBit(largest - 1) << 1;
      long sum = 0;
      for (int i = 0; i < Math.min(survivors, sorted.size()); i++) {
        sum += sorted.get(i);
      }
      minTotal = Math.max(1, sum);
    }
    try {
      return FixedPoint.of(config.clippingRange(), config.valueBits(), unit, minTotal, parties);
    } catch (IllegalArgumentException e) {
      throw failed(label, e.getMessage());
    }
  }

  /** The task config entries that tell a node how to encode its update. */
  static Map<String, String> encoding(FixedPoint f) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put(SecAggKeys.CLIPPING_RANGE, Double.toString(f.clippingRange()));
    c.put(SecAggKeys.SCALE, Long.toString(f.scale()));
    c.put(SecAggKeys.WEIGHT_UNIT, Long.toString(f.weightUnit()));
    c.put(SecAggKeys.MAX_PARTIES, Integer.toString(f.maxParties()));
    c.put(SecAggKeys.LANE_BITS, Integer.toString(f.laneBits()));
    return c;
  }

  /** The one signed key set a node returned, checked to be its own. */
  static SignedKeys keysOf(SecureRunContext ctx, TaskResult r, int bytes, String label) {
    try {
      List<SignedKeys> k = MaskingCodec.decodeKeys(ctx.control().download(r.getBlobId()));
      if (k.size() != 1 || k.get(0).node() != r.getNodeId() || k.get(0).keys().length != bytes) {
        throw failed(label, "node " + r.getNodeId() + " returned keys that are not its own");
      }
      return k.get(0);
    } catch (IllegalArgumentException e) {
      throw failed(label, "node " + r.getNodeId() + " returned malformed keys: " + e.getMessage());
    }
  }

  /** A node's masked vector, checked to be of this session, round and length. */
  static MaskingCodec.MaskedBlob masked(
      SecureRunContext ctx,
      TaskResult r,
      SecureAggregation config,
      String session,
      String roundId,
      FixedPoint f,
      long length,
      String label) {
    MaskingCodec.MaskedBlob b;
    try {
      b = MaskingCodec.decodeMasked(ctx.control().download(r.getBlobId()));
    } catch (IllegalArgumentException e) {
      throw failed(label, "node " + r.getNodeId() + " sent no masked update: " + e.getMessage());
    }
    if (!b.scheme().equals(config.scheme())
        || !b.session().equals(session)
        || !b.roundId().equals(roundId)
        || b.vector().length() != length
        || b.vector().laneBits() != f.laneBits()) {
      throw failed(
          label,
          "node "
              + r.getNodeId()
              + " sent a masked update of another round or layout ("
              + b.scheme()
              + " session "
              + b.session()
              + " round "
              + b.roundId()
              + ", "
              + b.vector()
              + "); expected round "
              + roundId
              + " with "
              + length
              + " x "
              + f.laneBits()
              + " bits");
    }
    if (r.getNumExamples() > config.maxWeight() || r.getNumExamples() > f.weightUnit()) {
      throw failed(
          label,
          "node "
              + r.getNodeId()
              + " reports "
              + r.getNumExamples()
              + " examples, above the agreed max weight "
              + config.maxWeight()
              + " or the round's weight unit "
              + f.weightUnit());
    }
    return b;
  }

  static RoundFailedException failed(String label, String why) {
    return new RoundFailedException(
        label + " failed: secure aggregation: " + why + "; nothing was unmasked into the model");
  }
}
