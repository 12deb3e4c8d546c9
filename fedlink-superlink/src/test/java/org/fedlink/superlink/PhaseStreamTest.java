package org.fedlink.superlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.fedlink.proto.v1.ControlGrpc;
import org.fedlink.proto.v1.NodeMessage;
import org.fedlink.proto.v1.PushResultRequest;
import org.fedlink.proto.v1.PushTasksStreamResultsRequest;
import org.fedlink.proto.v1.ResultsMessage;
import org.fedlink.proto.v1.SubscribeTasksRequest;
import org.fedlink.proto.v1.Task;
import org.fedlink.proto.v1.TaskResult;
import org.fedlink.superlink.dispatch.FlowGauge;
import org.fedlink.transport.BlobTransfer;
import org.fedlink.transport.SmallBlobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A phase in one call ({@code PushTasksStreamResults}) over real TLS: the results of the tasks it
 * pushes come back on the same call, and a researcher that reads slower than results come gets them
 * all on that one stream, caught up from the state, without the stream being ended.
 */
class PhaseStreamTest {
  private static final int BOUND = 8;
  private static final int TASKS = 60;
  private static final int UPDATE_BYTES = 16 * 1024;

  @TempDir Path dir;
  private TlsLink fed;
  private ManagedChannel slowChannel;

  @BeforeEach
  void start() throws Exception {
    fed = new TlsLink(dir, b -> b.streamBuffer(BOUND, 1024 * 1024).handlers(2, 1000));
    // A small HTTP/2 window, so the transport stops taking data soon after the reader stops.
    slowChannel =
        NettyChannelBuilder.forAddress(
                "localhost",
                fed.link.port(),
                TlsChannelCredentials.newBuilder()
                    .trustManager(fed.tls.caCertificate().toFile())
                    .build())
            .flowControlWindow(64 * 1024)
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    slowChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    fed.close();
  }

