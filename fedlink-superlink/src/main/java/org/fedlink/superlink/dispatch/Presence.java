package org.fedlink.superlink.dispatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each node was last heard from, kept in memory (persisted now and then by the SuperLink). A
 * node is online while its last call is at most {@code timeoutMs} old. Thread-safe.
 */
public final class Presence {
  private final long timeoutMs;
  private final Map<Long, Long> lastSeen = new ConcurrentHashMap<>();
  private final Set<Long> offline = ConcurrentHashMap.newKeySet();
  private volatile long graceFromMs;
  private volatile long graceUntilMs;

  public Presence(long timeoutMs) {
    this.timeoutMs = timeoutMs;
  }

  public long timeoutMs() {
    return timeoutMs;
  }

  /**
   * Counts nodes last seen before {@code fromMs} (those known from before a restart) as online
   * until {@code untilMs}: they need a moment (their reconnect backoff) before their heartbeats
   * arrive again. A node seen since {@code fromMs} gets the normal timeout: a node that registers
   * after the restart and then crashes is not hidden by the grace.
   */
  public void grace(long fromMs, long untilMs) {
    graceFromMs = fromMs;
    graceUntilMs = untilMs;
  }

  private boolean inGrace(long lastSeenMs, long nowMs) {
    return lastSeenMs < graceFromMs && nowMs < graceUntilMs;
  }

  /** Records a sign of life. */
  public void seen(long nodeId, long nowMs) {
    lastSeen.merge(nodeId, nowMs, Math::max);
    offline.remove(nodeId);
  }

  public void forget(long nodeId) {
    lastSeen.remove(nodeId);
    offline.remove(nodeId);
  }

  /** Last sign of life, or 0 if never. */
  public long lastSeen(long nodeId) {
    return lastSeen.getOrDefault(nodeId, 0L);
  }

  public boolean isOnline(long nodeId, long nowMs) {
    Long t = lastSeen.get(nodeId);
    return t != null && (nowMs - t <= timeoutMs || inGrace(t, nowMs));
  }

  /** Nodes that have gone silent since the last call; each is reported once. */
  public List<Long> newlyOffline(long nowMs) {
    List<Long> out = new ArrayList<>();
    for (Map.Entry<Long, Long> e : lastSeen.entrySet()) {
      if (nowMs - e.getValue() > timeoutMs
          && !inGrace(e.getValue(), nowMs)
          && offline.add(e.getKey())) {
        out.add(e.getKey());
      }
    }
    return out;
  }

  /** A snapshot of every node's last sign of life. */
  public Map<Long, Long> snapshot() {
    return Map.copyOf(lastSeen);
  }
}
