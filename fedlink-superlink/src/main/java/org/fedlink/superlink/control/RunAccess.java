package org.fedlink.superlink.control;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.superlink.auth.AuthenticatedKey;
import org.fedlink.superlink.state.LinkState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may use a run on the Control API: a run belongs to the researcher key that created it
 * (recorded with the run), and only that key may read its results or blobs, push tasks into it,
 * relay into it or stop it. A run created without authentication (no owner) is open to every caller
 * the Control API admits; an owned run is closed to a caller without a key.
 *
 * <p>A refusal is {@link ErrorCode#REFUSED} (gRPC {@code PERMISSION_DENIED}) naming the run, never
 * the owner's key; the SuperLink's log names the caller's fingerprint. The caller is read from
 * {@link AuthenticatedKey#current()}, so these checks run inside the authenticated call. Stateless
 * apart from the state it reads; thread-safe.
 */
public final class RunAccess {
  private static final Logger log = LoggerFactory.getLogger(RunAccess.class);

  private final LinkState state;

  public RunAccess(LinkState state) {
    this.state = Objects.requireNonNull(state, "state");
  }

  /** The owner to record for a run the current caller creates: its fingerprint, or null. */
  public static String caller() {
    AuthenticatedKey key = AuthenticatedKey.current();
    return key == null ? null : key.fingerprint();
  }

  /**
   * Checks that the current caller may use the run.
   *
   * @throws FedlinkException NOT_FOUND if the run does not exist, REFUSED if it belongs to another
   *     key
   */
  public void requireRun(String runId) {
    if (state.run(runId).isEmpty()) {
      throw new FedlinkException(ErrorCode.NOT_FOUND, "run " + runId + " does not exist");
    }
    Optional<String> owner = state.runOwner(runId);
    String caller = caller();
    if (owner.isPresent() && !owner.get().equals(caller)) {
      log.warn(
          "researcher key {} refused on run {}: the run belongs to another key",
          caller == null ? "(none)" : caller,
          runId);
      throw new FedlinkException(
          ErrorCode.REFUSED,
          "run " + runId + " belongs to another researcher: use the key that created it");
    }
  }

  /**
   * True if the current caller may see this run: one without owner, or one its key created. The
   * same rule as {@link #requireRun}, for filtering a list.
   */
  public static boolean mayUse(String owner) {
    return owner == null || owner.isEmpty() || owner.equals(caller());
  }

  /**
   * Checks that the current caller may read a blob: one that belongs to a run it may use, or one a
   * researcher uploaded that no run references yet (only its uploader knows that id).
   *
   * @throws FedlinkException NOT_FOUND if the blob does not exist or is a node's that no run
   *     references, REFUSED if a run that references it belongs to another key
   */
  public void requireBlob(String blobId) {
    Optional<Long> owner = state.blobOwner(blobId);
    List<String> runs = owner.isEmpty() ? List.of() : state.runsReferencing(blobId);
    if (runs.isEmpty()) {
      if (owner.isEmpty() || owner.get() != 0) {
        throw new FedlinkException(ErrorCode.NOT_FOUND, "blob " + blobId + " does not exist");
      }
      return;
    }
    for (String run : runs) {
      requireRun(run);
    }
  }
}
