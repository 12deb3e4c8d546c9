package org.fedlink.researcher;

import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/** A round could not complete; the message names the nodes and their reasons. */
public final class RoundFailedException extends FedlinkException {
  private static final long serialVersionUID = 1L;

  public RoundFailedException(String message) {
    super(ErrorCode.TASK_FAILED, message);
  }
}
