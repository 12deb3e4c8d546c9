package org.fedlink.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.fedlink.cli.demo.ChildProcesses;
import org.fedlink.crypto.tls.DevelopmentCa;

/** What the process tests share to start a SuperLink JVM over TLS on loopback and wait for it. */
final class SuperLinkProcessArgs {
  private SuperLinkProcessArgs() {}

  /** What the SuperLink logs once its port accepts connections. */
  static final String LISTENING = "SuperLink listening on";

  /** Generous: only reached if a JVM never becomes ready. */
  static final Duration STARTUP = Duration.ofMinutes(3);

  /**
   * Starts a SuperLink JVM with {@code args} and returns once it logs that it listens: a JVM can
   * take longer to start on a busy machine than a researcher's first-contact timeout.
   */
  static ChildProcesses.Child startListening(ChildProcesses children, List<String> args, Path log)
      throws Exception {
    ChildProcesses.Child link = children.start("superlink", args, log);
    ChildProcesses.awaitLogLine(link, LISTENING, STARTUP);
    return link;
  }

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
