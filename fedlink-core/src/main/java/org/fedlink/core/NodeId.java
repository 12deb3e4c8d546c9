package org.fedlink.core;

/**
 * The SuperLink's identifier of a SuperNode: a positive 63-bit number, stable for a given identity
 * key.
 */
public record NodeId(long value) implements Comparable<NodeId> {
  /** The researcher as a relay endpoint. */
  public static final NodeId RESEARCHER = new NodeId(0);

  public NodeId {
    if (value < 0) {
      throw new IllegalArgumentException("node id must not be negative: " + value);
    }
  }

  @Override
  public int compareTo(NodeId o) {
    return Long.compare(value, o.value);
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
