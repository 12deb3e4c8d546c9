package org.fedlink.superlink.state;

/**
 * A node as stored by the SuperLink.
 *
 * @param nodeId stable id of the node's identity
 * @param identityHash hex SHA-256 of the node's identity (public key line or token)
 * @param fingerprint display form of the identity, {@code SHA256:...} for OpenSSH keys
 * @param createdMs first registration
 * @param lastSeenMs last heartbeat persisted (the live value is kept in memory)
 * @param componentId the component id the node last registered with, or empty
 */
public record NodeRecord(
    long nodeId,
    String identityHash,
    String fingerprint,
    long createdMs,
    long lastSeenMs,
    String componentId) {}
