package org.fedlink.superlink.dispatch;

import com.google.protobuf.MessageLite;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A server stream that writes to gRPC only while the transport is ready ({@link
 * ServerCallStreamObserver#isReady()}) and otherwise queues, up to a bound in messages and bytes.
 * When the bound is hit, the stream takes nothing more: it writes what it holds as the peer reads,
 * then ends with {@code overflow} (the peer subscribes again). Everything offered here is persisted
 * by the caller, so what a full stream refuses is sent again on the next subscription; the state is
 * the buffer, never this queue.
 *
 * <p>Thread-safe: offers come from any thread, draining from gRPC's on-ready callback.
 *
 * @param <T> the message type
 */
final class BoundedStream<T extends MessageLite> {
  private final ServerCallStreamObserver<T> out;
  private final int maxMessages;
  private final long maxBytes;
  private final Status overflow;
  private final FlowGauge gauge;
  private final Consumer<BoundedStream<T>> onClosed;
  private final ArrayDeque<T> queue = new ArrayDeque<>();
  private long queuedBytes;
  private boolean full;
  private boolean completing;
  private boolean closed;

  /**
   * Takes over {@code out}'s on-ready handler; call it while the service method runs.
   *
   * @param onClosed run once when the stream ends from this side (completed, failed or overflowed)
   */
  BoundedStream(
      ServerCallStreamObserver<T> out,
      int maxMessages,
      long maxBytes,
      Status overflow,
      FlowGauge gauge,
      Consumer<BoundedStream<T>> onClosed) {
    this.out = Objects.requireNonNull(out, "out");
    this.maxMessages = maxMessages;
    this.maxBytes = maxBytes;
    this.overflow = overflow;
    this.gauge = gauge;
    this.onClosed = onClosed;
    out.setOnReadyHandler(this::drain);
  }

  /**
   * Writes or queues {@code message}.
   *
   * @return false if the stream is closed, cancelled or full: the message was not taken
   */
  synchronized boolean offer(T message) {
    if (closed || full || completing || out.isCancelled()) {
      return false;
    }
    if (queue.isEmpty() && out.isReady()) {
      return write(message);
    }
    long size = message.getSerializedSize();
    // One message always fits into an empty queue, whatever its size.
    if (queue.size() >= maxMessages || !queue.isEmpty() && queuedBytes + size > maxBytes) {
      full = true;
      gauge.overflowed();
      return false;
    }
    queue.add(message);
    queuedBytes += size;
    gauge.queued(queue.size(), queuedBytes, size);
    return true;
  }

  /** Writes what is queued while the transport is ready; the on-ready handler. */
  synchronized void drain() {
    while (!closed && !queue.isEmpty() && out.isReady()) {
      T m = queue.poll();
      long size = m.getSerializedSize();
      queuedBytes -= size;
      gauge.dequeued(1, size);
      write(m);
    }
    if (closed || !queue.isEmpty()) {
      return;
    }
    if (full) {
      fail(overflow);
    } else if (completing) {
      closed = true;
      try {
        out.onCompleted();
      } catch (RuntimeException ignored) {
        // Cancelled by the peer.
      }
      onClosed.accept(this);
    }
  }

  /** Completes the stream once what is queued is written. */
  synchronized void complete() {
    completing = true;
    drain();
  }

  /** Ends the stream now with {@code status}, dropping what is queued. */
  synchronized void fail(Status status) {
    if (closed) {
      return;
    }
    closed = true;
    clear();
    try {
      if (!out.isCancelled()) {
        out.onError(status.asRuntimeException());
      }
    } catch (RuntimeException ignored) {
      // Already closed.
    }
    onClosed.accept(this);
  }

  /** Forgets what is queued after the peer cancelled. */
  synchronized void cancelled() {
    closed = true;
    clear();
  }

  synchronized boolean isOpen() {
    return !closed && !out.isCancelled();
  }

  /** Messages queued now. */
  synchronized int buffered() {
    return queue.size();
  }

  private boolean write(T message) {
    try {
      out.onNext(message);
      return true;
    } catch (RuntimeException e) {
      closed = true;
      clear();
      onClosed.accept(this);
      return false;
    }
  }

  private void clear() {
    gauge.dequeued(queue.size(), queuedBytes);
    queue.clear();
    queuedBytes = 0;
  }
}
