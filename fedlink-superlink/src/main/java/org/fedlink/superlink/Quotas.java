package org.fedlink.superlink;

import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.config.ConfigKey;
import org.fedlink.core.config.ConfigKeys;

/**
 * The limits that keep one party from starving the others, each the value of a {@code [superlink]}
 * configuration key: the largest blob of one upload, the blob bytes one run may reference, the
 * uploads one node may have in progress, the largest relayed envelope and the envelopes relayed for
 * one run. A refusal is {@link ErrorCode#RESOURCE_EXHAUSTED} with a message naming the limit and
 * its key (see {@link #exceeded}). Immutable and thread-safe.
 *
 * @param maxBlobBytes {@code max_blob_mb} in bytes
 * @param maxRunBlobBytes {@code max_run_blob_mb} in bytes
 * @param maxUploadsPerNode {@code max_uploads_per_node}
 * @param maxEnvelopeBytes {@code max_envelope_kb} in bytes
 * @param maxEnvelopesPerRun {@code max_envelopes_per_run}
 */
public record Quotas(
    long maxBlobBytes,
    long maxRunBlobBytes,
    int maxUploadsPerNode,
    int maxEnvelopeBytes,
    int maxEnvelopesPerRun) {

  private static final long MIB = 1024L * 1024;

  /**
   * @throws FedlinkException CONFIGURATION if a limit is outside what its key allows
   */
  public Quotas {
    check(ConfigKeys.MAX_BLOB_MB, maxBlobBytes, MIB);
    check(ConfigKeys.MAX_RUN_BLOB_MB, maxRunBlobBytes, MIB);
    check(ConfigKeys.MAX_UPLOADS_PER_NODE, maxUploadsPerNode, 1);
    check(ConfigKeys.MAX_ENVELOPE_KB, maxEnvelopeBytes, 1024);
    check(ConfigKeys.MAX_ENVELOPES_PER_RUN, maxEnvelopesPerRun, 1);
  }

  /** The defaults of the configuration keys. */
  public static Quotas defaults() {
    return fromKeys(
        def(ConfigKeys.MAX_BLOB_MB),
        def(ConfigKeys.MAX_RUN_BLOB_MB),
        def(ConfigKeys.MAX_UPLOADS_PER_NODE),
        def(ConfigKeys.MAX_ENVELOPE_KB),
        def(ConfigKeys.MAX_ENVELOPES_PER_RUN));
  }

  /**
   * Limits in the units of the configuration keys.
   *
   * @throws FedlinkException CONFIGURATION if a value is outside what its key allows
   */
  public static Quotas fromKeys(
      int maxBlobMb,
      int maxRunBlobMb,
      int maxUploadsPerNode,
      int maxEnvelopeKb,
      int maxEnvelopesPerRun) {
    return new Quotas(
        maxBlobMb * MIB,
        maxRunBlobMb * MIB,
        maxUploadsPerNode,
        maxEnvelopeKb * 1024,
        maxEnvelopesPerRun);
  }

  /**
   * The refusal of a request past a limit: "{@code what} exceeds {@code [superlink] key = value}
   * (limit); ask the SuperLink's operator to raise it".
   */
  public static FedlinkException exceeded(String what, ConfigKey<Integer> key, long limit) {
    return new FedlinkException(
        ErrorCode.RESOURCE_EXHAUSTED,
        what
            + " exceeds the limit "
            + key.display()
            + " = "
            + limit
            + "; stay within it or ask the SuperLink's operator to raise it");
  }

  private static int def(ConfigKey<Integer> key) {
    return key.defaultValue().orElseThrow();
  }

  private static void check(ConfigKey<Integer> key, long amount, long unit) {
    String problem;
    if (amount % unit != 0) {
      problem = "is not a whole number of " + unit + " bytes";
    } else {
      try {
        key.parse(String.valueOf(amount / unit));
        return;
      } catch (IllegalArgumentException e) {
        problem = e.getMessage();
      }
    }
    throw new FedlinkException(
        ErrorCode.CONFIGURATION, key.display() + " = " + amount / unit + " " + problem);
  }
}
