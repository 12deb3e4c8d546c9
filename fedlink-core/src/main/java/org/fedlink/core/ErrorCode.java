package org.fedlink.core;

/**
 * The public error catalogue: every error a peer or a user sees carries one of these codes and a
 * short message. Codes are stable on the wire ({@link #code()}).
 */
public enum ErrorCode {
  OK(0),
  INVALID_ARGUMENT(1),
  NOT_FOUND(2),
  ALREADY_EXISTS(3),
  FAILED_PRECONDITION(4),
  UNAVAILABLE(5),
  NODE_OFFLINE(6),
  TASK_FAILED(7),
  REFUSED(8),
  UNAUTHENTICATED(9),
  CONFIGURATION(10),
  INTERNAL(11),
  CANCELLED(12),
  TIMEOUT(13),
  /**
   * Out of a resource that frees up by itself or by an admin: disk space, or a limit of the
   * SuperLink (a quota, whose message names the limit and its key).
   */
  RESOURCE_EXHAUSTED(14),
  /** The node holds no dataset with the tags a task asks for: the node can sit the round out. */
  NO_MATCHING_DATASET(15),
  /**
   * Differential privacy: the epsilon budget does not allow a single round (the message gives the
   * epsilon of one round and the budget).
   */
  PRIVACY_BUDGET_EXHAUSTED(24);

  private final int code;

  ErrorCode(int code) {
    this.code = code;
  }

  /** The stable numeric code used on the wire. */
  public int code() {
    return code;
  }

  /** The code with this number, or {@link #INTERNAL} for an unknown one. */
  public static ErrorCode of(int code) {
    for (ErrorCode c : values()) {
      if (c.code == code) {
        return c;
      }
    }
    return INTERNAL;
  }
}
