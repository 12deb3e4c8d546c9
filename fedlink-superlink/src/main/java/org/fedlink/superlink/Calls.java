package org.fedlink.superlink;

import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import org.fedlink.core.FedlinkException;
import org.fedlink.transport.Statuses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a service method and maps any failure to a status with a short public message; details go to
 * the local log only. One bad peer never reaches further than its own call.
 */
public final class Calls {
  private static final Logger log = LoggerFactory.getLogger(Calls.class);

  private Calls() {}

  public static <T> void unary(String method, StreamObserver<T> observer, Supplier<T> body) {
    T response;
    try {
      response = body.get();
    } catch (RuntimeException e) {
      fail(method, observer, e);
      return;
    }
    observer.onNext(response);
    observer.onCompleted();
  }

  /**
   * Runs the body of a server-streaming method; a failure closes the stream with a status, as for
   * {@link #unary}.
   */
  public static void streaming(String method, StreamObserver<?> observer, Runnable body) {
    try {
      body.run();
    } catch (RuntimeException e) {
      fail(method, observer, e);
    }
  }

  public static void fail(String method, StreamObserver<?> observer, Throwable e) {
    if (e instanceof FedlinkException f) {
      log.info("{} refused: {}", method, f.getMessage());
    } else if (!(e instanceof io.grpc.StatusRuntimeException)) {
      log.error("{} failed", method, e);
    }
    try {
      observer.onError(Statuses.toStatus(e));
    } catch (RuntimeException ignored) {
      // The call was already cancelled by the peer.
    }
  }
}
