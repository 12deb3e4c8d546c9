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
 * then either ends with {@code overflow} (the peer subscribes again) or, given a {@code catchUp},
 * takes messages again and runs {@code catchUp}, which offers what the stream refused meanwhile
 * from the state (flow control without ending the stream). Everything offered here is persisted by
 * the caller, so what a full stream refuses is sent again on the next subscription or catch-up; the
 * state is the buffer, never this queue.
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
  private final Runnable catchUp;
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
    this(out, maxMessages, maxBytes, overflow, gauge, onClosed, null);
  }

  /**
   * A stream that, once its buffer filled and drained, takes messages again and runs {@code
   * catchUp} (outside this stream's lock, on the thread that drained it) instead of ending; null
   * ends it with {@code overflow}.
   */
  BoundedStream(
      ServerCallStreamObserver<T> out,
      int maxMessages,
      long maxBytes,
      Status overflow,
      FlowGauge gauge,
      Consumer<BoundedStream<T>> onClosed,
      Runnable catchUp) {
    this.catchUp = catchUp;
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
  void drain() {
    synchronized (this) {
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
      if (full && catchUp == null) {
        fail(overflow);
        return;
      } else if (!full && completing) {
        closed = true;
        try {
          out.onCompleted();
        } catch (RuntimeException ignored) {
          // Cancelled by the peer.
        }
        onClosed.accept(this);
        return;
      } else if (!full) {
        return;
      }
      // Drained after filling: take messages again, then offer what was refused meanwhile. Any
      // offer refused before this point was persisted before it, so catchUp reads it back.
      full = false;
    }
    catchUp.run();
  }

  /** Completes the stream once what is queued is written. */
  void complete() {
    synchronized (this) {
      completing = true;
    }
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
