package org.fedlink.core.config;

/**
 * A {@code host:port} address; IPv6 literals are written in brackets ({@code [::1]:9092}).
 * Immutable.
 *
 * @param host a DNS name or IP literal, without brackets
 * @param port 1..65535
 */
public record HostPort(String host, int port) {
  public HostPort {
    if (host == null || host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(
          "has no usable host; use host:port such as localhost:9092");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("has port " + port + " out of range; use 1..65535");
    }
  }

  /**
   * Parses {@code host:port} or {@code [ipv6]:port}.
   *
   * @throws IllegalArgumentException with a message that continues "value ..." (e.g. "is not
   *     host:port; ...")
   */
  public static HostPort parse(String text) {
    String s = text.strip();
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      throw new IllegalArgumentException("is not host:port; use e.g. localhost:9092 or [::1]:9092");
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException(
          "is not host:port; write IPv6 hosts in brackets: [::1]:9092");
    }
    int port;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "has a port that is not a number; use e.g. localhost:9092");
    }
    return new HostPort(host, port);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
