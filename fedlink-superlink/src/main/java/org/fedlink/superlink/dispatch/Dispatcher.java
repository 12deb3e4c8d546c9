package org.fedlink.superlink.dispatch;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * again. Thread-safe.
 */
public final class Dispatcher {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  private final Map<Long, ServerCallStreamObserver<NodeMessage>> nodes = new ConcurrentHashMap<>();
  private final List<ResultListener> listeners = new CopyOnWriteArrayList<>();

  /** Makes {@code stream} the node's task stream, closing an older one. */
  public void subscribe(long nodeId, ServerCallStreamObserver<NodeMessage> stream) {
    ServerCallStreamObserver<NodeMessage> old = nodes.put(nodeId, stream);
    stream.setOnCancelHandler(() -> nodes.remove(nodeId, stream));
    if (old != null && old != stream) {
      closeQuietly(old, Status.ABORTED.withDescription("replaced by a newer subscription"));
    }
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
    ServerCallStreamObserver<NodeMessage> s = nodes.get(nodeId);
    if (s == null) {
      return false;
    }
    synchronized (s) {
      if (s.isCancelled()) {
        nodes.remove(nodeId, s);
        return false;
      }
      try {
        s.onNext(message);
        return true;
      } catch (RuntimeException e) {
        log.debug("stream of node {} closed while sending", nodeId);
        nodes.remove(nodeId, s);
        return false;
      }
    }
  }

  /** Closes the node's task stream, e.g. when its key was revoked or it went offline. */
  public void closeNode(long nodeId, Status status) {
    ServerCallStreamObserver<NodeMessage> s = nodes.remove(nodeId);
    if (s != null) {
      closeQuietly(s, status);
    }
  }

  /** Registers a researcher stream waiting for results of {@code taskIds}. */
  public ResultListener listen(
      String runId,
      List<String> taskIds,
      boolean envelopes,
      ServerCallStreamObserver<ResultsMessage> stream) {
    ResultListener l = new ResultListener(runId, new HashSet<>(taskIds), envelopes, stream);
    listeners.add(l);
    stream.setOnCancelHandler(() -> listeners.remove(l));
    return l;
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

  private static void closeQuietly(ServerCallStreamObserver<?> s, Status status) {
    synchronized (s) {
      try {
        if (!s.isCancelled()) {
          s.onError(status.asRuntimeException());
        }
      } catch (RuntimeException ignored) {
        // Already closed.
      }
    }
  }

  /** A researcher stream waiting for results. Delivers each task's result at most once. */
  public static final class ResultListener {
    private final String runId;
    private final Set<String> remaining;
    private final boolean wantsEnvelopes;
    private final ServerCallStreamObserver<ResultsMessage> stream;
    private boolean closed;

    private ResultListener(
        String runId,
        Set<String> remaining,
        boolean wantsEnvelopes,
        ServerCallStreamObserver<ResultsMessage> stream) {
      this.runId = runId;
      this.remaining = remaining;
      this.wantsEnvelopes = wantsEnvelopes;
      this.stream = stream;
    }

    /**
     * Sends the result (after its inline blob, if given) if this stream waits for it; completes the
     * stream when all are in.
     */
    public synchronized void deliver(TaskResult r, BlobChunk inline) {
      if (closed || !remaining.remove(r.getTaskId())) {
        return;
      }
      if (inline != null) {
        send(ResultsMessage.newBuilder().setBlob(inline).build());
      }
      send(ResultsMessage.newBuilder().setResult(r).build());
      if (remaining.isEmpty() && !wantsEnvelopes) {
        closed = true;
        try {
          stream.onCompleted();
        } catch (RuntimeException ignored) {
          // Cancelled by the researcher.
        }
      }
    }

    /** Completes at once if nothing was asked for. */
    public synchronized void completeIfEmpty() {
      if (!closed && remaining.isEmpty() && !wantsEnvelopes) {
        closed = true;
        stream.onCompleted();
      }
    }

    synchronized boolean isDone() {
      return closed || stream.isCancelled();
    }

    synchronized boolean send(ResultsMessage m) {
      if (closed || stream.isCancelled()) {
        return false;
      }
      try {
        stream.onNext(m);
        return true;
      } catch (RuntimeException e) {
        closed = true;
        return false;
      }
    }

    synchronized void close(Status status) {
      if (!closed) {
        closed = true;
        try {
          stream.onError(status.asRuntimeException());
        } catch (RuntimeException ignored) {
          // Already closed.
        }
      }
    }
  }
}
