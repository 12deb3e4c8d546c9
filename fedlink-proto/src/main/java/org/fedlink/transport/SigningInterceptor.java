package org.fedlink.transport;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.util.Objects;

/**
 * Adds a per-request token to every call of a channel. Headers leave before the request, so each
 * call is held back until its request is known: {@code start} and {@code request} are recorded, and
 * on {@code sendMessage} the request is signed ({@link SignedBytes}), the headers are merged and
 * the real call starts.
 *
 * <p>Only calls in which the client sends one message can be signed whole; the server refuses the
 * others. A call cancelled or half-closed before any message starts unsigned (the server then
 * refuses it or it ends as cancelled), so the caller's listener always hears the end. Thread-safe;
 * each call follows the {@link ClientCall} threading contract.
 */
public final class SigningInterceptor implements ClientInterceptor {
  private final RequestSigner signer;

  /** Creates the interceptor. */
  public SigningInterceptor(RequestSigner signer) {
    this.signer = Objects.requireNonNull(signer, "signer");
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
    return new SignedCall<>(next.newCall(method, callOptions), method.getFullMethodName());
  }

  private final class SignedCall<ReqT, RespT> extends ClientCall<ReqT, RespT> {
    private final ClientCall<ReqT, RespT> delegate;
    private final String method;
    private Listener<RespT> listener;
    private Metadata headers;
    private int requested;
    private Boolean compression;
    private boolean started;

    SignedCall(ClientCall<ReqT, RespT> delegate, String method) {
      this.delegate = delegate;
      this.method = method;
    }

    @Override
    public void start(Listener<RespT> responseListener, Metadata headers) {
      this.listener = responseListener;
      this.headers = headers;
    }

    @Override
    public void request(int numMessages) {
      if (started) {
        delegate.request(numMessages);
      } else {
        requested += numMessages;
      }
    }

    @Override
    public void sendMessage(ReqT message) {
      if (!started) {
        headers.merge(signer.sign(method, SignedBytes.of(message)));
        startDelegate();
      }
      delegate.sendMessage(message);
    }

    @Override
    public void halfClose() {
      if (!started) {
        startDelegate();
      }
      delegate.halfClose();
    }

    @Override
    public void cancel(String message, Throwable cause) {
      if (!started && listener != null) {
        startDelegate();
      }
      delegate.cancel(message, cause);
    }

    @Override
    public boolean isReady() {
      return started && delegate.isReady();
    }

    @Override
    public void setMessageCompression(boolean enabled) {
      if (started) {
        delegate.setMessageCompression(enabled);
      } else {
        compression = enabled;
      }
    }

    @Override
    public io.grpc.Attributes getAttributes() {
      return delegate.getAttributes();
    }

    private void startDelegate() {
      started = true;
      delegate.start(listener, headers);
      if (compression != null) {
        delegate.setMessageCompression(compression);
      }
      if (requested > 0) {
        delegate.request(requested);
      }
    }
  }
}
