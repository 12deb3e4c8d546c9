package org.fedlink.supernode.plans;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/** Approval status of a training plan on a node, stored by its display name. */
public enum PlanStatus {
  PENDING("Pending"),
  APPROVED("Approved"),
  REJECTED("Rejected");

  private final String display;

  PlanStatus(String display) {
    this.display = display;
  }

  /** The name stored in the database and shown to users: Pending, Approved, Rejected. */
  public String display() {
    return display;
  }

  /**
   * The status named {@code text}, ignoring case.
   *
   * @throws FedlinkException {@link ErrorCode#INVALID_ARGUMENT} naming the value and the allowed
   *     ones
   */
  public static PlanStatus parse(String text) {
    for (PlanStatus s : values()) {
      if (s.display.equalsIgnoreCase(text == null ? "" : text.strip())) {
        return s;
      }
    }
    throw new FedlinkException(
        ErrorCode.INVALID_ARGUMENT,
        "training plan status "
            + text
            + " is unknown; use one of "
            + Arrays.stream(values()).map(PlanStatus::display).collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return display;
  }
}
