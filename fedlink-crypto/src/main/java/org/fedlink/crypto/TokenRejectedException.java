package org.fedlink.crypto;

import java.security.GeneralSecurityException;

/**
 * A request failed authentication. {@link #reason()} is the machine-readable cause; the message
 * adds detail for the server's log (key fingerprint, timestamps) and never holds a token or key.
 */
public final class TokenRejectedException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  private final RejectionReason reason;

  /**
   * Creates the exception.
   *
   * @param reason the cause
   * @param detail what exactly was wrong, safe to log
   */
  public TokenRejectedException(RejectionReason reason, String detail) {
    super(reason + ": " + detail);
    this.reason = reason;
  }

  /** Returns the cause of the rejection. */
  public RejectionReason reason() {
    return reason;
  }
}
