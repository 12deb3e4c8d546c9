package org.fedlink.researcher;

/**
 * One node's answer to a training-plan approval request. Immutable.
 *
 * @param nodeId the node
 * @param received true if the node recorded the plan (then {@code message} gives its status there,
 *     e.g. "training plan 1a2b3c4d5e6f (plan.jar) is Pending on node 3")
 * @param message the node's status message, or why the request failed or timed out
 */
public record ApprovalAnswer(long nodeId, boolean received, String message) {}
