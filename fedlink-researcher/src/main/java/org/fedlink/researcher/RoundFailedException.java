package org.fedlink.researcher;

import java.util.List;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * A round could not complete; the message names the nodes and their reasons. {@link #lostNodes()}
 * tells a round that failed because nodes went away (offline, or no answer in time: a LOM or
 * Joye-Libert round needs every participant, a plain round its minimum, SecAgg+ its threshold) from
 * one that failed for another reason (a refusal, a broken task, a failed check).
 */
public final class RoundFailedException extends FedlinkException {
  private static final long serialVersionUID = 1L;

  private final List<String> lostNodes;

  public RoundFailedException(String message) {
    this(message, List.of());
  }

  /**
   * @param lostNodes messages of the nodes lost during the round, whose loss failed it
   */
  public RoundFailedException(String message, List<String> lostNodes) {
    super(ErrorCode.TASK_FAILED, message);
    this.lostNodes = List.copyOf(lostNodes);
  }

  /** Messages of the nodes whose loss failed the round; empty if it failed for another reason. */
  public List<String> lostNodes() {
    return lostNodes;
  }
}
