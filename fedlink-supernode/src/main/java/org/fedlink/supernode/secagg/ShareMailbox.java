package org.fedlink.supernode.secagg;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.fedlink.crypto.channel.MalformedMessageException;
import org.fedlink.crypto.channel.SealedMessage;
import org.fedlink.proto.v1.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the key shares relayed or directly delivered to this node until its setup task collects
 * them. Shares may arrive before this node's own setup task (faster peers), so they are kept by
 * their sealed context (which names the session); at most {@value #MAX_CONTEXTS} contexts and
 * {@value #MAX_PER_CONTEXT} messages each are buffered, the oldest context dropped first. Only the
 * first message of each sending node per context is kept. Thread-safe.
 */
final class ShareMailbox {
  private static final Logger log = LoggerFactory.getLogger(ShareMailbox.class);
  static final int MAX_CONTEXTS = 16;
  static final int MAX_PER_CONTEXT = 1024;

  /**
   * A share as received: the sender node (set by the SuperLink when relayed, by the TLS-pinned
   * sender when delivered directly; either way the setup checks it against the component that
   * signed the message) and the sealed message.
   */
  record Received(long fromNodeId, SealedMessage message) {}

  private final Map<String, Map<Long, SealedMessage>> byContext =
      new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<Long, SealedMessage>> e) {
          return size() > MAX_CONTEXTS;
        }
      };

  /** Files a relayed share; malformed payloads are logged and dropped. */
  void offer(Envelope envelope) {
    SealedMessage m;
    try {
      m = SealedMessage.fromBytes(envelope.getPayload().toByteArray());
    } catch (MalformedMessageException e) {
      log.warn(
          "dropped a malformed share from node {}: {}", envelope.getFromNodeId(), e.getMessage());
      return;
    }
    synchronized (this) {
      Map<Long, SealedMessage> box = byContext.computeIfAbsent(m.context(), k -> new HashMap<>());
      if (box.size() < MAX_PER_CONTEXT) {
        box.putIfAbsent(envelope.getFromNodeId(), m);
      }
      notifyAll();
    }
  }

  /**
   * Waits until a share from every node of {@code senders} is in for {@code context}, or the
   * timeout passes, then removes the context and returns what arrived from those senders.
   */
  synchronized Map<Long, SealedMessage> take(String context, Set<Long> senders, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Map<Long, SealedMessage> box = byContext.getOrDefault(context, Map.of());
      long left = deadline - System.nanoTime();
      if (box.keySet().containsAll(senders) || left <= 0) {
        byContext.remove(context);
        Map<Long, SealedMessage> out = new HashMap<>(box);
        out.keySet().retainAll(senders);
        return out;
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }
}
