package org.fedlink.ml.worker;

/** A plan worker's bytes broke {@link WorkerWire}: a length out of bounds, a frame cut short. */
public final class WorkerProtocolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WorkerProtocolException(String message) {
    super(message);
  }

  public WorkerProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
