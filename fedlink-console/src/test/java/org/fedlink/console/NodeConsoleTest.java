package org.fedlink.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.store.SqliteDatabase;
import org.fedlink.crypto.tls.DevelopmentCa;
import org.fedlink.supernode.NodeDatabase;
import org.fedlink.supernode.datasets.DatasetRegistry;
import org.fedlink.supernode.plans.PlanStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console over real HTTP and HTTPS, without a browser: start-up refusals, the login lockout on
 * a moved clock, the Host check, cookies and headers.
 */
class NodeConsoleTest {
  static final String PASSWORD = "a long enough secret";

  @TempDir Path dir;
  SqliteDatabase db;
  ConsoleNode node;
  NodeConsole console;
  final MovableClock clock = new MovableClock();

  @BeforeEach
  void open() {
    Path database = dir.resolve("node.sqlite");
    db = NodeDatabase.openFile(database);
    node =
        new ConsoleNode(
            database,
            new DatasetRegistry(db),
            new PlanStore(db),
            null,
            Map.of("plan_isolation", "process"));
    // The fewest iterations a stored hash may have: this test logs in many times.
    ConsolePassword.set(
        ConsolePassword.fileOf(database), PASSWORD.toCharArray(), ConsolePassword.MIN_ITERATIONS);
  }

  @AfterEach
  void close() {
    if (console != null) {
      console.close();
    }
    db.close();
  }

  @Test
  void refusesToServeOtherMachinesWithoutTls() {
    assertThatThrownBy(() -> NodeConsole.builder(node).address("0.0.0.0", 0).build())
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("the console on 0.0.0.0 would be reachable from other machines")
        .hasMessageContaining("[gui] certfile");
    assertThatThrownBy(() -> NodeConsole.builder(node).tls(dir.resolve("cert.pem"), null).build())
        .hasMessageContaining("needs both [gui] certfile and [gui] keyfile");
  }

  @Test
  void refusesToStartWithoutAPassword() throws Exception {
    java.nio.file.Files.delete(ConsolePassword.fileOf(node.database()));
    assertThatThrownBy(() -> NodeConsole.builder(node).address("127.0.0.1", 0).build().start())
        .hasMessageContaining("no console password is set: set one with");
  }

  /** A browser's session: its cookie and the form token of the last page. */
  final class Browser {
    final HttpClient http;
    final String base;
    String cookie = "";
    String csrf = "";

    Browser(HttpClient http, String base) {
      this.http = http;
      this.base = base;
    }

    HttpResponse<String> get(String path) throws Exception {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", cookie).build(),
              HttpResponse.BodyHandlers.ofString());
      keep(r);
      Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(r.body());
      if (m.find()) {
        csrf = m.group(1);
      }
      return r;
    }

