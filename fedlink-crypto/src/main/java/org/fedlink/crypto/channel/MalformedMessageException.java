package org.fedlink.crypto.channel;

import java.security.GeneralSecurityException;

/** The bytes are not a {@link SealedMessage} encoding this version can read. */
public final class MalformedMessageException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  /** An exception whose message says which field is wrong and what is allowed. */
  public MalformedMessageException(String message) {
    super(message);
  }
}
