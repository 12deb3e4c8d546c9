package org.fedlink.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fedlink.crypto.tls.DevelopmentCa;

/** What the process tests share to start a SuperLink JVM over TLS on loopback. */
final class SuperLinkProcessArgs {
  private SuperLinkProcessArgs() {}

  /** A loopback port that was free a moment ago. */
  static int freeLoopbackPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * {@code superlink start} on {@code address} with the development CA's TLS files, state in {@code
   * home}, a 0.5 s heartbeat, then {@code extra}.
   */
  static List<String> start(String address, DevelopmentCa.CaFiles tls, Path home, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "superlink",
                "start",
                "--address",
                address,
                "--ssl-ca-certfile",
                tls.caCertificate().toString(),
                "--ssl-certfile",
                tls.serverCertificate().toString(),
                "--ssl-keyfile",
                tls.serverKey().toString(),
                "--home",
                home.toString(),
                "--heartbeat-interval",
                "0.5"));
    args.addAll(List.of(extra));
    return List.copyOf(args);
  }
}