    HttpResponse<String> post(String path, String form) throws Exception {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(base + path))
                  .header("Cookie", cookie)
                  .header("Origin", base)
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf + "&" + form))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      keep(r);
      return r;
    }

    private void keep(HttpResponse<String> r) {
      r.headers().firstValue("Set-Cookie").ifPresent(c -> cookie = c.substring(0, c.indexOf(';')));
    }

    String login(String password) throws Exception {
      get("/login");
      HttpResponse<String> r = post("/login", "password=" + password.replace(' ', '+'));
      assertThat(r.statusCode()).isEqualTo(303);
      String to = r.headers().firstValue("Location").orElseThrow();
      return get(to.startsWith("http") ? URI.create(to).getPath() : to).body();
    }
  }

  @Test
  void lockoutRefusesEvenTheRightPasswordUntilTheClockMovesOn() throws Exception {
    console =
        NodeConsole.builder(node)
            .address("127.0.0.1", 0)
            .clock(clock)
            .lockout(3, Duration.ofMinutes(5))
            .build()
            .start();
    Browser b = new Browser(HttpClient.newHttpClient(), "http://127.0.0.1:" + console.port());

    assertThat(b.login("wrong one")).contains("Wrong password.");
    assertThat(b.login("wrong two")).contains("Wrong password.");
    assertThat(b.login("wrong three"))
        .contains("Too many failed logins: the login is locked until 2026-01-01T10:05:00Z");
    assertThat(b.login(PASSWORD))
        .contains("the login is locked until 2026-01-01T10:05:00Z")
        .doesNotContain("Node status");

    clock.advance(Duration.ofMinutes(5));
    assertThat(b.login(PASSWORD)).contains("<h2>Node status</h2>").contains("plan_isolation");
  }

  @Test
  void formsNeedTheSessionTokenAndTheConsolesOrigin() throws Exception {
    console = NodeConsole.builder(node).address("127.0.0.1", 0).build().start();
    Browser b = new Browser(HttpClient.newHttpClient(), "http://127.0.0.1:" + console.port());
    b.login(PASSWORD);
    b.get("/datasets");

    String stolen = b.csrf;
    b.csrf = "forged";
    HttpResponse<String> forged = b.post("/datasets", "name=x&path=/etc/passwd&tags=t");
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body()).contains("the form is stale or was not sent from this console");

    b.csrf = stolen;
    HttpResponse<String> foreign =
        b.http.send(
            HttpRequest.newBuilder(URI.create(b.base + "/datasets"))
                .header("Cookie", b.cookie)
                .header("Origin", "http://127.0.0.1:1")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + stolen + "&name=x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(foreign.body()).contains("the form was not sent from this console");

    HttpResponse<String> bad =
        b.post("/datasets", "name=x&path=" + dir.resolve("none.csv") + "&tags=t");
    assertThat(bad.statusCode()).isEqualTo(303);
    assertThat(b.get("/datasets").body()).contains("none.csv does not exist");
  }

  @Test
  void aFormOfAnEndedSessionDoesNothingAndAsksToLogInAgain() throws Exception {
    console =
        NodeConsole.builder(node)
            .address("127.0.0.1", 0)
            .clock(clock)
            .sessionIdle(Duration.ofMinutes(30))
            .build()
            .start();
    Browser b = new Browser(HttpClient.newHttpClient(), "http://127.0.0.1:" + console.port());
    b.login(PASSWORD);
    b.get("/datasets");
    clock.advance(Duration.ofMinutes(31));

    HttpResponse<String> late = b.post("/datasets", "name=late&path=x&tags=t");

    assertThat(late.statusCode()).isEqualTo(303);
    assertThat(late.headers().firstValue("Location").orElseThrow()).endsWith("/login");
    assertThat(b.get("/login").body()).contains("Your session had ended: log in again.");
    assertThat(node.datasets().list()).isEmpty();
  }

  @Test
  void pagesForbidScriptsFramingAndCaching() throws Exception {
    console = NodeConsole.builder(node).address("127.0.0.1", 0).build().start();
    Browser b = new Browser(HttpClient.newHttpClient(), "http://127.0.0.1:" + console.port());
    HttpResponse<String> login = b.get("/login");
    assertThat(login.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("default-src 'none'")
        .contains("frame-ancestors 'none'")
        .doesNotContain("script-src");
    assertThat(login.headers().firstValue("Cache-Control")).contains("no-store");
    assertThat(login.headers().firstValue("Set-Cookie").orElseThrow())
        .contains("HttpOnly")
        .contains("SameSite=Strict")
        .doesNotContain("Secure");
    assertThat(login.body())
        .doesNotContain("<script")
        .doesNotContain("http://")
        .doesNotContain("https://");
    HttpResponse<String> status = b.get("/");
    assertThat(status.statusCode()).isEqualTo(303);
    assertThat(status.headers().firstValue("Location").orElseThrow()).endsWith("/login");
  }

  @Test
  void loopbackConsoleRefusesOtherHostNames() throws Exception {
    console = NodeConsole.builder(node).address("127.0.0.1", 0).build().start();
    try (Socket s = new Socket("127.0.0.1", console.port())) {
      OutputStream out = s.getOutputStream();
      out.write(
          "GET /login HTTP/1.1\r\nHost: attacker.example:80\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(response).startsWith("HTTP/1.1 421").contains("answers only to 127.0.0.1");
    }
  }

  @Test
  void servesHttpsWithASecureHostOnlyCookie() throws Exception {
    DevelopmentCa.CaFiles tls =
        DevelopmentCa.create(dir.resolve("tls"), List.of("localhost", "127.0.0.1"));
    console =
        NodeConsole.builder(node)
            .address("127.0.0.1", 0)
            .tls(tls.serverCertificate(), tls.serverKey())
            .build()
            .start();
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = java.nio.file.Files.newInputStream(tls.caCertificate())) {
      trust.setCertificateEntry(
          "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    Browser b =
        new Browser(
            HttpClient.newBuilder().sslContext(ssl).build(), "https://localhost:" + console.port());

    HttpResponse<String> login = b.get("/login");

    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(login.headers().firstValue("Set-Cookie").orElseThrow())
        .startsWith("__Host-fedlink-console=")
        .contains("; Secure");
    assertThat(login.headers().firstValue("Strict-Transport-Security")).isPresent();
    assertThat(b.login(PASSWORD)).contains("<h2>Node status</h2>");
  }
}
