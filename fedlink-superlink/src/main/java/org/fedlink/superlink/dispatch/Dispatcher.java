package org.fedlink.superlink.dispatch;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.fedlink.proto.v1.BlobChunk;
import org.fedlink.proto.v1.Envelope;
import org.fedlink.proto.v1.NodeMessage;
import org.fedlink.proto.v1.ResultsMessage;
import org.fedlink.proto.v1.TaskResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-memory routing of what the state holds: tasks and envelopes to the node streams that are open
 * now, results and envelopes to the researcher streams waiting for them. Everything routed here is
 * already persisted, so a message lost with a closed stream is sent again when the peer subscribes
 * again.
 *
 * <p>Each stream writes only as fast as its peer reads ({@link BoundedStream}): a slow or stalled
 * peer gets at most {@code maxMessages} messages or {@code maxBytes} bytes buffered here; past that
 * its stream takes nothing more, ends with ABORTED once what it holds is written, and the peer
 * subscribes again to get what is still pending. Thread-safe.
 */
public final class Dispatcher {
  /** Default bound of one stream's buffer, in messages. */
  public static final int DEFAULT_STREAM_MESSAGES = 256;

  /** Default bound of one stream's buffer, in bytes. */
  public static final long DEFAULT_STREAM_BYTES = 8L * 1024 * 1024;

  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  private final Map<Long, BoundedStream<NodeMessage>> nodes = new ConcurrentHashMap<>();
  private final List<ResultListener> listeners = new CopyOnWriteArrayList<>();
  private final int maxMessages;
  private final long maxBytes;
  private final FlowGauge gauge = new FlowGauge();

  /** A dispatcher whose streams buffer at most the default bounds. */
  public Dispatcher() {
    this(DEFAULT_STREAM_MESSAGES, DEFAULT_STREAM_BYTES);
  }

  /** A dispatcher whose streams each buffer at most this many messages and bytes. */
  public Dispatcher(int maxMessages, long maxBytes) {
    if (maxMessages < 1 || maxBytes < 1) {
      throw new IllegalArgumentException(
          "stream buffer must hold at least 1 message and 1 byte, got "
              + maxMessages
              + " and "
              + maxBytes);
    }
    this.maxMessages = maxMessages;
    this.maxBytes = maxBytes;
  }

  /** What the streams buffer for slow peers. */
  public FlowGauge gauge() {
    return gauge;
  }

  /** Makes {@code stream} the node's task stream, closing an older one. */
  public void subscribe(long nodeId, ServerCallStreamObserver<NodeMessage> stream) {
    BoundedStream<NodeMessage> bounded =
        new BoundedStream<>(
            stream,
            maxMessages,
            maxBytes,
            overflow("subscribe again to get what is pending"),
            gauge,
            b -> nodes.remove(nodeId, b));
    BoundedStream<NodeMessage> old = nodes.put(nodeId, bounded);
    stream.setOnCancelHandler(
        () -> {
          bounded.cancelled();
          nodes.remove(nodeId, bounded);
        });
    if (old != null && old != bounded) {
      old.fail(Status.ABORTED.withDescription("replaced by a newer subscription"));
    }
  }

  /** How a stream whose buffer filled ends, once what it holds is written. */
  private Status overflow(String what) {
    return Status.ABORTED.withDescription(
        "this stream's buffer ("
            + maxMessages
            + " messages or "
            + maxBytes
            + " bytes) filled because the peer reads slower than messages come: "
            + what);
  }

  /** True if the node has a task stream open. */
  public boolean isSubscribed(long nodeId) {
    return nodes.containsKey(nodeId);
  }

  /**
   * Sends to the node's open stream.
   *
   * @return false if the node has no open stream (the message stays pending in the state)
   */
  public boolean sendToNode(long nodeId, NodeMessage message) {
    BoundedStream<NodeMessage> s = nodes.get(nodeId);
    if (s == null) {
      return false;
    }
    if (s.offer(message)) {
      return true;
    }
    if (s.isOpen()) {
      log.debug("stream of node {} is full; the message stays pending", nodeId);
    } else {
      nodes.remove(nodeId, s);
    }
    return false;
  }

  /** Closes the node's task stream, e.g. when its key was revoked or it went offline. */
  public void closeNode(long nodeId, Status status) {
    BoundedStream<NodeMessage> s = nodes.remove(nodeId);
    if (s != null) {
      s.fail(status);
    }
  }

