package org.fedlink.researcher;

import io.grpc.ClientInterceptor;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.proto.v1.ControlGrpc;
import org.fedlink.proto.v1.CreateRunRequest;
import org.fedlink.proto.v1.DownloadBlobRequest;
import org.fedlink.proto.v1.Envelope;
import org.fedlink.proto.v1.GetRunStateRequest;
import org.fedlink.proto.v1.ListNodesRequest;
import org.fedlink.proto.v1.Node;
import org.fedlink.proto.v1.PushTasksRequest;
import org.fedlink.proto.v1.PushTasksStreamResultsRequest;
import org.fedlink.proto.v1.RelayRequest;
import org.fedlink.proto.v1.ResultsMessage;
import org.fedlink.proto.v1.Run;
import org.fedlink.proto.v1.StopRunRequest;
import org.fedlink.proto.v1.StreamResultsRequest;
import org.fedlink.proto.v1.Task;
import org.fedlink.proto.v1.TaskResult;
import org.fedlink.proto.v1.UploadChunkRequest;
import org.fedlink.transport.Backoff;
import org.fedlink.transport.BlobTransfer;
import org.fedlink.transport.ClientChannels;
import org.fedlink.transport.Endpoint;
import org.fedlink.transport.SmallBlobs;
import org.fedlink.transport.Statuses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The researcher's calls to the Control API. Every call survives a SuperLink restart: transient
 * failures are retried with backoff for up to {@code reconnectTimeout}, and every call is safe to
 * repeat (ids are chosen here). Thread-safe.
 */
