package org.fedlink.crypto.channel;

import java.security.GeneralSecurityException;

/**
 * A sealed message names another sender, recipient or context than the one opening it expects: a
 * misrouted or replayed message.
 */
public final class MisaddressedMessageException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  /** An exception whose message names the field, the found and the expected value. */
  public MisaddressedMessageException(String message) {
    super(message);
  }
}
