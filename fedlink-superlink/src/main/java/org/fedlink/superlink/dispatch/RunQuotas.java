package org.fedlink.superlink.dispatch;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.fedlink.core.config.ConfigKeys;
import org.fedlink.proto.v1.Envelope;
import org.fedlink.proto.v1.Task;
import org.fedlink.superlink.Quotas;
import org.fedlink.superlink.state.LinkState;

/**
 * What each run has used of its {@link Quotas}: the bytes of the blobs its tasks and results
 * reference, and the envelopes relayed for it. Counted in memory, each run's count read once from
 * the state on first use (so a restart starts from what is stored). A request reserves room before
 * it is stored and gives it back if it is not; concurrent requests of one run never pass the limit
 * together. Thread-safe.
 */
final class RunQuotas {
  private final LinkState state;
  private final Quotas quotas;
  private final Map<String, AtomicLong> blobBytes = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> envelopes = new ConcurrentHashMap<>();

  RunQuotas(LinkState state, Quotas quotas) {
    this.state = state;
    this.quotas = quotas;
  }

  Quotas quotas() {
    return quotas;
  }

  /**
   * Reserves {@code bytes} of blobs joining the run.
   *
   * @throws org.fedlink.core.FedlinkException RESOURCE_EXHAUSTED past {@code max_run_blob_mb}
   */
  void reserveBlobBytes(String runId, long bytes) {
    if (bytes == 0) {
      return;
    }
    AtomicLong used =
        blobBytes.computeIfAbsent(runId, id -> new AtomicLong(state.blobBytesOfRun(id)));
    long after = used.addAndGet(bytes);
    if (after > quotas.maxRunBlobBytes()) {
      used.addAndGet(-bytes);
      throw Quotas.exceeded(
          "run " + runId + " would reference " + (after >> 20) + " MiB of blobs, which",
          ConfigKeys.MAX_RUN_BLOB_MB,
          quotas.maxRunBlobBytes() >> 20);
    }
  }

  /**
   * Reserves, per run, the bytes of the model blobs these tasks bring into their run for the first
   * time; all or nothing.
   *
   * @return bytes reserved per run, to give back if the tasks are not stored
   * @throws org.fedlink.core.FedlinkException RESOURCE_EXHAUSTED past {@code max_run_blob_mb}
   */
  Map<String, Long> reserveModelBlobs(List<Task> tasks) {
    Map<String, Long> joining = new HashMap<>();
    Set<String> seen = new HashSet<>();
    for (Task t : tasks) {
      String blob = t.getModelBlobId();
      if (!blob.isEmpty()
          && seen.add(t.getRunId() + "/" + blob)
          && !state.runsReferencing(blob).contains(t.getRunId())) {
        joining.merge(t.getRunId(), state.blobSize(blob).orElse(0L), Long::sum);
      }
    }
    Map<String, Long> reserved = new HashMap<>();
    try {
      for (Map.Entry<String, Long> e : joining.entrySet()) {
        reserveBlobBytes(e.getKey(), e.getValue());
        reserved.put(e.getKey(), e.getValue());
      }
    } catch (RuntimeException e) {
      reserved.forEach(this::releaseBlobBytes);
      throw e;
    }
    return reserved;
  }

  /**
   * Reserves the bytes of a result blob joining the run (nothing if it is empty or already in it).
   *
   * @return the bytes reserved
   * @throws org.fedlink.core.FedlinkException RESOURCE_EXHAUSTED past {@code max_run_blob_mb}
   */
  long reserveResultBlob(String runId, String blobId) {
    if (blobId.isEmpty() || state.runsReferencing(blobId).contains(runId)) {
      return 0;
    }
    long size = state.blobSize(blobId).orElse(0L);
    reserveBlobBytes(runId, size);
    return size;
  }

  /** Gives back a reservation whose blobs did not join the run after all. */
  void releaseBlobBytes(String runId, long bytes) {
    AtomicLong used = blobBytes.get(runId);
    if (used != null && bytes != 0) {
      used.addAndGet(-bytes);
    }
  }

  /**
   * Checks each envelope's size and reserves room for all of them in their runs' counts.
   *
   * @throws org.fedlink.core.FedlinkException RESOURCE_EXHAUSTED past {@code max_envelope_kb} or
   *     {@code max_envelopes_per_run}; nothing is reserved then
   */
  void reserveEnvelope(Envelope e) {
    if (e.getPayload().size() > quotas.maxEnvelopeBytes()) {
      throw Quotas.exceeded(
          "an envelope of run " + e.getRunId() + " of " + e.getPayload().size() + " bytes",
          ConfigKeys.MAX_ENVELOPE_KB,
          quotas.maxEnvelopeBytes() / 1024);
    }
    AtomicLong count =
        envelopes.computeIfAbsent(e.getRunId(), id -> new AtomicLong(state.envelopeCount(id)));
    if (count.incrementAndGet() > quotas.maxEnvelopesPerRun()) {
      count.decrementAndGet();
      throw Quotas.exceeded(
          "relaying one more envelope for run " + e.getRunId(),
          ConfigKeys.MAX_ENVELOPES_PER_RUN,
          quotas.maxEnvelopesPerRun());
    }
  }

  /** Gives back the reservation of an envelope that was not stored. */
  void releaseEnvelope(String runId) {
    AtomicLong count = envelopes.get(runId);
    if (count != null) {
      count.decrementAndGet();
    }
  }
}
