package org.fedlink.bench.swarm;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.fedlink.superlink.SuperLink;
import org.fedlink.superlink.auth.SuperLinkAuthentication;
import org.fedlink.transport.Endpoint;

/**
 * The SuperLink process a {@link Swarm} starts: a real SuperLink with TLS and node authentication
 * (built as {@code fedlink superlink start} builds it), which prints once a second its process CPU
 * time, used heap and thread count so the swarm can report them. Usage: {@code SwarmSuperLink
 * <home> <port> <ca.pem> <server.pem> <server.key> <node keys file> <superlink private key>
 * <heartbeat seconds>}.
 */
public final class SwarmSuperLink {
  private SwarmSuperLink() {}

  public static void main(String[] args) throws Exception {
    long mainMs = System.currentTimeMillis();
    long jvmMs = mainMs - ManagementFactory.getRuntimeMXBean().getStartTime();
    Path home = Path.of(args[0]);
    int port = Integer.parseInt(args[1]);
    Path ca = Path.of(args[2]);
    Path cert = Path.of(args[3]);
    Path key = Path.of(args[4]);
    Path nodeKeys = Path.of(args[5]);
    Path linkKey = Path.of(args[6]);
    int heartbeat = Integer.parseInt(args[7]);
    SuperLinkAuthentication auth =
        SuperLinkAuthentication.builder()
            .nodeKeys(nodeKeys)
            .superlinkKeys(linkKey, Path.of(linkKey + ".pub"))
            // The swarm's researcher pushes the measured round without a key.
            .allowAnonymousControl(true)
            .build();
    long authMs = System.currentTimeMillis();
    SuperLink link =
        SuperLink.builder()
            .address(new Endpoint("127.0.0.1", port))
            .tls(ca, cert, key)
            .home(home)
            .heartbeatInterval(Duration.ofSeconds(heartbeat))
            .authentication(auth)
            .build()
            .start();
    long startMs = System.currentTimeMillis();
    // Where the time before listening goes: the JVM, the key lists, the SuperLink's start (state,
    // shared keys restored, server).
    System.out.printf(
        Locale.ROOT,
        "startup: JVM %d ms, %d node keys read %d ms, SuperLink start %d ms%n",
        jvmMs,
        auth.nodeKeys().keys().size(),
        authMs - mainMs,
        startMs - authMs);
    System.out.println("SuperLink listening on " + link.port());
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    while (true) {
      System.out.printf(
          Locale.ROOT,
          "stats %d %d %d %d %d%n",
          System.nanoTime(),
          os.getProcessCpuTime(),
          memory.getHeapMemoryUsage().getUsed(),
          memory.getHeapMemoryUsage().getCommitted(),
          Thread.activeCount());
      Thread.sleep(1000);
    }
  }
}
