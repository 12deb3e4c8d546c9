package org.fedlink.console;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Objects;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every console request passes before its page: security headers; on loopback, a {@code Host}
 * that names loopback (no DNS rebinding); the session from its cookie; for a POST, the console's
 * own origin and the session's form token; and a login for every page but the login page and the
 * stylesheet. A refused request is answered by a {@link Refusal} with its status and one line.
 * Thread-safe.
 */
final class RequestGuard {
  private static final Logger log = LoggerFactory.getLogger(RequestGuard.class);
  private static final String SESSION = "fedlink.session";

  private final Sessions sessions;
  private final boolean tls;
  private final boolean loopback;

  RequestGuard(Sessions sessions, boolean tls, boolean loopback) {
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.tls = tls;
    this.loopback = loopback;
  }

  /** A refused request: answered with its status and one line. */
  static final class Refusal extends FedlinkException {
    private static final long serialVersionUID = 1L;
    final transient HttpStatus status;

    Refusal(HttpStatus status, String message) {
      super(ErrorCode.REFUSED, message);
      this.status = status;
    }
  }

  /** The session cookie's name: host-only and HTTPS-only under TLS. */
  static String cookieName(boolean tls) {
    return tls ? "__Host-fedlink-console" : "fedlink-console";
  }

  static void setCookie(Context ctx, String id, boolean tls) {
    ctx.res()
        .addHeader(
            "Set-Cookie",
            cookieName(tls)
                + "="
                + id
                + "; Path=/; HttpOnly; SameSite=Strict"
                + (tls ? "; Secure" : ""));
  }

  static void clearCookie(Context ctx, boolean tls) {
    ctx.res()
        .addHeader(
            "Set-Cookie",
            cookieName(tls)
                + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
                + (tls ? "; Secure" : ""));
  }

  /** The session {@link #check} attached to the request. */
  static Sessions.Session session(Context ctx) {
    return Objects.requireNonNull(sessionOrNull(ctx), "no session on this request");
  }

  static Sessions.Session sessionOrNull(Context ctx) {
    return ctx.attribute(SESSION);
  }

  /**
   * Checks a request, attaching its session (a new one on a first visit).
   *
   * @throws Refusal if the host, the origin or the form token is wrong
   */
  void check(Context ctx) {
    ctx.header(
        "Content-Security-Policy",
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self';"
            + " frame-ancestors 'none'; base-uri 'none'");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Referrer-Policy", "same-origin");
    ctx.header("Cache-Control", "no-store");
    if (tls) {
      ctx.header("Strict-Transport-Security", "max-age=31536000");
    }
    String host = Objects.requireNonNullElse(ctx.header("Host"), "");
    if (loopback && !isLoopbackHost(host)) {
      log.warn("console: refused a request for host '{}' from {}", clip(host), ctx.ip());
      throw new Refusal(HttpStatus.MISDIRECTED_REQUEST, "this console answers only to 127.0.0.1");
    }
    Sessions.Session s = sessions.find(ctx.cookie(cookieName(tls))).orElse(null);
    if ("POST".equals(ctx.method().name())) {
      requireSameOrigin(ctx, host);
      if (s == null) {
        // The session ended (idle, or the node restarted): nothing is done, log in again.
        Sessions.Session fresh = sessions.open(false, null);
        setCookie(ctx, fresh.id, tls);
        fresh.flash("Your session had ended: log in again.", true);
        ctx.redirect("/login", HttpStatus.SEE_OTHER);
        ctx.skipRemainingHandlers();
        return;
      }
      String token = ctx.formParam("csrf");
      if (token == null || !constantTimeEquals(s.csrf, token)) {
        log.warn("console: refused a {} without a valid form token from {}", ctx.path(), ctx.ip());
        throw new Refusal(
            HttpStatus.FORBIDDEN, "refused: the form is stale or was not sent from this console");
      }
    }
    String path = ctx.path();
    boolean open = path.equals("/login") || path.startsWith("/static/");
    if (!open && (s == null || !s.authenticated)) {
      ctx.redirect("/login", HttpStatus.SEE_OTHER);
      ctx.skipRemainingHandlers();
      return;
    }
    if (s == null) {
      s = sessions.open(false, null);
      setCookie(ctx, s.id, tls);
    }
    ctx.attribute(SESSION, s);
  }

  /** The form must come from a page of this console: its Origin, else its Referer. */
  private void requireSameOrigin(Context ctx, String host) {
    String expected = (tls ? "https://" : "http://") + host;
    String origin = ctx.header("Origin");
    String referer = ctx.header("Referer");
    boolean same =
        origin != null
            ? origin.equals(expected)
            : referer != null && (referer.equals(expected) || referer.startsWith(expected + "/"));
    if (!same) {
      log.warn(
          "console: refused a {} from another origin ({}) from {}",
          ctx.path(),
          clip(origin == null ? "no Origin, Referer " + referer : origin),
          ctx.ip());
      throw new Refusal(HttpStatus.FORBIDDEN, "refused: the form was not sent from this console");
    }
  }

  private static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /** A value a client chose, safe for one log line. */
  static String clip(String s) {
    String t = s == null ? "" : s.replaceAll("[^\\x20-\\x7e]", "?");
    return t.length() > 80 ? t.substring(0, 80) + "..." : t;
  }

  static boolean isLoopbackHost(String hostHeader) {
    String h = hostHeader.toLowerCase(Locale.ROOT);
    int colon = h.startsWith("[") ? h.indexOf("]:") + 1 : h.lastIndexOf(':');
    String name = colon > 0 ? h.substring(0, colon) : h;
    return name.equals("127.0.0.1") || name.equals("localhost") || name.equals("[::1]");
  }
}