  private static List<Task> tasks(String run, long node, int n) {
    List<Task> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          Task.newBuilder()
              .setTaskId(UUID.randomUUID().toString())
              .setRunId(run)
              .setNodeId(node)
              .setKind("train")
              .build());
    }
    return out;
  }

  /** The node answers each task with an update of its own, sent inline with the result. */
  private static void answer(TlsLink.Node node, List<Task> tasks) {
    Random random = new Random(1);
    for (Task t : tasks) {
      byte[] update = new byte[UPDATE_BYTES];
      random.nextBytes(update);
      String blob = BlobTransfer.newBlobId();
      node.call()
          .pushResult(
              PushResultRequest.newBuilder()
                  .setNodeId(node.id())
                  .setResult(
                      TaskResult.newBuilder()
                          .setTaskId(t.getTaskId())
                          .setBlobId(blob)
                          .setNumExamples(7))
                  .setBlob(SmallBlobs.wholeChunk(blob, update))
                  .build());
    }
  }

  @Test
  void aPhaseGetsItsResultsOnTheCallThatPushedIt() {
    TlsLink.Node node = fed.node();
    String run = fed.createRun("one-call");
    List<Task> tasks = tasks(run, node.id(), 3);

    Iterator<ResultsMessage> stream =
        fed.control()
            .pushTasksStreamResults(
                PushTasksStreamResultsRequest.newBuilder().addAllTasks(tasks).build());
    awaitFirstTask(node);
    answer(node, tasks);

    Set<String> results = new HashSet<>();
    Set<String> blobs = new HashSet<>();
    stream.forEachRemaining(
        m -> {
          if (m.hasBlob()) {
            blobs.add(m.getBlob().getBlobId());
          } else {
            assertThat(blobs).as("its update comes first").contains(m.getResult().getBlobId());
            assertThat(m.getResult().getNumExamples()).isEqualTo(7);
            results.add(m.getResult().getTaskId());
          }
        });
    assertThat(results).containsExactlyInAnyOrderElementsOf(ids(tasks));
  }

  @Test
  void aRepeatedCallPushesNothingTwiceAndReturnsWhatIsIn() {
    TlsLink.Node node = fed.node();
    String run = fed.createRun("again");
    List<Task> tasks = tasks(run, node.id(), 2);
    PushTasksStreamResultsRequest req =
        PushTasksStreamResultsRequest.newBuilder().addAllTasks(tasks).build();
    Iterator<ResultsMessage> first = fed.control().pushTasksStreamResults(req);
    awaitFirstTask(node);
    answer(node, tasks);
    first.forEachRemaining(m -> {});

    List<String> again = new ArrayList<>();
    fed.control()
        .pushTasksStreamResults(req)
        .forEachRemaining(
            m -> {
              if (m.hasResult()) {
                again.add(m.getResult().getTaskId());
              }
            });

    assertThat(again).containsExactlyInAnyOrderElementsOf(ids(tasks));
  }

  @Test
  void aSmallModelTravelsWithItsTasksAndIsStoredAsAnUpload() {
    TlsLink.Node node = fed.node();
    String run = fed.createRun("with-model");
    byte[] model = new byte[1000];
    new Random(2).nextBytes(model);
    String modelId = BlobTransfer.newBlobId();
    List<Task> tasks =
        tasks(run, node.id(), 2).stream()
            .map(t -> t.toBuilder().setModelBlobId(modelId).build())
            .toList();
    PushTasksStreamResultsRequest req =
        PushTasksStreamResultsRequest.newBuilder()
            .addAllTasks(tasks)
            .setModel(SmallBlobs.wholeChunk(modelId, model))
            .build();

    Iterator<ResultsMessage> stream = fed.control().pushTasksStreamResults(req);
    awaitFirstTask(node);
    List<org.fedlink.proto.v1.BlobChunk> got = new ArrayList<>();
    node.call()
        .downloadBlob(
            org.fedlink.proto.v1.DownloadBlobRequest.newBuilder()
                .setNodeId(node.id())
                .setBlobId(modelId)
                .build())
        .forEachRemaining(got::add);
    assertThat(BlobTransfer.download(modelId, got.iterator())).isEqualTo(model);
    answer(node, tasks);
    stream.forEachRemaining(m -> {});
    // Sent again (a retried call), the model is already there and the call still works.
    fed.control().pushTasksStreamResults(req).forEachRemaining(m -> {});

    List<Task> other = tasks(run, node.id(), 1);
    assertRefused(
        other,
        SmallBlobs.wholeChunk(BlobTransfer.newBlobId(), model),
        "is not the model of any of them");
  }

  @Test
  void tasksOfTwoRunsOrWithoutIdsAreRefusedWithTheFix() {
    TlsLink.Node node = fed.node();
    List<Task> mixed = new ArrayList<>(tasks(fed.createRun("a"), node.id(), 1));
    mixed.addAll(tasks(fed.createRun("b"), node.id(), 1));
    List<Task> unnamed =
        List.of(tasks(fed.createRun("c"), node.id(), 1).get(0).toBuilder().clearTaskId().build());

    assertRefused(mixed, "must all be of one run");
    assertRefused(unnamed, "set Task.task_id");
    assertRefused(List.of(), "at least one task");
  }

  private void assertRefused(List<Task> tasks, String message) {
    assertRefused(tasks, null, message);
  }

  private void assertRefused(
      List<Task> tasks, org.fedlink.proto.v1.BlobChunk model, String message) {
    PushTasksStreamResultsRequest.Builder req =
        PushTasksStreamResultsRequest.newBuilder().addAllTasks(tasks);
    if (model != null) {
      req.setModel(model);
    }
    assertThatThrownBy(
            () -> fed.control().pushTasksStreamResults(req.build()).forEachRemaining(m -> {}))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
        .hasMessageContaining(message);
  }

  @Test
  void aSlowResearcherGetsEveryResultOnOneStreamThatIsNeverEnded() throws Exception {
    TlsLink.Node node = fed.node();
    String run = fed.createRun("slow");
    List<Task> tasks = tasks(run, node.id(), TASKS);
    BlockingQueue<ResultsMessage> got = new LinkedBlockingQueue<>();
    CompletableFuture<Status> closed = new CompletableFuture<>();
    ClientCall<PushTasksStreamResultsRequest, ResultsMessage> call =
        slowChannel.newCall(ControlGrpc.getPushTasksStreamResultsMethod(), CallOptions.DEFAULT);
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onMessage(ResultsMessage m) {
            got.add(m);
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            closed.complete(status);
          }
        },
        new Metadata());
    call.sendMessage(PushTasksStreamResultsRequest.newBuilder().addAllTasks(tasks).build());
    call.halfClose();
    // Reads nothing while every result comes in: far more than the buffer and the window hold.
    awaitFirstTask(node);
    answer(node, tasks);

    FlowGauge gauge = fed.link.flowGauge();
    assertThat(gauge.overflows()).as("the buffer filled").isGreaterThanOrEqualTo(1);
    assertThat(gauge.peakStreamMessages()).isLessThanOrEqualTo(BOUND);
    assertThat(closed).as("the stream stays open while the researcher does not read").isNotDone();

    call.request(Integer.MAX_VALUE);

    assertThat(closed.get(20, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
    List<String> results = new ArrayList<>();
    Set<String> blobs = new HashSet<>();
    for (ResultsMessage m : got) {
      if (m.hasBlob()) {
        blobs.add(m.getBlob().getBlobId());
        assertThat(m.getBlob().getData().size()).isEqualTo(UPDATE_BYTES);
      } else {
        assertThat(blobs).as("its update comes first").contains(m.getResult().getBlobId());
        results.add(m.getResult().getTaskId());
      }
    }
    assertThat(results).as("each result once").containsExactlyInAnyOrderElementsOf(ids(tasks));
  }

  /**
   * Waits until the node is sent a task of the call's push: the push is then stored, so the node's
   * results find their tasks.
   */
  private static void awaitFirstTask(TlsLink.Node node) {
    Iterator<NodeMessage> stream =
        node.call().subscribeTasks(SubscribeTasksRequest.newBuilder().setNodeId(node.id()).build());
    NodeMessage m = stream.next();
    while (m.hasBlob()) {
      m = stream.next(); // the task's model, sent inline just before it
    }
    assertThat(m.hasTask()).isTrue();
  }

  private static List<String> ids(List<Task> tasks) {
    return tasks.stream().map(Task::getTaskId).toList();
  }
}
