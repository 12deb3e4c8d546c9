package org.fedlink.core;

import java.util.Objects;

/**
 * The one unchecked exception of Fedlink outside cryptography. Its message is meant for a user: it
 * says what was wrong, the value, and what is allowed or what to do.
 */
public class FedlinkException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;
  private final String peerMessage;

  public FedlinkException(ErrorCode code, String message) {
    this(code, message, null, null);
  }

  public FedlinkException(ErrorCode code, String message, Throwable cause) {
    this(code, message, null, cause);
  }

  private FedlinkException(ErrorCode code, String message, String peerMessage, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
    this.peerMessage = peerMessage;
  }

  /**
   * An exception whose message for this machine's user and log ({@code local}: paths, values)
   * differs from what another party may be told ({@code peer}: no local path, no data value).
   */
  public static FedlinkException withPeerMessage(ErrorCode code, String local, String peer) {
    return new FedlinkException(code, local, Objects.requireNonNull(peer, "peer"), null);
  }

  /**
   * The same failure with {@code prefix} before both messages, e.g. the dataset it concerns.
   *
   * @param prefix text safe for another party
   */
  public FedlinkException prefixed(String prefix) {
    return new FedlinkException(code, prefix + getMessage(), prefix + peerMessage(), this);
  }

  /** What another party may be told: the message unless a separate one was given. */
  public String peerMessage() {
    return peerMessage != null ? peerMessage : getMessage();
  }

  public ErrorCode code() {
    return code;
  }
}