public final class ControlConnection implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControlConnection.class);
  private final Endpoint superlink;
  private final ManagedChannel channel;
  private final ControlGrpc.ControlBlockingStub stub;
  private final Duration reconnectTimeout;
  private final Duration firstContactTimeout;
  private volatile boolean connected;
  private final SmallBlobs inline = new SmallBlobs(256L * 1024 * 1024);
  private final Map<String, byte[]> staged = new java.util.concurrent.ConcurrentHashMap<>();

  /** How long the very first call waits for a SuperLink that has never answered. */
  static final Duration FIRST_CONTACT_TIMEOUT = Duration.ofSeconds(20);

  public ControlConnection(
      Endpoint superlink,
      Path rootCertificates,
      List<ClientInterceptor> interceptors,
      Duration reconnectTimeout) {
    this(superlink, rootCertificates, interceptors, reconnectTimeout, FIRST_CONTACT_TIMEOUT);
  }

  ControlConnection(
      Endpoint superlink,
      Path rootCertificates,
      List<ClientInterceptor> interceptors,
      Duration reconnectTimeout,
      Duration firstContactTimeout) {
    this.superlink = superlink;
    this.channel = ClientChannels.open(superlink, rootCertificates, interceptors);
    this.stub = ControlGrpc.newBlockingStub(channel);
    this.reconnectTimeout = reconnectTimeout;
    this.firstContactTimeout = firstContactTimeout;
  }

  private ControlGrpc.ControlBlockingStub unary() {
    return stub.withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  public List<Node> listNodes() {
    return retrying("list nodes", () -> unary().listNodes(ListNodesRequest.getDefaultInstance()))
        .getNodesList();
  }

  /** Creates the run with this id (idempotent). */
  public void createRun(String runId, Map<String, String> config) {
    retrying(
        "create run",
        () ->
            unary()
                .createRun(
                    CreateRunRequest.newBuilder()
                        .putAllConfig(config)
                        .putConfig("run_id", runId)
                        .build()));
  }

  /** Uploads a blob; returns its id. */
  public String upload(byte[] data) {
    return retrying(
        "upload model",
        () -> {
          String id = BlobTransfer.newBlobId();
          send(id, data);
          return id;
        });
  }

  /** Sends {@code data} as blob {@code id}, chunk by chunk. */
  private void send(String id, byte[] data) {
    BlobTransfer.upload(
        id,
        data,
        chunk ->
            unary()
                .uploadChunk(UploadChunkRequest.newBuilder().setChunk(chunk).build())
                .getReceived());
  }

  /**
   * A blob id for {@code data}, to be named as a task's model: a small blob is held here and
   * travels with the phase that pushes the tasks naming it ({@link #pushAndAwaitResults}), saving
   * an upload call; a larger one is uploaded now. Any other push naming a held blob uploads it
   * first.
   */
  public String stage(byte[] data) {
    if (!SmallBlobs.fitsInline(data.length)) {
      return upload(data);
    }
    String id = BlobTransfer.newBlobId();
    staged.put(id, data);
    return id;
  }

  /** Uploads the blobs held by {@link #stage} that these tasks name as their model. */
  private void uploadStaged(List<Task> tasks) {
    for (Task t : tasks) {
      byte[] data = staged.get(t.getModelBlobId());
      if (data != null) {
        String id = t.getModelBlobId();
        retrying(
            "upload model",
            () -> {
              try {
                send(id, data);
              } catch (StatusRuntimeException e) {
                // Stored by an earlier attempt whose answer was lost.
                if (e.getStatus().getCode() != io.grpc.Status.Code.ALREADY_EXISTS) {
                  throw e;
                }
              }
              return id;
            });
        staged.remove(id);
      }
    }
  }

  public byte[] download(String blobId) {
    byte[] sent = inline.take(blobId);
    if (sent != null) {
      return sent;
    }
    return retrying(
        "download " + blobId,
        () ->
            BlobTransfer.download(
                blobId,
                unary().downloadBlob(DownloadBlobRequest.newBuilder().setBlobId(blobId).build())));
  }

  /** Queues tasks whose ids are already set (retries cannot duplicate them). */
  public void pushTasks(List<Task> tasks) {
    uploadStaged(tasks);
    retrying(
        "push tasks",
        () -> unary().pushTasks(PushTasksRequest.newBuilder().addAllTasks(tasks).build()));
  }

  public void relay(List<Envelope> envelopes) {
    retrying(
        "relay", () -> unary().relay(RelayRequest.newBuilder().addAllEnvelopes(envelopes).build()));
  }

  public void stopRun(String runId) {
    retrying(
        "stop run", () -> unary().stopRun(StopRunRequest.newBuilder().setRunId(runId).build()));
  }

  /**
   * The run as the SuperLink knows it (stopped or not, when and why).
   *
   * @return empty if the SuperLink has no run of this id
   */
  public Optional<Run> getRun(String runId) {
    try {
      return Optional.of(
          retrying(
              "get run " + runId,
              () -> unary().getRun(GetRunStateRequest.newBuilder().setRunId(runId).build())));
    } catch (FedlinkException e) {
      if (e.code() == ErrorCode.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The runs this caller may see, newest first. */
  public List<org.fedlink.proto.v1.RunSummary> listRuns() {
    return retrying(
            "list runs",
            () -> unary().listRuns(org.fedlink.proto.v1.ListRunsRequest.getDefaultInstance()))
        .getRunsList();
  }

  /** Records a finished round's line on the SuperLink (idempotent: a round is replaced). */
  public void reportRound(org.fedlink.proto.v1.RoundReport report) {
    retrying(
        "report round " + report.getRound(),
        () ->
            unary()
                .reportRound(
                    org.fedlink.proto.v1.ReportRoundRequest.newBuilder()
                        .setReport(report)
                        .build()));
  }

  /** The run's summary and its round lines after {@code afterRound}. */
  public org.fedlink.proto.v1.RunLog runLog(String runId, int afterRound) {
    return retrying(
        "read the log of run " + runId,
        () ->
            unary()
                .getRunLog(
                    org.fedlink.proto.v1.GetRunLogRequest.newBuilder()
                        .setRunId(runId)
                        .setAfterRound(afterRound)
                        .build()));
  }

  /**
   * Runs a phase: pushes {@code tasks} (ids set, all of {@code runId}) and passes each of their
   * results to {@code sink} once, until all are in or {@code timeout} passes. One call does both
   * ({@code PushTasksStreamResults}): results start to flow without waiting for the push's answer.
   * If that call breaks (the SuperLink restarting), the push is repeated, which is harmless, and
   * {@link #awaitResults} waits for the rest.
   *
   * @return ids of tasks still without a result when the time ran out
   */
  public Set<String> pushAndAwaitResults(
      String runId, List<Task> tasks, Duration timeout, Consumer<TaskResult> sink) {
    Set<String> remaining = new HashSet<>();
    for (Task t : tasks) {
      remaining.add(t.getTaskId());
    }
    if (tasks.isEmpty()) {
      return remaining;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    PushTasksStreamResultsRequest.Builder request =
        PushTasksStreamResultsRequest.newBuilder().addAllTasks(tasks);
    String model = tasks.get(0).getModelBlobId();
    byte[] held = staged.get(model);
    if (held != null && tasks.stream().allMatch(t -> t.getModelBlobId().equals(model))) {
      request.setModel(SmallBlobs.wholeChunk(model, held));
    } else {
      uploadStaged(tasks);
    }
    BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    Object completed = new Object();
    io.grpc.stub.ClientCallStreamObserver<?>[] call =
        new io.grpc.stub.ClientCallStreamObserver<?>[1];
    // Callbacks run on the transport's thread: they only queue, the caller's thread does the rest.
    ControlGrpc.newStub(channel)
        .withExecutor(com.google.common.util.concurrent.MoreExecutors.directExecutor())
        .withDeadlineAfter(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)
        .pushTasksStreamResults(
            request.build(),
            new io.grpc.stub.ClientResponseObserver<
                PushTasksStreamResultsRequest, ResultsMessage>() {
              @Override
              public void beforeStart(
                  io.grpc.stub.ClientCallStreamObserver<PushTasksStreamResultsRequest> c) {
                call[0] = c;
              }

              @Override
              public void onNext(ResultsMessage m) {
                inbox.add(m);
              }

              @Override
              public void onError(Throwable t) {
                inbox.add(t);
              }

              @Override
              public void onCompleted() {
                inbox.add(completed);
              }
            });
    try {
      while (true) {
        Object o = inbox.take();
        if (o == completed) {
          connected = true;
          staged.remove(model);
          return remaining;
        } else if (o instanceof ResultsMessage m) {
          connected = true;
          // The SuperLink stored the model before it sent anything.
          staged.remove(model);
          if (m.hasBlob()) {
            inline.accept(m.getBlob());
          } else if (m.hasResult() && remaining.remove(m.getResult().getTaskId())) {
            sink.accept(m.getResult());
          }
        } else {
          StatusRuntimeException e =
              io.grpc.Status.fromThrowable((Throwable) o).asRuntimeException();
          io.grpc.Status.Code code = e.getStatus().getCode();
          if (code == io.grpc.Status.Code.DEADLINE_EXCEEDED) {
            return remaining;
          }
          if (code == io.grpc.Status.Code.UNIMPLEMENTED) {
            // A SuperLink from before the call existed: push, then stream, as it knows.
            pushTasks(tasks);
          } else if (Statuses.isTransient(e)) {
            log.warn(
                "lost the SuperLink at {} during a phase ({}); pushing again and waiting for the"
                    + " rest",
                superlink,
                code);
            pushTasks(tasks);
          } else {
            throw Statuses.fromStatus(e, "push tasks at the SuperLink " + superlink);
          }
          long left = deadline - System.nanoTime();
          if (remaining.isEmpty() || left <= 0) {
            return remaining;
          }
          Set<String> missing =
              awaitResults(runId, new ArrayList<>(remaining), Duration.ofNanos(left), sink);
          remaining.retainAll(missing);
          return remaining;
        }
      }
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new FedlinkException(ErrorCode.CANCELLED, "interrupted");
    } finally {
      if (call[0] != null && !remaining.isEmpty()) {
        call[0].cancel("the phase is over", null);
      }
    }
  }

  /**
   * Waits for the results of {@code taskIds}, passing each to {@code sink} once, reconnecting as
   * needed, until all are in or {@code timeout} passes.
   *
   * @return ids of tasks still without a result when the time ran out
   */
  public Set<String> awaitResults(
      String runId, List<String> taskIds, Duration timeout, Consumer<TaskResult> sink) {
    Set<String> remaining = new HashSet<>(taskIds);
    long deadline = System.nanoTime() + timeout.toNanos();
    Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5));
    while (!remaining.isEmpty() && System.nanoTime() < deadline) {
      long leftMs = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      try (Context.CancellableContext ctx = Context.current().withCancellation()) {
        ctx.run(
            () -> {
              Iterator<ResultsMessage> it =
                  stub.withDeadlineAfter(leftMs, TimeUnit.MILLISECONDS)
                      .streamResults(
                          StreamResultsRequest.newBuilder()
                              .setRunId(runId)
                              .addAllTaskIds(new ArrayList<>(remaining))
                              .build());
              while (it.hasNext()) {
                ResultsMessage m = it.next();
                if (m.hasBlob()) {
                  inline.accept(m.getBlob());
                } else if (m.hasResult() && remaining.remove(m.getResult().getTaskId())) {
                  sink.accept(m.getResult());
                }
              }
            });
        backoff.reset();
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() == io.grpc.Status.Code.DEADLINE_EXCEEDED) {
          break;
        }
        if (!Statuses.isTransient(e)) {
          throw Statuses.fromStatus(e, "waiting for results");
        }
        log.warn(
            "lost the SuperLink at {} while waiting for results ({}); reconnecting",
            superlink,
            e.getStatus().getCode());
        sleep(backoff);
      }
    }
    return remaining;
  }

  private <T> T retrying(String what, Supplier<T> call) {
    Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5));
    boolean firstContact = !connected && reconnectTimeout.compareTo(firstContactTimeout) > 0;
    Duration patience = firstContact ? firstContactTimeout : reconnectTimeout;
    long deadline = System.nanoTime() + patience.toNanos();
    boolean warned = false;
    while (true) {
      try {
        T result = call.get();
        connected = true;
        return result;
      } catch (StatusRuntimeException e) {
        if (!Statuses.isTransient(e) || System.nanoTime() > deadline) {
          FedlinkException f = Statuses.fromStatus(e, what + " at the SuperLink " + superlink);
          if (Statuses.isTransient(e)) {
            throw new FedlinkException(
                ErrorCode.UNAVAILABLE,
                "the SuperLink at "
                    + superlink
                    + " is unreachable ("
                    + e.getStatus().getCode()
                    + "; tried for "
                    + seconds(patience)
                    + (firstContact
                        ? ", the wait for a SuperLink that never answered yet; once connected,"
                            + " calls retry for "
                            + seconds(reconnectTimeout)
                        : "")
                    + "): is it running, and are the address and certificates right?",
                e);
          }
          throw f;
        }
        if (!warned) {
          log.warn(
              "the SuperLink at {} is unavailable ({}); retrying",
              superlink,
              e.getStatus().getCode());
          warned = true;
        }
        sleep(backoff);
      }
    }
  }

  private static String seconds(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0
        ? ms / 1000 + " s"
        : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1e3);
  }

  private void sleep(Backoff backoff) {
    try {
      backoff.pause();
      channel.resetConnectBackoff();
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new FedlinkException(ErrorCode.CANCELLED, "interrupted");
    }
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
