package org.fedlink.supernode.connection;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The envelopes a node received on its stream: which ids it has seen (the SuperLink sends an
 * envelope again until it is acknowledged) and which it has yet to acknowledge. Acknowledgements
 * travel with the next heartbeat; if that heartbeat fails they are kept for the one after.
 * Thread-safe.
 */
final class EnvelopeReceipts {
  /** At most this many ids ride on one heartbeat; the rest wait for the next. */
  static final int MAX_PER_HEARTBEAT = 1000;

  private static final int REMEMBERED = 100_000;

  private final Set<String> seen =
      Collections.newSetFromMap(
          new LinkedHashMap<>() {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> e) {
              return size() > REMEMBERED;
            }
          });
  private final Set<String> unacknowledged = new LinkedHashSet<>();

  /** True if an envelope with this id was handled before. */
  synchronized boolean wasHandled(String envelopeId) {
    return seen.contains(envelopeId);
  }

  /** Records the envelope as handled and queues its acknowledgement. */
  synchronized void handled(String envelopeId) {
    seen.add(envelopeId);
    unacknowledged.add(envelopeId);
  }

  /** Takes up to {@link #MAX_PER_HEARTBEAT} queued acknowledgements. */
  synchronized List<String> take() {
    List<String> out = new ArrayList<>(Math.min(unacknowledged.size(), MAX_PER_HEARTBEAT));
    var it = unacknowledged.iterator();
    while (it.hasNext() && out.size() < MAX_PER_HEARTBEAT) {
      out.add(it.next());
      it.remove();
    }
    return out;
  }

  /** Puts back acknowledgements whose heartbeat failed. */
  synchronized void putBack(List<String> envelopeIds) {
    unacknowledged.addAll(envelopeIds);
  }
}
