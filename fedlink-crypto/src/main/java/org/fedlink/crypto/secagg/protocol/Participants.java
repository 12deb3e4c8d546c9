package org.fedlink.crypto.secagg.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The nodes of one secure-aggregation setup in a fixed order, each with the component id the
 * researcher's registry knows it by. Share j of every node's key goes to participant j. Encoded in
 * a task as {@code nodeId=componentId,nodeId=componentId,...}. Immutable and thread-safe.
 *
 * @param nodeIds node ids, distinct, at least two
 * @param componentIds the component id of each node, distinct, same order
 */
public record Participants(List<Long> nodeIds, List<String> componentIds) {
  private static final Pattern COMPONENT_ID = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");

  /**
   * @throws IllegalArgumentException if the lists differ in length, hold fewer than two entries,
   *     repeat a node or component, or a component id has characters outside [A-Za-z0-9._:@-]
   */
  public Participants {
    nodeIds = List.copyOf(nodeIds);
    componentIds = List.copyOf(componentIds);
    if (nodeIds.size() != componentIds.size()) {
      throw new IllegalArgumentException(
          nodeIds.size() + " node ids but " + componentIds.size() + " component ids");
    }
    if (nodeIds.size() < 2) {
      throw new IllegalArgumentException(
          nodeIds.size() + " participant(s); secure aggregation needs at least 2");
    }
    if (nodeIds.stream().distinct().count() != nodeIds.size()) {
      throw new IllegalArgumentException("a node id appears twice: " + nodeIds);
    }
    if (componentIds.stream().distinct().count() != componentIds.size()) {
      throw new IllegalArgumentException(
          "a component id appears twice: "
              + componentIds
              + "; each node needs its own certificate");
    }
    for (String c : componentIds) {
      if (!COMPONENT_ID.matcher(c).matches()) {
        throw new IllegalArgumentException(
            "component id '" + c + "' has characters outside [A-Za-z0-9._:@-] or is too long");
      }
    }
  }

  /** Participants in the iteration order of {@code componentByNode}. */
  public static Participants of(Map<Long, String> componentByNode) {
    return new Participants(
        new ArrayList<>(componentByNode.keySet()), new ArrayList<>(componentByNode.values()));
  }

  /** The number of participants. */
  public int size() {
    return nodeIds.size();
  }

  /** The position of {@code nodeId}, or -1. */
  public int indexOf(long nodeId) {
    return nodeIds.indexOf(nodeId);
  }

  /** The component id of {@code nodeId}, if it participates. */
  public Optional<String> componentOf(long nodeId) {
    int i = indexOf(nodeId);
    return i < 0 ? Optional.empty() : Optional.of(componentIds.get(i));
  }

  /** The task config encoding. */
  public String encode() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < size(); i++) {
      if (i > 0) {
        s.append(',');
      }
      s.append(nodeIds.get(i)).append('=').append(componentIds.get(i));
    }
    return s.toString();
  }

  /**
   * Parses {@link #encode()} output.
   *
   * @throws IllegalArgumentException if the text is malformed (see the constructor)
   */
  public static Participants parse(String text) {
    Map<Long, String> out = new LinkedHashMap<>();
    for (String item : text.split(",", -1)) {
      int eq = item.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("participant '" + item + "' is not nodeId=componentId");
      }
      long node;
      try {
        node = Long.parseLong(item.substring(0, eq));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("participant '" + item + "' has no numeric node id");
      }
      if (out.put(node, item.substring(eq + 1)) != null) {
        throw new IllegalArgumentException("node " + node + " is listed twice");
      }
    }
    return of(out);
  }
}
