package org.fedlink.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.EnumMap;
import java.util.Map;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.junit.jupiter.api.Test;

class StatusesTest {

  private static final Map<ErrorCode, Status.Code> TO_GRPC = new EnumMap<>(ErrorCode.class);

  static {
    TO_GRPC.put(ErrorCode.OK, Status.Code.INTERNAL);
    TO_GRPC.put(ErrorCode.INVALID_ARGUMENT, Status.Code.INVALID_ARGUMENT);
    TO_GRPC.put(ErrorCode.NOT_FOUND, Status.Code.NOT_FOUND);
    TO_GRPC.put(ErrorCode.ALREADY_EXISTS, Status.Code.ALREADY_EXISTS);
    TO_GRPC.put(ErrorCode.FAILED_PRECONDITION, Status.Code.FAILED_PRECONDITION);
    TO_GRPC.put(ErrorCode.UNAVAILABLE, Status.Code.UNAVAILABLE);
    TO_GRPC.put(ErrorCode.NODE_OFFLINE, Status.Code.FAILED_PRECONDITION);
    TO_GRPC.put(ErrorCode.TASK_FAILED, Status.Code.FAILED_PRECONDITION);
    TO_GRPC.put(ErrorCode.REFUSED, Status.Code.PERMISSION_DENIED);
    TO_GRPC.put(ErrorCode.UNAUTHENTICATED, Status.Code.UNAUTHENTICATED);
    TO_GRPC.put(ErrorCode.CONFIGURATION, Status.Code.INVALID_ARGUMENT);
    TO_GRPC.put(ErrorCode.INTERNAL, Status.Code.INTERNAL);
    TO_GRPC.put(ErrorCode.CANCELLED, Status.Code.CANCELLED);
    TO_GRPC.put(ErrorCode.TIMEOUT, Status.Code.DEADLINE_EXCEEDED);
    TO_GRPC.put(ErrorCode.NO_MATCHING_DATASET, Status.Code.NOT_FOUND);
    TO_GRPC.put(ErrorCode.RESOURCE_EXHAUSTED, Status.Code.RESOURCE_EXHAUSTED);
    TO_GRPC.put(ErrorCode.PRIVACY_BUDGET_EXHAUSTED, Status.Code.FAILED_PRECONDITION);
  }

  @Test
  void mapsEveryErrorCodeToItsStatusKeepingThePublicMessage() {
    assertThat(TO_GRPC).hasSize(ErrorCode.values().length);
    for (ErrorCode code : ErrorCode.values()) {
      StatusRuntimeException s = Statuses.toStatus(new FedlinkException(code, "run r1 unknown"));

      assertThat(s.getStatus().getCode()).as("%s", code).isEqualTo(TO_GRPC.get(code));
      String expected =
          TO_GRPC.get(code) == Status.Code.INTERNAL ? "internal error" : "run r1 unknown";
      assertThat(s.getStatus().getDescription()).as("%s", code).isEqualTo(expected);
    }
  }

