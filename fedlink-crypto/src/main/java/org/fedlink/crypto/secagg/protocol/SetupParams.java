package org.fedlink.crypto.secagg.protocol;

import java.security.InvalidAlgorithmParameterException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.fedlink.crypto.secagg.BitBudget;

/**
 * What the researcher's setup task tells every node: the session, who takes part, the biprime (by
 * fingerprint: each node resolves N from its own allowed list, never from the task), the bit budget
 * and the vector length, so nodes can precompute masks for {@code firstRound} right after setup.
 * Immutable and thread-safe.
 *
 * @param session fresh random id of this setup; bound into every sealed message
 * @param researcher the researcher's component id
 * @param participants the nodes in share order
 * @param biprimeFingerprint lower-case hex SHA-256 of N
 * @param biprimeBits the bit length of N
 * @param clippingRange R of the {@link BitBudget}
 * @param valueBits quantization bits of the {@link BitBudget}
 * @param maxWeight largest node weight of the {@link BitBudget}
 * @param length values per update
 * @param firstRound the first round encrypted under this session
 * @param transport "relay" (or "direct")
 */
public record SetupParams(
    String session,
    String researcher,
    Participants participants,
    String biprimeFingerprint,
    int biprimeBits,
    double clippingRange,
    int valueBits,
    long maxWeight,
    int length,
    int firstRound,
    String transport) {

  public SetupParams {
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(researcher, "researcher");
    Objects.requireNonNull(participants, "participants");
    Objects.requireNonNull(biprimeFingerprint, "biprimeFingerprint");
    Objects.requireNonNull(transport, "transport");
    if (length < 1) {
      throw new IllegalArgumentException("length = " + length + "; must be >= 1");
    }
  }

  /**
   * The bit budget these parameters describe, with one slot per participant.
   *
   * @throws InvalidAlgorithmParameterException if the budget is refused (see {@link BitBudget#of})
   */
  public BitBudget budget() throws InvalidAlgorithmParameterException {
    return BitBudget.of(biprimeBits, clippingRange, valueBits, maxWeight, participants.size());
  }

  /** The task config entries (without the per-node guard seed). */
  public Map<String, String> toConfig() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put(SecAggKeys.SESSION, session);
    c.put(SecAggKeys.SCHEME, SecAggKeys.SCHEME_JOYE_LIBERT);
    c.put(SecAggKeys.RESEARCHER, researcher);
    c.put(SecAggKeys.PARTIES, participants.encode());
    c.put(SecAggKeys.BIPRIME_FINGERPRINT, biprimeFingerprint);
    c.put(SecAggKeys.BIPRIME_BITS, Integer.toString(biprimeBits));
    c.put(SecAggKeys.CLIPPING_RANGE, Double.toString(clippingRange));
    c.put(SecAggKeys.VALUE_BITS, Integer.toString(valueBits));
    c.put(SecAggKeys.MAX_WEIGHT, Long.toString(maxWeight));
    c.put(SecAggKeys.LENGTH, Integer.toString(length));
    c.put(SecAggKeys.FIRST_ROUND, Integer.toString(firstRound));
    c.put(SecAggKeys.TRANSPORT, transport);
    return c;
  }

  /**
   * Reads the entries written by {@link #toConfig()}.
   *
   * @throws IllegalArgumentException naming the missing or malformed key
   */
  public static SetupParams fromConfig(Map<String, String> c) {
    String scheme = require(c, SecAggKeys.SCHEME);
    if (!scheme.equals(SecAggKeys.SCHEME_JOYE_LIBERT)) {
      throw new IllegalArgumentException(
          "secure-aggregation scheme '" + scheme + "' is unknown; supported: joye-libert");
    }
    try {
      return new SetupParams(
          require(c, SecAggKeys.SESSION),
          require(c, SecAggKeys.RESEARCHER),
          Participants.parse(require(c, SecAggKeys.PARTIES)),
          require(c, SecAggKeys.BIPRIME_FINGERPRINT),
          Integer.parseInt(require(c, SecAggKeys.BIPRIME_BITS)),
          Double.parseDouble(require(c, SecAggKeys.CLIPPING_RANGE)),
          Integer.parseInt(require(c, SecAggKeys.VALUE_BITS)),
          Long.parseLong(require(c, SecAggKeys.MAX_WEIGHT)),
          Integer.parseInt(require(c, SecAggKeys.LENGTH)),
          Integer.parseInt(require(c, SecAggKeys.FIRST_ROUND)),
          c.getOrDefault(SecAggKeys.TRANSPORT, "relay"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("malformed number in the setup task: " + e.getMessage());
    }
  }

  private static String require(Map<String, String> c, String key) {
    String v = c.get(key);
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException("setup task lacks " + key);
    }
    return v;
  }
}
