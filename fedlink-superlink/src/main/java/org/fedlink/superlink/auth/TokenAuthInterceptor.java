package org.fedlink.superlink.auth;

import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Supplier;
import org.fedlink.crypto.AuthMetadata;
import org.fedlink.crypto.KeyFingerprint;
import org.fedlink.crypto.RejectionReason;
import org.fedlink.crypto.TokenRejectedException;
import org.fedlink.crypto.TokenVerifier;
import org.fedlink.crypto.VerifiedNode;
import org.fedlink.transport.AuthHeaders;
import org.fedlink.transport.SignedBytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates every call of a service with a per-request token ({@link TokenVerifier}).
 *
 * <p>The token covers the request, so the service is started only once the request has arrived and
 * verified: this interceptor asks for the request itself, verifies it in {@code onMessage}
 * (re-serialized with {@link SignedBytes}), and then starts the service and runs that and every
 * later listener callback inside a {@link Context} carrying the {@link AuthenticatedKey}. A call
 * that fails verification, or whose client streams several messages (which one token cannot cover),
 * is closed with {@code UNAUTHENTICATED "access denied"} and never reaches the service; the precise
 * reason and the key's fingerprint are logged at WARN, never the token.
 *
 * <p>The verifier is fetched per call, so a reloaded key list applies to the next call.
 * Thread-safe.
 */
public final class TokenAuthInterceptor implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(TokenAuthInterceptor.class);

  /** The one status a refused peer sees. */
  public static final Status ACCESS_DENIED =
      Status.UNAUTHENTICATED.withDescription("access denied");

  private static final Metadata.Key<String> CLOCK_SKEW =
      Metadata.Key.of(AuthMetadata.CLOCK_SKEW_TRAILER, Metadata.ASCII_STRING_MARSHALLER);

  private final Supplier<TokenVerifier> verifier;
  private final String role;
  private final java.util.function.BiConsumer<String, String> refusals;

  /**
   * Creates the interceptor.
   *
   * @param verifier the current verifier (e.g. {@link KnownKeysList#verifier})
   * @param role who calls, for the log: {@code node} or {@code researcher}
   */
  public TokenAuthInterceptor(Supplier<TokenVerifier> verifier, String role) {
    this(verifier, role, (r, reason) -> {});
  }

  /**
   * Creates the interceptor, telling {@code refusals} of each refusal: the role and a short reason
   * ({@code unknown_key}, {@code bad_hmac}, {@code replayed_nonce}..., for metrics).
   */
  public TokenAuthInterceptor(
      Supplier<TokenVerifier> verifier,
      String role,
      java.util.function.BiConsumer<String, String> refusals) {
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.role = Objects.requireNonNull(role, "role");
    this.refusals = Objects.requireNonNull(refusals, "refusals");
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    if (!call.getMethodDescriptor().getType().clientSendsOneMessage()) {
      log.warn("access denied on {}: client-streaming calls cannot be authenticated", method);
      refusals.accept(role, "client_streaming");
      call.close(ACCESS_DENIED, new Metadata());
      return new ServerCall.Listener<>() {};
    }
    AuthMetadata auth = AuthHeaders.read(headers);
    call.request(1);
    return new VerifyingListener<>(call, headers, next, method, auth);
  }

  private final class VerifyingListener<ReqT, RespT> extends ServerCall.Listener<ReqT> {
    private final ServerCall<ReqT, RespT> call;
    private final Metadata headers;
    private final ServerCallHandler<ReqT, RespT> next;
    private final String method;
    private final AuthMetadata auth;
    // Listener callbacks are serialized by gRPC, so plain fields suffice.
    private ServerCall.Listener<ReqT> delegate;
    private Context context;
    private boolean refused;
    private boolean readyPending;

    VerifyingListener(
        ServerCall<ReqT, RespT> call,
        Metadata headers,
        ServerCallHandler<ReqT, RespT> next,
        String method,
        AuthMetadata auth) {
      this.call = call;
      this.headers = headers;
      this.next = next;
      this.method = method;
      this.auth = auth;
    }

    @Override
    public void onMessage(ReqT message) {
      if (refused) {
        return;
      }
      if (delegate != null) {
        context.run(() -> delegate.onMessage(message));
        return;
      }
      VerifiedNode verified;
      TokenVerifier current = verifier.get();
      try {
        verified = current.verify(method, SignedBytes.of(message), auth);
      } catch (TokenRejectedException e) {
        Metadata trailers = new Metadata();
        if (e.reason() == RejectionReason.STALE_TIMESTAMP
            || e.reason() == RejectionReason.FUTURE_TIMESTAMP) {
          // The token verified: the caller holds its key, and may learn its clock is off.
          try {
            long skew = current.nowMillis() - Long.parseLong(auth.timestamp());
            trailers.put(CLOCK_SKEW, Long.toString(skew));
          } catch (NumberFormatException notANumber) {
            // a verified token has a numeric timestamp; nothing to add otherwise
          }
        }
        refusals.accept(role, e.reason().name().toLowerCase(java.util.Locale.ROOT));
        refuse(e.getMessage(), trailers);
        return;
      } catch (RuntimeException e) {
        refusals.accept(role, "error");
        refuse("verification failed: " + e);
        return;
      }
      AuthenticatedKey key =
          new AuthenticatedKey(verified.publicKey().blob(), verified.fingerprint());
      context = Context.current().withValue(AuthenticatedKey.CONTEXT_KEY, key);
      Context previous = context.attach();
      try {
        delegate = next.startCall(call, headers);
      } finally {
        context.detach(previous);
      }
      context.run(() -> delegate.onMessage(message));
      if (readyPending) {
        context.run(delegate::onReady);
      }
    }

    @Override
    public void onHalfClose() {
      if (delegate != null) {
        context.run(delegate::onHalfClose);
      } else if (!refused) {
        refusals.accept(role, "no_request");
        refuse("the call ended before its request arrived");
      }
    }

    @Override
    public void onCancel() {
      if (delegate != null) {
        context.run(delegate::onCancel);
      }
    }

    @Override
    public void onComplete() {
      if (delegate != null) {
        context.run(delegate::onComplete);
      }
    }

    @Override
    public void onReady() {
      if (delegate != null) {
        context.run(delegate::onReady);
      } else {
        readyPending = true;
      }
    }

    private void refuse(String reason) {
      refuse(reason, new Metadata());
    }

    private void refuse(String reason, Metadata trailers) {
      refused = true;
      log.warn("access denied to {} key {} on {}: {}", role, fingerprintOf(auth), method, reason);
      call.close(ACCESS_DENIED, trailers);
    }
  }

  /** The fingerprint of the key the caller claims, or a placeholder; never secret material. */
  static String fingerprintOf(AuthMetadata auth) {
    if (auth.publicKey() == null) {
      return "(none)";
    }
    String[] fields = auth.publicKey().strip().split("\\s+", 3);
    try {
      return KeyFingerprint.sha256(Base64.getDecoder().decode(fields.length > 1 ? fields[1] : ""));
    } catch (IllegalArgumentException e) {
      return "(unparsable)";
    }
  }
}