  @Test
  void diskFullRoundTripsAsResourceExhaustedWithItsMessage() {
    StatusRuntimeException s =
        Statuses.toStatus(
            new FedlinkException(ErrorCode.RESOURCE_EXHAUSTED, "SuperLink disk full: 12 bytes"));

    FedlinkException back = Statuses.fromStatus(s, "upload");

    assertThat(back.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
    assertThat(back.getMessage()).isEqualTo("upload: SuperLink disk full: 12 bytes");
    assertThat(Statuses.isTransient(s)).isFalse();
  }

  @Test
  void hidesDetailsOfUnexpectedExceptions() {
    StatusRuntimeException s =
        Statuses.toStatus(new IllegalStateException("secret path /home/alice/key"));

    assertThat(s.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(s.getStatus().getDescription()).isEqualTo("internal error");
    assertThat(s.getCause()).isNull();
  }

  @Test
  void hidesTheMessageOfAnInternalFedlinkException() {
    StatusRuntimeException s =
        Statuses.toStatus(new FedlinkException(ErrorCode.INTERNAL, "database /var/x.sqlite"));

    assertThat(s.getStatus().getDescription()).isEqualTo("internal error");
  }

  @Test
  void passesAStatusThrough() {
    StatusRuntimeException original = Status.ABORTED.withDescription("x").asRuntimeException();

    assertThat(Statuses.toStatus(original)).isSameAs(original);
  }

  @Test
  void mapsEveryGrpcCodeBack() {
    Map<Status.Code, ErrorCode> expected = new EnumMap<>(Status.Code.class);
    expected.put(Status.Code.INVALID_ARGUMENT, ErrorCode.INVALID_ARGUMENT);
    expected.put(Status.Code.NOT_FOUND, ErrorCode.NOT_FOUND);
    expected.put(Status.Code.ALREADY_EXISTS, ErrorCode.ALREADY_EXISTS);
    expected.put(Status.Code.FAILED_PRECONDITION, ErrorCode.FAILED_PRECONDITION);
    expected.put(Status.Code.UNAVAILABLE, ErrorCode.UNAVAILABLE);
    expected.put(Status.Code.PERMISSION_DENIED, ErrorCode.REFUSED);
    expected.put(Status.Code.UNAUTHENTICATED, ErrorCode.UNAUTHENTICATED);
    expected.put(Status.Code.CANCELLED, ErrorCode.CANCELLED);
    expected.put(Status.Code.DEADLINE_EXCEEDED, ErrorCode.TIMEOUT);
    expected.put(Status.Code.RESOURCE_EXHAUSTED, ErrorCode.RESOURCE_EXHAUSTED);
    for (Status.Code c : Status.Code.values()) {
      StatusRuntimeException s = c.toStatus().withDescription("why").asRuntimeException();

      FedlinkException e = Statuses.fromStatus(s, "push tasks");

      assertThat(e.code()).as("%s", c).isEqualTo(expected.getOrDefault(c, ErrorCode.INTERNAL));
      assertThat(e).hasMessage("push tasks: why").hasCause(s);
    }
  }

  @Test
  void usesTheCodeNameWhenThePeerSentNoDescription() {
    FedlinkException e =
        Statuses.fromStatus(Status.UNAVAILABLE.asRuntimeException(), "connect to superlink");

    assertThat(e).hasMessage("connect to superlink: UNAVAILABLE");
  }

  @Test
  void roundTripKeepsCodesThatHaveTheirOwnStatus() {
    for (ErrorCode code :
        new ErrorCode[] {
          ErrorCode.INVALID_ARGUMENT,
          ErrorCode.NOT_FOUND,
          ErrorCode.ALREADY_EXISTS,
          ErrorCode.FAILED_PRECONDITION,
          ErrorCode.UNAVAILABLE,
          ErrorCode.REFUSED,
          ErrorCode.UNAUTHENTICATED,
          ErrorCode.CANCELLED,
          ErrorCode.TIMEOUT,
          ErrorCode.RESOURCE_EXHAUSTED
        }) {
      FedlinkException back =
          Statuses.fromStatus(Statuses.toStatus(new FedlinkException(code, "m")), "call");

      assertThat(back.code()).as("%s", code).isEqualTo(code);
      assertThat(back).hasMessage("call: m");
    }
  }

  @Test
  void retriesOnlyWhenThePeerIsAwayOrSlow() {
    assertThat(Statuses.isTransient(Status.UNAVAILABLE.asRuntimeException())).isTrue();
    assertThat(Statuses.isTransient(Status.DEADLINE_EXCEEDED.asRuntimeException())).isTrue();
    assertThat(Statuses.isTransient(Status.ABORTED.asRuntimeException())).isTrue();
    assertThat(
            Statuses.isTransient(
                Status.CANCELLED.withCause(new java.io.IOException("reset")).asRuntimeException()))
        .isTrue();

    assertThat(Statuses.isTransient(Status.CANCELLED.asRuntimeException())).isFalse();
    assertThat(Statuses.isTransient(Status.UNAUTHENTICATED.asRuntimeException())).isFalse();
    assertThat(Statuses.isTransient(Status.INVALID_ARGUMENT.asRuntimeException())).isFalse();
    assertThat(Statuses.isTransient(Status.INTERNAL.asRuntimeException())).isFalse();
    assertThat(Statuses.isTransient(Status.PERMISSION_DENIED.asRuntimeException())).isFalse();
  }

  @Test
  void retriesLocalUnavailableAndTimeoutOnly() {
    for (ErrorCode code : ErrorCode.values()) {
      boolean expected = code == ErrorCode.UNAVAILABLE || code == ErrorCode.TIMEOUT;

      assertThat(Statuses.isTransient(new FedlinkException(code, "m")))
          .as("%s", code)
          .isEqualTo(expected);
    }
    assertThat(Statuses.isTransient(new IllegalStateException("x"))).isFalse();
  }
}
