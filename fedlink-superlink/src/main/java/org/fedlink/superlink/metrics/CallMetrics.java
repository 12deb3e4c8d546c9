package org.fedlink.superlink.metrics;

import com.google.protobuf.MessageLite;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Objects;
import org.fedlink.proto.v1.PushResultRequest;
import org.fedlink.proto.v1.PushTasksRequest;

/**
 * Counts every call of a service by method and final status, the bytes of the messages each way,
 * the tasks pushed and the results received. Installed outermost, so refused calls count too.
 */
public final class CallMetrics implements ServerInterceptor {
  private final SuperLinkMetrics metrics;

  public CallMetrics(SuperLinkMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String method = call.getMethodDescriptor().getBareMethodName();
    ServerCall<ReqT, RespT> counted =
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void sendMessage(RespT message) {
            if (message instanceof MessageLite m) {
              metrics.sent(m.getSerializedSize());
            }
            super.sendMessage(message);
          }

          @Override
          public void close(Status status, Metadata trailers) {
            metrics.call(method, status.getCode().name());
            super.close(status, trailers);
          }
        };
    return new SimpleForwardingServerCallListener<>(next.startCall(counted, headers)) {
      @Override
      public void onMessage(ReqT message) {
        if (message instanceof MessageLite m) {
          metrics.received(m.getSerializedSize());
        }
        if (message instanceof PushTasksRequest p) {
          metrics.tasksPushed(p.getTasksCount());
        } else if (message instanceof PushResultRequest p) {
          metrics.result(p.getResult().getStatus().getCode() == 0);
        }
        super.onMessage(message);
      }
    };
  }
}
