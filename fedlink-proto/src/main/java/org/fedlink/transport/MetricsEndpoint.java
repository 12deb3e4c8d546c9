package org.fedlink.transport;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code GET /metrics} (Prometheus text format) on its own address, apart from the gRPC
 * port. Read-only; anything else is 404 or 405. The JDK's HTTP server is enough for one plain-text
 * page that a scraper reads; it keeps web libraries out of the SuperLink and the SuperNode.
 */
public final class MetricsEndpoint implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);

  private final HttpServer server;

  private MetricsEndpoint(HttpServer server) {
    this.server = server;
  }

  /**
   * Starts serving.
   *
   * @param host address to bind
   * @param port port, 0 for any
   * @param scrape produces the page
   * @param what who serves, for the log ("SuperLink", "SuperNode")
   * @throws FedlinkException UNAVAILABLE if the address cannot be bound
   */
  public static MetricsEndpoint start(String host, int port, Supplier<String> scrape, String what) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 16);
    } catch (IOException e) {
      throw new FedlinkException(
          ErrorCode.UNAVAILABLE,
          "cannot serve metrics on "
              + host
              + ":"
              + port
              + ": "
              + e.getMessage()
              + " (is the port in use? change metrics_address)",
          e);
    }
    server.createContext(
        "/metrics",
        exchange -> {
          try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
              exchange.sendResponseHeaders(405, -1);
              return;
            }
            if (!"/metrics".equals(exchange.getRequestURI().getPath())) {
              exchange.sendResponseHeaders(404, -1);
              return;
            }
            byte[] body = scrape.get().getBytes(StandardCharsets.UTF_8);
            exchange
                .getResponseHeaders()
                .set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          } catch (RuntimeException e) {
            log.error("metrics scrape failed", e);
          }
        });
    server.setExecutor(null);
    server.start();
    log.info("{} metrics on http://{}:{}/metrics", what, host, server.getAddress().getPort());
    return new MetricsEndpoint(server);
  }

  /** The port bound. */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
