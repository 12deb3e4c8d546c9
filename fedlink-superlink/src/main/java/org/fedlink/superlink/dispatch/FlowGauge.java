package org.fedlink.superlink.dispatch;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the SuperLink's server streams hold in memory for peers that read slower than it writes: the
 * messages and bytes buffered now, the most any one stream ever buffered, and how many streams were
 * ended because their buffer filled; the chunks downloads wrote and the downloads waiting for their
 * reader. For monitoring and tests. Thread-safe.
 */
public final class FlowGauge {
  private final AtomicInteger bufferedMessages = new AtomicInteger();
  private final AtomicLong bufferedBytes = new AtomicLong();
  private final AtomicInteger peakStreamMessages = new AtomicInteger();
  private final AtomicLong peakStreamBytes = new AtomicLong();
  private final AtomicLong overflows = new AtomicLong();
  private final AtomicLong downloadChunks = new AtomicLong();
  private final AtomicInteger pausedDownloads = new AtomicInteger();

  /** Messages buffered now, over every stream. */
  public int bufferedMessages() {
    return bufferedMessages.get();
  }

  /** Bytes buffered now, over every stream. */
  public long bufferedBytes() {
    return bufferedBytes.get();
  }

  /** The most messages one stream has held at once since the start. */
  public int peakStreamMessages() {
    return peakStreamMessages.get();
  }

  /** The most bytes one stream has held at once since the start. */
  public long peakStreamBytes() {
    return peakStreamBytes.get();
  }

  /** Streams ended because their buffer filled (their peer must subscribe again). */
  public long overflows() {
    return overflows.get();
  }

  /** Blob chunks written by downloads since the start. */
  public long downloadChunks() {
    return downloadChunks.get();
  }

  /** Downloads waiting now for their reader to take what was written. */
  public int pausedDownloads() {
    return pausedDownloads.get();
  }

  void downloadChunkSent() {
    downloadChunks.incrementAndGet();
  }

  void downloadPaused(boolean paused) {
    pausedDownloads.addAndGet(paused ? 1 : -1);
  }

  void queued(int streamMessages, long streamBytes, long bytes) {
    bufferedMessages.incrementAndGet();
    bufferedBytes.addAndGet(bytes);
    peakStreamMessages.accumulateAndGet(streamMessages, Math::max);
    peakStreamBytes.accumulateAndGet(streamBytes, Math::max);
  }

  void dequeued(int messages, long bytes) {
    bufferedMessages.addAndGet(-messages);
    bufferedBytes.addAndGet(-bytes);
  }

  void overflowed() {
    overflows.incrementAndGet();
  }
}
