package org.fedlink.console;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.supernode.plans.PlanDetails;
import org.fedlink.supernode.plans.PlanStatus;
import org.fedlink.supernode.plans.TrainingPlanRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's web console (Javalin on Jetty, templates compiled at build time): login, datasets,
 * training plans and node status. Every action calls the same classes as the CLI ({@code
 * DatasetRegistry}, {@code PlanStore}); pages use no script and load nothing from outside the node.
 *
 * <p>Security: bound to 127.0.0.1 unless told otherwise, and any other address needs TLS; on
 * loopback the Host header must name loopback (DNS rebinding). One password, stored as a PBKDF2
 * hash ({@link ConsolePassword}); {@code maxFailures} wrong passwords lock the login for {@code
 * lockout}. Session cookie HttpOnly, SameSite=Strict, Secure (and {@code __Host-} prefixed) under
 * TLS. Every POST must carry the session's CSRF token and come from the console's own origin.
 * Responses forbid framing, sniffing, caching and any script.
 */
public final class NodeConsole implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeConsole.class);
  private static final int PREVIEW_ROWS = 10;

  private final Builder config;
  private final ConsoleNode node;
  private final Path passwordFile;
  private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
  private final Sessions sessions;
  private final LoginGuard guard;
  private final boolean tls;
  private final boolean loopback;
  private Javalin app;

  private NodeConsole(Builder b) {
    this.config = b;
    this.node = b.node;
    this.passwordFile = ConsolePassword.fileOf(b.node.database());
    this.sessions = new Sessions(b.clock, b.sessionIdle);
    this.guard = new LoginGuard(b.clock, b.maxFailures, b.lockout);
    this.tls = b.certFile != null;
    this.loopback = isLoopback(b.host);
  }

  public static Builder builder(ConsoleNode node) {
    return new Builder(node);
  }

  /**
   * Starts serving.
   *
   * @throws FedlinkException CONFIGURATION if no password is set, UNAVAILABLE if the port is taken
   */
  public synchronized NodeConsole start() {
    if (!ConsolePassword.isSet(passwordFile)) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "no console password is set: set one with `fedlink supernode --config FILE gui"
              + " set-password` (stored hashed in "
              + passwordFile
              + ")");
    }
    RequestGuard requests = new RequestGuard(sessions, tls, loopback);
    Javalin a =
        Javalin.create(
            c -> {
              c.startup.showJavalinBanner = false;
              c.jetty.host = config.host;
              c.jetty.port = config.port;
              c.http.maxRequestSize = 64 * 1024;
              if (tls) {
                var ssl = ConsoleTls.context(config.certFile, config.keyFile);
                c.jetty.addConnector(
                    (server, http) -> {
                      HttpConfiguration https = new HttpConfiguration(http);
                      https.addCustomizer(new SecureRequestCustomizer());
                      ServerConnector connector =
                          new ServerConnector(
                              server,
                              new SslConnectionFactory(ssl, "http/1.1"),
                              new HttpConnectionFactory(https));
                      connector.setHost(config.host);
                      connector.setPort(config.port);
                      return connector;
                    });
              }
              c.routes.before(requests::check);
              c.routes.get("/static/console.css", this::css);
              c.routes.get("/login", this::loginPage);
              c.routes.post("/login", this::login);
              c.routes.post("/logout", this::logout);
              c.routes.get("/", this::status);
              c.routes.get("/datasets", this::datasets);
              c.routes.post("/datasets", this::addDataset);
              c.routes.get("/datasets/{name}", this::dataset);
              c.routes.get("/datasets/{name}/remove", this::confirmRemove);
              c.routes.post("/datasets/{name}/remove", this::removeDataset);
              c.routes.get("/plans", this::plans);
              c.routes.get("/plans/{hash}", this::plan);
              c.routes.post("/plans/{hash}/approve", ctx -> decide(ctx, PlanStatus.APPROVED));
              c.routes.post("/plans/{hash}/reject", ctx -> decide(ctx, PlanStatus.REJECTED));
              c.routes.exception(FedlinkException.class, this::failed);
              c.routes.exception(Exception.class, this::crashed);
            });
    try {
      a.start();
    } catch (RuntimeException e) {
      throw new FedlinkException(
          ErrorCode.UNAVAILABLE,
          "cannot serve the console on "
              + config.host
              + ":"
              + config.port
              + ": "
              + e.getMessage()
              + " (is the port in use? change [gui] address)",
          e);
    }
    app = a;
    log.info(
        "node console on {}://{}:{}/ ({})",
        tls ? "https" : "http",
        config.host,
        port(),
        tls ? "TLS" : "plain HTTP on loopback only");
    return this;
  }

  /** The port bound. */
  public int port() {
    return app.port();
  }

  @Override
  public synchronized void close() {
    if (app != null) {
      app.stop();
      app = null;
    }
  }

  // ---- pages ----

  private void css(Context ctx) throws java.io.IOException {
    try (var in = NodeConsole.class.getResourceAsStream("/console-static/console.css")) {
      ctx.contentType("text/css; charset=utf-8").result(in.readAllBytes());
    }
  }

  private void loginPage(Context ctx) {
    Sessions.Session s = RequestGuard.session(ctx);
    if (s.authenticated) {
      ctx.redirect("/", HttpStatus.SEE_OTHER);
      return;
    }
    render(ctx, "login.jte", Map.of("page", page(ctx, "Log in"), "lockedUntil", lockText()));
  }

  private String lockText() {
    return guard.lockedUntil().map(Instant::toString).orElse("");
  }

  private void login(Context ctx) {
    Sessions.Session s = RequestGuard.session(ctx);
    Optional<Instant> locked = guard.lockedUntil();
    if (locked.isPresent()) {
      log.warn("console: login refused from {}: locked until {}", ctx.ip(), locked.get());
      s.flash("Too many failed logins: the login is locked until " + locked.get() + ".", true);
      ctx.redirect("/login", HttpStatus.SEE_OTHER);
      return;
    }
    char[] password = Objects.requireNonNullElse(ctx.formParam("password"), "").toCharArray();
    boolean ok;
    try {
      synchronized (guard) {
        // One derivation at a time: a flood of logins cannot take every core.
        ok = ConsolePassword.matches(passwordFile, password);
      }
    } finally {
      ConsolePassword.wipe(password);
    }
    if (!ok) {
      boolean nowLocked = guard.failed();
      log.warn(
          "console: wrong password from {}{}",
          ctx.ip(),
          nowLocked ? "; login locked for " + config.lockout.toSeconds() + " s" : "");
      s.flash(
          nowLocked
              ? "Wrong password. Too many failed logins: the login is locked until "
                  + lockText()
                  + "."
              : "Wrong password.",
          true);
      ctx.redirect("/login", HttpStatus.SEE_OTHER);
      return;
    }
    guard.succeeded();
    Sessions.Session fresh = sessions.open(true, s);
    RequestGuard.setCookie(ctx, fresh.id, tls);
    log.info("console: admin logged in from {}", ctx.ip());
    ctx.redirect("/", HttpStatus.SEE_OTHER);
  }

  private void logout(Context ctx) {
    sessions.close(RequestGuard.session(ctx));
    RequestGuard.clearCookie(ctx, tls);
    ctx.redirect("/login", HttpStatus.SEE_OTHER);
  }

  private void status(Context ctx) {
    render(
        ctx, "status.jte", Map.of("page", page(ctx, "Node status"), "status", NodeStatus.of(node)));
  }

  private void datasets(Context ctx) {
    render(
        ctx,
        "datasets.jte",
        Map.of(
            "page", page(ctx, "Datasets"),
            "datasets", DatasetRow.all(node.datasets())));
  }

  private void addDataset(Context ctx) {
    String name = form(ctx, "name");
    String path = form(ctx, "path");
    String format = form(ctx, "format").isEmpty() ? "csv" : form(ctx, "format");
    List<String> tags =
        Arrays.stream(form(ctx, "tags").split(","))
            .map(String::strip)
            .filter(t -> !t.isEmpty())
            .toList();
    if (path.isEmpty()) {
      throw new FedlinkException(ErrorCode.INVALID_ARGUMENT, "give the path of the data file");
    }
    var r = node.datasets().add(name, tags, Path.of(path), format);
    log.info("console: dataset '{}' registered ({})", r.name(), r.path());
    RequestGuard.session(ctx)
        .flash(
            "Dataset '"
                + r.name()
                + "' registered: "
                + r.rows()
                + " rows, "
                + r.cols()
                + " features.",
            false);
    ctx.redirect("/datasets", HttpStatus.SEE_OTHER);
  }

  private void dataset(Context ctx) {
    var preview = node.datasets().preview(ctx.pathParam("name"), PREVIEW_ROWS);
    render(
        ctx,
        "dataset.jte",
        Map.of("page", page(ctx, "Dataset " + preview.record().name()), "preview", preview));
  }

  private void confirmRemove(Context ctx) {
    String name = ctx.pathParam("name");
    var record =
        node.datasets().list().stream()
            .filter(d -> d.name().equals(name))
            .findFirst()
            .orElseThrow(
                () -> new FedlinkException(ErrorCode.NOT_FOUND, "no dataset named '" + name + "'"));
    render(ctx, "remove.jte", Map.of("page", page(ctx, "Remove dataset"), "dataset", record));
  }

  private void removeDataset(Context ctx) {
    String name = ctx.pathParam("name");
    node.datasets().delete(name);
    log.info("console: dataset '{}' removed", name);
    RequestGuard.session(ctx).flash("Dataset '" + name + "' removed (its file stays).", false);
    ctx.redirect("/datasets", HttpStatus.SEE_OTHER);
  }

  private void plans(Context ctx) {
    List<TrainingPlanRecord> all = node.plans().list();
    render(
        ctx,
        "plans.jte",
        Map.of(
            "page", page(ctx, "Training plans"),
            "pending", byStatus(all, PlanStatus.PENDING),
            "approved", byStatus(all, PlanStatus.APPROVED),
            "rejected", byStatus(all, PlanStatus.REJECTED)));
  }

  private static List<TrainingPlanRecord> byStatus(List<TrainingPlanRecord> all, PlanStatus s) {
    return all.stream().filter(p -> p.status() == s).toList();
  }

  private void plan(Context ctx) {
    PlanDetails d = PlanDetails.load(node.plans(), ctx.pathParam("hash"));
    render(
        ctx,
        "plan.jte",
        Map.of("page", page(ctx, "Training plan " + d.plan().shortHash()), "d", d));
  }

  private void decide(Context ctx, PlanStatus status) {
    String notes = form(ctx, "notes");
    TrainingPlanRecord p =
        node.plans().setStatus(ctx.pathParam("hash"), status, notes.isEmpty() ? null : notes);
    log.info("console: training plan {} is now {}", p.shortHash(), p.status().display());
    RequestGuard.session(ctx)
        .flash("Training plan " + p.shortHash() + " is now " + p.status().display() + ".", false);
    ctx.redirect("/plans/" + p.hash(), HttpStatus.SEE_OTHER);
  }

  // ---- errors ----

  private void failed(FedlinkException e, Context ctx) {
    if (e instanceof RequestGuard.Refusal r) {
      ctx.status(r.status).contentType("text/plain; charset=utf-8").result(r.getMessage() + "\n");
      return;
    }
    Sessions.Session s = RequestGuard.sessionOrNull(ctx);
    if (s != null && "POST".equals(ctx.method().name())) {
      // Back to the page the form came from, with the one-line reason.
      s.flash(e.getMessage(), true);
      String back =
          ctx.path().startsWith("/plans/")
              ? ctx.path().replaceAll("/(approve|reject)$", "")
              : "/datasets";
      ctx.redirect(back, HttpStatus.SEE_OTHER);
      return;
    }
    ctx.status(e.code() == ErrorCode.NOT_FOUND ? HttpStatus.NOT_FOUND : HttpStatus.BAD_REQUEST);
    render(ctx, "error.jte", Map.of("page", page(ctx, "Not possible"), "message", e.getMessage()));
  }

  private void crashed(Exception e, Context ctx) {
    log.error("console: {} {} failed", ctx.method(), ctx.path(), e);
    ctx.status(HttpStatus.INTERNAL_SERVER_ERROR)
        .contentType("text/plain; charset=utf-8")
        .result("internal error; see the node's log\n");
  }

  // ---- helpers ----

  private Page page(Context ctx, String title) {
    Sessions.Session s = RequestGuard.session(ctx);
    String flash = s.takeFlash();
    return new Page(title, s.csrf, s.authenticated, flash, s.flashIsError, ctx.path());
  }

  private void render(Context ctx, String template, Map<String, Object> params) {
    StringOutput out = new StringOutput();
    templates.render(template, params, out);
    ctx.contentType("text/html; charset=utf-8")
        .result(out.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static String form(Context ctx, String name) {
    String v = ctx.formParam(name);
    return v == null ? "" : v.strip();
  }

  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Settings of a console, validated by {@link #build()}. Not thread-safe. */
  public static final class Builder {
    private final ConsoleNode node;
    private String host = "127.0.0.1";
    private int port = 8484;
    private Path certFile;
    private Path keyFile;
    private InstantSource clock = InstantSource.system();
    private int maxFailures = 5;
    private Duration lockout = Duration.ofMinutes(5);
    private Duration sessionIdle = Duration.ofMinutes(30);

    private Builder(ConsoleNode node) {
      this.node = Objects.requireNonNull(node, "node");
    }

    /** Address to bind; default 127.0.0.1:8484 ({@code [gui] address}); port 0 for any. */
    public Builder address(String host, int port) {
      this.host = Objects.requireNonNull(host, "host");
      this.port = port;
      return this;
    }

    /** TLS certificate chain and unencrypted PKCS#8 key (PEM); both or neither. */
    public Builder tls(Path certFile, Path keyFile) {
      this.certFile = certFile;
      this.keyFile = keyFile;
      return this;
    }

    /** Clock of sessions and the login lockout; default the system's (tests move their own). */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Wrong passwords in a row that lock the login, and for how long; default 5 and 5 min. */
    public Builder lockout(int maxFailures, Duration lockout) {
      this.maxFailures = maxFailures;
      this.lockout = Objects.requireNonNull(lockout, "lockout");
      return this;
    }

    /** How long an unused session lives; default 30 min. */
    public Builder sessionIdle(Duration idle) {
      this.sessionIdle = Objects.requireNonNull(idle, "idle");
      return this;
    }

    /**
     * Validates the settings.
     *
     * @throws FedlinkException CONFIGURATION if a non-loopback address has no TLS, only one TLS
     *     file is given, or a limit is out of range
     */
    public NodeConsole build() {
      if ((certFile == null) != (keyFile == null)) {
        throw new FedlinkException(
            ErrorCode.CONFIGURATION,
            "the console's TLS needs both [gui] certfile and [gui] keyfile; one is missing");
      }
      if (certFile == null && !isLoopback(host)) {
        throw new FedlinkException(
            ErrorCode.CONFIGURATION,
            "the console on "
                + host
                + " would be reachable from other machines without TLS: set [gui] certfile and"
                + " [gui] keyfile, or keep [gui] address on 127.0.0.1");
      }
      if (port < 0 || port > 65535) {
        throw new FedlinkException(
            ErrorCode.CONFIGURATION, "console port " + port + " is out of range 0-65535");
      }
      if (maxFailures < 1 || lockout.isNegative() || sessionIdle.toSeconds() < 1) {
        throw new FedlinkException(
            ErrorCode.CONFIGURATION,
            "console lockout after "
                + maxFailures
                + " failures for "
                + lockout
                + ", sessions of "
                + sessionIdle
                + ": use at least 1 failure, no negative lockout, sessions of 1 s or more");
      }
      return new NodeConsole(this);
    }
  }
}
