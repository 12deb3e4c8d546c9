package org.fedlink.core;

import java.util.Objects;

/**
 * The one unchecked exception of Fedlink outside cryptography. Its message is meant for a user: it
 * says what was wrong, the value, and what is allowed or what to do.
 */
public class FedlinkException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;

  public FedlinkException(ErrorCode code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  public FedlinkException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  public ErrorCode code() {
    return code;
  }
}
