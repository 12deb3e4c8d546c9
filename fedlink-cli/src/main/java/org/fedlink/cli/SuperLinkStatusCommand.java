package org.fedlink.cli;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.config.Component;
import org.fedlink.core.config.ConfigKeys;
import org.fedlink.core.config.FedlinkConfig;
import org.fedlink.core.config.HostPort;
import org.fedlink.proto.v1.ControlGrpc;
import org.fedlink.proto.v1.FleetGrpc;
import org.fedlink.transport.ClientChannels;
import org.fedlink.transport.Endpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fedlink superlink status}: a SuperLink at a glance, from the standard gRPC health service
 * and, when its metrics endpoint is known, the figures it serves to Prometheus. Exit code 1 when
 * the SuperLink does not answer SERVING.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Show a SuperLink's health (gRPC health service) and, with its metrics address, its"
            + " nodes, runs, calls, refusals, tasks, rounds, traffic and storage.")
final class SuperLinkStatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--superlink",
      paramLabel = "HOST:PORT",
      description =
          "The SuperLink (default: [superlink] address of --config, else 127.0.0.1:9092).")
  String superlink;

  @Option(
      names = "--root-certificates",
      paramLabel = "CA_FILE",
      description = "CA of the SuperLink's certificate (default: [superlink] ssl_ca_certfile).")
  Path rootCertificates;

  @Option(names = "--insecure", description = "Connect without TLS (local development only).")
  boolean insecure;

  @Option(
      names = "--metrics",
      paramLabel = "HOST:PORT",
      description = "Its metrics endpoint (default: [superlink] metrics_address of --config).")
  String metrics;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Mixin org.fedlink.cli.config.ConfigOption config = new org.fedlink.cli.config.ConfigOption();

  @Override
  public Integer call() {
    FedlinkConfig c = config.load(Component.SUPERLINK).orElse(null);
    if (c != null) {
      HostPort a = c.get(ConfigKeys.SUPERLINK_ADDRESS);
      if (superlink == null) {
        superlink = dialable(a.host()) + ":" + a.port();
      }
      if (rootCertificates == null && !insecure) {
        rootCertificates = c.findPath(ConfigKeys.SSL_CA_CERTFILE).orElse(null);
        insecure = rootCertificates == null && c.get(ConfigKeys.INSECURE);
      }
      if (metrics == null) {
        metrics =
            c.find(ConfigKeys.SUPERLINK_METRICS_ADDRESS)
                .map(m -> dialable(m.host()) + ":" + m.port())
                .orElse(null);
      }
    }
    if (superlink == null) {
      superlink = "127.0.0.1:9092";
    }
    if (insecure == (rootCertificates != null)) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "pass --root-certificates CA_FILE (or --insecure for a development SuperLink)");
    }
    Map<String, String> health = health(Endpoint.parse(superlink));
    Map<String, Double> figures = metrics == null ? Map.of() : scrape(metrics);
    boolean serving = "SERVING".equals(health.get("overall"));
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Json j = Json.object().put("superlink", superlink).putStrings("health", health);
      if (metrics != null) {
        j.putNumbers("metrics", figures);
      }
      out.println(j.end());
    } else {
      out.printf(
          "SuperLink %s: %s (Fleet %s, Control %s)%n",
          superlink, health.get("overall"), health.get("fleet"), health.get("control"));
      if (metrics == null) {
        out.println(
            "metrics: not asked (pass --metrics HOST:PORT or a --config with"
                + " [superlink] metrics_address)");
      } else {
        print(out, figures);
      }
    }
    out.flush();
    if (health.get("overall").startsWith("UNREACHABLE")) {
      spec.commandLine()
          .getErr()
          .println(
              "error: the SuperLink at "
                  + superlink
                  + " does not answer: is it running, and are the address and certificates"
                  + " right?");
    }
    return serving ? 0 : Main.EXIT_FAILURE;
  }

  private static String dialable(String host) {
    return host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
  }

  private Map<String, String> health(Endpoint endpoint) {
    Map<String, String> out = new LinkedHashMap<>();
    ManagedChannel channel = ClientChannels.open(endpoint, rootCertificates, List.of());
    try {
      HealthGrpc.HealthBlockingStub stub = HealthGrpc.newBlockingStub(channel);
      out.put("overall", check(stub, ""));
      out.put("fleet", check(stub, FleetGrpc.SERVICE_NAME));
      out.put("control", check(stub, ControlGrpc.SERVICE_NAME));
    } finally {
      channel.shutdownNow();
    }
    return out;
  }

  private static String check(HealthGrpc.HealthBlockingStub stub, String service) {
    try {
      HealthCheckResponse r =
          stub.withDeadlineAfter(5, TimeUnit.SECONDS)
              .check(HealthCheckRequest.newBuilder().setService(service).build());
      return r.getStatus().name();
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode() == io.grpc.Status.Code.UNIMPLEMENTED
          ? "UNKNOWN (no health service)"
          : "UNREACHABLE (" + e.getStatus().getCode() + ")";
    }
  }

  /** Sums of the SuperLink's series, by metric name and the labels that matter at a glance. */
  static Map<String, Double> scrape(String address) {
    String body;
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://" + address + "/metrics"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IOException("HTTP " + r.statusCode());
      }
      body = r.body();
    } catch (IOException | IllegalArgumentException e) {
      throw new FedlinkException(
          ErrorCode.UNAVAILABLE,
          "cannot read metrics at http://"
              + address
              + "/metrics: "
              + e.getMessage()
              + " (is [superlink] metrics_address set to it?)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FedlinkException(ErrorCode.CANCELLED, "interrupted");
    }
    return PrometheusText.summarize(body);
  }

  private static void print(PrintWriter out, Map<String, Double> m) {
    out.printf(
        "nodes: %d registered, %d online; runs open: %d%n",
        n(m, "nodes_registered"), n(m, "nodes_online"), n(m, "runs_open"));
    out.printf(
        "calls: %d (%d not OK); authentication refusals: %d%s%n",
        n(m, "calls"),
        n(m, "calls") - n(m, "calls{status=OK}"),
        n(m, "auth_refusals"),
        refusals(m));
    out.printf(
        "tasks pushed: %d; results: %d ok, %d failed%n",
        n(m, "tasks_pushed"), n(m, "results{outcome=ok}"), n(m, "results{outcome=error}"));
    long rounds = n(m, "round_duration_count");
    out.printf(
        "rounds reported: %d%s%n",
        rounds,
        rounds == 0
            ? ""
            : String.format(
                Locale.ROOT, ", mean %.2f s", m.getOrDefault("round_duration_sum", 0.0) / rounds));
    out.printf(
        "traffic: %s in, %s out; storage: database %s, blobs %s%n",
        bytes(m, "received_bytes"),
        bytes(m, "sent_bytes"),
        bytes(m, "database_bytes"),
        bytes(m, "blobs_bytes"));
  }

  private static String refusals(Map<String, Double> m) {
    StringBuilder b = new StringBuilder();
    m.entrySet().stream()
        .filter(e -> e.getKey().startsWith("auth_refusals{reason="))
        .forEach(
            e ->
                b.append(b.length() == 0 ? " (" : ", ")
                    .append(e.getKey(), "auth_refusals{reason=".length(), e.getKey().length() - 1)
                    .append(' ')
                    .append(e.getValue().longValue()));
    return b.length() == 0 ? "" : b.append(')').toString();
  }

  private static long n(Map<String, Double> m, String key) {
    return m.getOrDefault(key, 0.0).longValue();
  }

  private static String bytes(Map<String, Double> m, String key) {
    double v = m.getOrDefault(key, 0.0);
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return u == 0 ? (long) v + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
