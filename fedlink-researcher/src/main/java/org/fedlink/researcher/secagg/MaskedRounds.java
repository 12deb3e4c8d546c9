package org.fedlink.researcher.secagg;

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

  static FixedPoint fixedPoint(SecureAggregation config, int parties, String label) {
    try {
      return FixedPoint.of(config.clippingRange(), config.valueBits(), config.maxWeight(), parties);
    } catch (IllegalArgumentException e) {
      throw failed(label, e.getMessage());
    }
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
    if (r.getNumExamples() > config.maxWeight()) {
      throw failed(
          label,
          "node "
              + r.getNodeId()
              + " reports "
              + r.getNumExamples()
              + " examples, above the agreed max weight "
              + config.maxWeight());
    }
    return b;
  }

  static RoundFailedException failed(String label, String why) {
    return new RoundFailedException(
        label + " failed: secure aggregation: " + why + "; nothing was unmasked into the model");
  }
}
