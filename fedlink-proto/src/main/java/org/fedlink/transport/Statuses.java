package org.fedlink.transport;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * Maps between Fedlink's error catalogue and gRPC statuses. A peer only ever sees the short public
 * message of a {@link FedlinkException}; anything else becomes "internal error".
 */
public final class Statuses {
  private Statuses() {}

  /** The status a peer sees for this failure. */
  public static StatusRuntimeException toStatus(Throwable t) {
    if (t instanceof StatusRuntimeException s) {
      return s;
    }
    if (!(t instanceof FedlinkException e)) {
      return Status.INTERNAL.withDescription("internal error").asRuntimeException();
    }
    Status status =
        switch (e.code()) {
          case INVALID_ARGUMENT, CONFIGURATION -> Status.INVALID_ARGUMENT;
          case NOT_FOUND, NO_MATCHING_DATASET -> Status.NOT_FOUND;
          case ALREADY_EXISTS -> Status.ALREADY_EXISTS;
          case FAILED_PRECONDITION, NODE_OFFLINE, TASK_FAILED -> Status.FAILED_PRECONDITION;
          case PRIVACY_BUDGET_EXHAUSTED -> Status.FAILED_PRECONDITION;
          case UNAVAILABLE -> Status.UNAVAILABLE;
          case REFUSED -> Status.PERMISSION_DENIED;
          case UNAUTHENTICATED -> Status.UNAUTHENTICATED;
          case CANCELLED -> Status.CANCELLED;
          case TIMEOUT -> Status.DEADLINE_EXCEEDED;
          case RESOURCE_EXHAUSTED -> Status.RESOURCE_EXHAUSTED;
          default -> Status.INTERNAL;
        };
    String message = status == Status.INTERNAL ? "internal error" : e.peerMessage();
    return status.withDescription(message).asRuntimeException();
  }

  /** A local exception for a failed call, keeping the peer's public message. */
  public static FedlinkException fromStatus(StatusRuntimeException e, String what) {
    Status s = e.getStatus();
    String detail = s.getDescription() == null ? s.getCode().toString() : s.getDescription();
    ErrorCode code =
        switch (s.getCode()) {
          case INVALID_ARGUMENT -> ErrorCode.INVALID_ARGUMENT;
          case NOT_FOUND -> ErrorCode.NOT_FOUND;
          case ALREADY_EXISTS -> ErrorCode.ALREADY_EXISTS;
          case FAILED_PRECONDITION -> ErrorCode.FAILED_PRECONDITION;
          case UNAVAILABLE -> ErrorCode.UNAVAILABLE;
          case PERMISSION_DENIED -> ErrorCode.REFUSED;
          case UNAUTHENTICATED -> ErrorCode.UNAUTHENTICATED;
          case CANCELLED -> ErrorCode.CANCELLED;
          case DEADLINE_EXCEEDED -> ErrorCode.TIMEOUT;
          case RESOURCE_EXHAUSTED -> ErrorCode.RESOURCE_EXHAUSTED;
          default -> ErrorCode.INTERNAL;
        };
    return new FedlinkException(code, what + ": " + detail, e);
  }

  /** True for failures worth retrying after a pause: the peer is away or restarting. */
  public static boolean isTransient(Throwable t) {
    if (t instanceof StatusRuntimeException s) {
      Status.Code c = s.getStatus().getCode();
      return c == Status.Code.UNAVAILABLE
          || c == Status.Code.DEADLINE_EXCEEDED
          || c == Status.Code.ABORTED
          || c == Status.Code.CANCELLED && s.getCause() != null;
    }
    return t instanceof FedlinkException f
        && (f.code() == ErrorCode.UNAVAILABLE || f.code() == ErrorCode.TIMEOUT);
  }
}