  /**
   * Registers a researcher stream waiting for results of {@code taskIds}. Its buffer never ends it:
   * when the researcher reads slower than results come, the stream stops taking them (they stay in
   * the state), and once it has written what it holds it asks {@code catchUp} to offer again, from
   * the state, the results and envelopes it still waits for.
   */
  public ResultListener listen(
      String runId,
      List<String> taskIds,
      boolean envelopes,
      ServerCallStreamObserver<ResultsMessage> stream,
      Consumer<ResultListener> catchUp) {
    ResultListener[] self = new ResultListener[1];
    BoundedStream<ResultsMessage> bounded =
        new BoundedStream<>(
            stream,
            maxMessages,
            maxBytes,
            overflow("call StreamResults again for the rest"),
            gauge,
            b -> {},
            () -> catchUp.accept(self[0]));
    ResultListener l = new ResultListener(runId, new HashSet<>(taskIds), envelopes, bounded);
    self[0] = l;
    listeners.add(l);
    stream.setOnCancelHandler(
        () -> {
          bounded.cancelled();
          listeners.remove(l);
        });
    return l;
  }

  /** Stops routing to a researcher stream whose call failed before it was used. */
  public void forget(ResultListener l) {
    listeners.remove(l);
  }

  /** Whether a researcher stream is open waiting for results of the run. */
  public boolean isWaiting(String runId) {
    for (ResultListener l : listeners) {
      if (l.runId.equals(runId)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Routes a stored result to every researcher stream waiting for it.
   *
   * @param inline the result's blob to send just before it, or null
   */
  public void publish(TaskResult result, BlobChunk inline) {
    for (ResultListener l : listeners) {
      if (l.runId.equals(result.getRunId())) {
        l.deliver(result, inline);
        if (l.isDone()) {
          listeners.remove(l);
        }
      }
    }
  }

  /**
   * Routes a stored envelope addressed to the researcher.
   *
   * @return true if some researcher stream took it
   */
  public boolean publishToResearcher(Envelope envelope) {
    boolean sent = false;
    for (ResultListener l : listeners) {
      if (l.wantsEnvelopes && l.runId.equals(envelope.getRunId())) {
        sent |= l.send(ResultsMessage.newBuilder().setEnvelope(envelope).build());
      }
    }
    return sent;
  }

  public void shutdown() {
    for (Long id : Set.copyOf(nodes.keySet())) {
      closeNode(id, Status.UNAVAILABLE.withDescription("SuperLink is shutting down"));
    }
    for (ResultListener l : listeners) {
      l.close(Status.UNAVAILABLE.withDescription("SuperLink is shutting down"));
    }
    listeners.clear();
  }

  /** A researcher stream waiting for results. Delivers each task's result at most once. */
  public static final class ResultListener {
    private final String runId;
    private final Set<String> remaining;
    private final boolean wantsEnvelopes;
    private final BoundedStream<ResultsMessage> stream;
    private boolean closed;

    private ResultListener(
        String runId,
        Set<String> remaining,
        boolean wantsEnvelopes,
        BoundedStream<ResultsMessage> stream) {
      this.runId = runId;
      this.remaining = remaining;
      this.wantsEnvelopes = wantsEnvelopes;
      this.stream = stream;
    }

    /**
     * Sends the result (after its inline blob, if given) if this stream waits for it; completes the
     * stream when all are in. A result the stream cannot take now (its buffer is full) stays
     * awaited: the stream's catch-up offers it again.
     */
    public synchronized void deliver(TaskResult r, BlobChunk inline) {
      if (closed || !remaining.contains(r.getTaskId())) {
        return;
      }
      if (inline != null && !send(ResultsMessage.newBuilder().setBlob(inline).build())) {
        return;
      }
      if (!send(ResultsMessage.newBuilder().setResult(r).build())) {
        return;
      }
      remaining.remove(r.getTaskId());
      if (remaining.isEmpty() && !wantsEnvelopes) {
        closed = true;
        stream.complete();
      }
    }

    /** The run this stream serves. */
    public String runId() {
      return runId;
    }

    /** The tasks whose results this stream still waits for. */
    public synchronized List<String> awaited() {
      return List.copyOf(remaining);
    }

    /** Whether this stream also takes the run's envelopes to the researcher. */
    public boolean wantsEnvelopes() {
      return wantsEnvelopes;
    }

    /** Completes at once if nothing was asked for. */
    public synchronized void completeIfEmpty() {
      if (!closed && remaining.isEmpty() && !wantsEnvelopes) {
        closed = true;
        stream.complete();
      }
    }

    synchronized boolean isDone() {
      return closed || !stream.isOpen();
    }

    /** Writes or queues {@code m}; false if the stream is closed or full (it stays pending). */
    public synchronized boolean send(ResultsMessage m) {
      return !closed && stream.offer(m);
    }

    synchronized void close(Status status) {
      closed = true;
      stream.fail(status);
    }
  }
}
