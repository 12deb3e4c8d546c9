package org.fedlink.transport;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.concurrent.Executor;

/**
 * A call that never reaches the network: it ends with a given status as soon as it starts, on the
 * call's executor when it has one (as a real call would). For an interceptor that must refuse a
 * call locally. Follows the {@link ClientCall} threading contract.
 */
final class FailedCall<ReqT, RespT> extends ClientCall<ReqT, RespT> {
  private final Status status;
  private final Executor executor;

  FailedCall(Status status, CallOptions options) {
    this.status = status;
    this.executor = options.getExecutor() == null ? Runnable::run : options.getExecutor();
  }

  @Override
  public void start(Listener<RespT> listener, Metadata headers) {
    executor.execute(() -> listener.onClose(status, new Metadata()));
  }

  @Override
  public void request(int numMessages) {}

  @Override
  public void cancel(String message, Throwable cause) {}

  @Override
  public void halfClose() {}

  @Override
  public void sendMessage(ReqT message) {}
}
