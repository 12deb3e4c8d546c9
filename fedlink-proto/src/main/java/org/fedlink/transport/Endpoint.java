package org.fedlink.transport;

import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * A {@code HOST:PORT} address, or the name of an in-process server ({@link #inProcess}: a
 * simulation's SuperLink and its virtual nodes in one JVM, no sockets).
 *
 * @param host a name or IP literal (IPv6 in brackets on input)
 * @param port 1..65535
 */
public record Endpoint(String host, int port) {

  public Endpoint {
    if (host == null || host.isBlank()) {
      throw new FedlinkException(ErrorCode.INVALID_ARGUMENT, "address has an empty host");
    }
    if (port < 0 || port > 65535) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT, "port " + port + " is out of range: use 1..65535");
    }
  }

  private static final String IN_PROCESS = "in-process:";

  /** The in-process server called {@code name}; only reachable from within this JVM. */
  public static Endpoint inProcess(String name) {
    return new Endpoint(IN_PROCESS + name, 0);
  }

  /** Whether this names an in-process server rather than a network address. */
  public boolean isInProcess() {
    return host.startsWith(IN_PROCESS);
  }

  /** The in-process server's name. */
  public String inProcessName() {
    if (!isInProcess()) {
      throw new IllegalStateException(this + " is a network address");
    }
    return host.substring(IN_PROCESS.length());
  }

  /**
   * Parses {@code HOST:PORT} or {@code [IPV6]:PORT}.
   *
   * @throws FedlinkException saying what is wrong with the text
   */
  public static Endpoint parse(String text) {
    if (text == null) {
      throw new FedlinkException(ErrorCode.INVALID_ARGUMENT, "address is missing: use HOST:PORT");
    }
    String t = text.trim();
    int colon = t.lastIndexOf(':');
    if (colon <= 0 || colon == t.length() - 1) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "address '" + text + "' is not HOST:PORT (for example 127.0.0.1:9092)");
    }
    String host = t.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(t.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "address '" + text + "' has a port that is not a number: use HOST:PORT");
    }
    return new Endpoint(host, port);
  }

  @Override
  public String toString() {
    if (isInProcess()) {
      return host;
    }
    return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
  }
}
