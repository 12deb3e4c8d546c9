package org.fedlink.superlink.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fedlink.superlink.auth.AuthFederation.createNode;
import static org.fedlink.superlink.auth.AuthFederation.signing;

import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fedlink.proto.v1.ControlGrpc;
import org.fedlink.proto.v1.CreateRunRequest;
import org.fedlink.proto.v1.FleetGrpc;
import org.fedlink.proto.v1.PushResultRequest;
import org.fedlink.proto.v1.PushTasksRequest;
import org.fedlink.proto.v1.ReportRoundRequest;
import org.fedlink.proto.v1.RoundReport;
import org.fedlink.proto.v1.Task;
import org.fedlink.proto.v1.TaskResult;
import org.fedlink.transport.Endpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator scrapes and probes: a SuperLink with node and researcher authentication serving
 * Prometheus metrics on its own port, and the standard gRPC health service, over real TLS. Each
 * figure is checked against the calls the test made.
 */
class ObservabilityTest {
  @TempDir Path dir;
  private AuthFederation fed;

  @BeforeEach
  void start() throws Exception {
    fed = new AuthFederation(dir);
    fed.start(fed.authentication().build(), b -> b.metricsAddress(new Endpoint("127.0.0.1", 0)));
  }

  @AfterEach
  void stop() {
    fed.close();
  }

  private String scrape() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + fed.link.metricsPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  private static double value(String text, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(text);
    assertThat(m.find()).as("series %s in:%n%s", series, text).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void metricsCountCallsRefusalsTasksResultsAndRounds() throws Exception {
    FleetGrpc.FleetBlockingStub node = fed.fleet(signing(fed.signer(fed.nodeA)));
    long nodeId = node.createNode(createNode(fed.nodeA)).getNodeId();
    FleetGrpc.FleetBlockingStub stranger = fed.fleet(signing(fed.signer(fed.stranger)));
    assertThatThrownBy(() -> stranger.createNode(createNode(fed.stranger)))
        .isInstanceOf(StatusRuntimeException.class);
    ControlGrpc.ControlBlockingStub researcher = fed.control(fed.researcher);
    researcher.createRun(CreateRunRequest.newBuilder().putConfig("run_id", "r1").build());
    String taskId =
        researcher
            .pushTasks(
                PushTasksRequest.newBuilder()
                    .addTasks(Task.newBuilder().setRunId("r1").setNodeId(nodeId).setKind("train"))
                    .build())
            .getTaskIds(0);
    node.pushResult(
        PushResultRequest.newBuilder()
            .setNodeId(nodeId)
            .setResult(TaskResult.newBuilder().setTaskId(taskId).setNumExamples(3))
            .build());
    researcher.reportRound(
        ReportRoundRequest.newBuilder()
            .setReport(RoundReport.newBuilder().setRunId("r1").setRound(1).setSeconds(0.25))
            .build());

    String text = scrape();

    assertThat(value(text, "fedlink_superlink_nodes_registered")).isEqualTo(1);
    assertThat(value(text, "fedlink_superlink_runs_open")).isEqualTo(1);
    assertThat(value(text, "fedlink_superlink_calls_total{method=\"CreateNode\",status=\"OK\"}"))
        .isEqualTo(1);
    assertThat(
            value(
                text,
                "fedlink_superlink_calls_total{method=\"CreateNode\",status=\"UNAUTHENTICATED\"}"))
        .isEqualTo(1);
    assertThat(
            value(
                text,
                "fedlink_superlink_auth_refusals_total{reason=\"unknown_key\",role=\"node\"}"))
        .isEqualTo(1);
    assertThat(value(text, "fedlink_superlink_tasks_pushed_total")).isEqualTo(1);
    assertThat(value(text, "fedlink_superlink_results_received_total{outcome=\"ok\"}"))
        .isEqualTo(1);
    assertThat(value(text, "fedlink_superlink_round_duration_seconds_count")).isEqualTo(1);
    assertThat(value(text, "fedlink_superlink_round_duration_seconds_sum")).isEqualTo(0.25);
    assertThat(value(text, "fedlink_superlink_received_bytes_total")).isPositive();
    assertThat(value(text, "fedlink_superlink_sent_bytes_total")).isPositive();
    assertThat(value(text, "fedlink_superlink_database_bytes")).isPositive();
    assertThat(value(text, "fedlink_superlink_blobs_bytes")).isZero();
  }

  @Test
  void healthServiceAnswersWithoutAToken() {
    HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(fed.channel());
    for (String service : new String[] {"", "fedlink.v1.Fleet", "fedlink.v1.Control"}) {
      assertThat(
              health.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus())
          .as(service)
          .isEqualTo(ServingStatus.SERVING);
    }
  }

  @Test
  void metricsEndpointServesOnlyGetOfMetrics() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + fed.link.metricsPort();
    assertThat(
            http.send(
                    HttpRequest.newBuilder(URI.create(base + "/metrics"))
                        .POST(HttpRequest.BodyPublishers.ofString("x"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(405);
    assertThat(
            http.send(
                    HttpRequest.newBuilder(URI.create(base + "/metrics/x")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(404);
  }
}
