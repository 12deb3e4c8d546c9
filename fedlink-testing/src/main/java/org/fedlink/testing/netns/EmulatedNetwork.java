package org.fedlink.testing.netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hosts in network namespaces of their own, each joined to a star by one shaped link (see {@link
 * LinkShaper}), so that real kernel TCP stacks see real delay, loss and cuts. Host {@code i} of the
 * list has the address {@code 198.18.0.(i+1)} (the range RFC 2544 sets aside for benchmarks);
 * processes enter a host with {@link #exec}. The links are shaped by the kernel's netem qdisc when
 * it exists, else by a user-space emulator relaying frames between TAP devices.
 *
 * <p>Needs root, {@code ip} and either netem or {@code /dev/net/tun} (see {@link #unavailable()}).
 * Names carry this JVM's process id and a random suffix; {@link #start} first removes what runs of
 * processes that no longer exist left behind (a killed test), and {@link #close} removes everything
 * this network made, also from a shutdown hook. Not thread-safe, except {@link #links()}.
 */
public final class EmulatedNetwork implements AutoCloseable {
  private static final String PREFIX = "fln";
  private static final Pattern NAMESPACE = Pattern.compile("^fln-([0-9a-z]{7})-\\S+");
  private static final Pattern DEVICE = Pattern.compile("^\\d+: (fln([0-9a-z]{7})-[0-9a-z]+)[@:]");
  private static volatile Boolean netem;

  private final String runId;
  private final Map<String, Integer> index = new LinkedHashMap<>();
  private final List<String> namespaces = new ArrayList<>();
  private final Map<String, String> rootAddress = new LinkedHashMap<>();
  private final Thread cleanup = new Thread(this::removeAll, "emulated-network-cleanup");
  private LinkShaper links;

  private EmulatedNetwork(String runId) {
    this.runId = runId;
  }

  /**
   * Why this machine cannot build the network, or empty if it can: not root, no {@code ip}, or
   * neither netem nor a TUN device.
   */
  public static Optional<String> unavailable() {
    Commands.Outcome id = Commands.attempt("id", "-u");
    if (!id.ok() || !id.output().equals("0")) {
      return Optional.of("network namespaces need root (id -u: " + id.output() + ")");
    }
    if (!Commands.attempt("ip", "-V").ok()) {
      return Optional.of("the ip command (iproute2) is not installed");
    }
    if (!netemAvailable() && !Files.exists(Path.of("/dev/net/tun"))) {
      return Optional.of(
          "this kernel has no netem qdisc and there is no /dev/net/tun for TAP links");
    }
    return Optional.empty();
  }

  /**
   * Fails the calling test, saying what is missing and what to do, if this machine cannot build the
   * network: the tests over shaped links run as root, as CI does, and do not skip.
   *
   * @throws AssertionError naming what is missing
   */
  public static void requireAvailable() {
    unavailable()
        .ifPresent(
            why -> {
              throw new AssertionError(
                  "the tests over shaped network links cannot run: "
                      + why
                      + "; run them as root on Linux with iproute2 and /dev/net/tun (.ci/run"
                      + " installs iproute2 and python3)");
            });
  }

  /** Whether the kernel's netem qdisc shapes the links (tried once per JVM). */
  public static synchronized boolean netemAvailable() {
    if (netem == null) {
      netem = NetemLinks.available(PREFIX + "-" + newRunId() + "-probe");
    }
    return netem;
  }

  /**
   * Creates one namespace per host, joined by links without delay or loss, after removing what
   * earlier runs left. {@code folder} receives the emulator and its log.
   */
  public static EmulatedNetwork start(Path folder, List<String> hosts, long seed)
      throws IOException {
    if (hosts.isEmpty() || hosts.size() > 250) {
      throw new IllegalArgumentException("1 to 250 hosts, got " + hosts.size());
    }
    sweepStale();
    boolean kernel = netemAvailable();
    EmulatedNetwork n = new EmulatedNetwork(newRunId());
    Runtime.getRuntime().addShutdownHook(n.cleanup);
    try {
      Files.createDirectories(folder);
      for (String host : hosts) {
        if (n.index.putIfAbsent(host, n.index.size()) != null) {
          throw new IllegalArgumentException("host " + host + " named twice");
        }
        String ns = n.namespace(host);
        Commands.run("ip", "netns", "add", ns);
        n.namespaces.add(ns);
        Commands.run("ip", "-n", ns, "link", "set", "lo", "up");
      }
      n.links = kernel ? n.netemStar() : n.tapStar(folder, seed);
      return n;
    } catch (RuntimeException | IOException e) {
      n.close();
      throw e;
    }
  }

  private TapRelay tapStar(Path folder, long seed) throws IOException {
    Map<String, String> tapOf = new LinkedHashMap<>();
    for (String host : index.keySet()) {
      tapOf.put(host, device(host));
    }
    TapRelay relay = TapRelay.start(folder, tapOf, seed);
    for (String host : index.keySet()) {
      String ns = namespace(host);
      String tap = device(host);
      Commands.run("ip", "link", "set", tap, "netns", ns);
      Commands.run("ip", "-n", ns, "addr", "add", address(host) + "/24", "dev", tap);
      Commands.run("ip", "-n", ns, "link", "set", tap, "up");
    }
    return relay;
  }

  private NetemLinks netemStar() {
    String hub = PREFIX + "-" + runId + "-hub";
    Commands.run("ip", "netns", "add", hub);
    namespaces.add(hub);
    Commands.run("ip", "-n", hub, "link", "add", "br0", "type", "bridge");
    Commands.run("ip", "-n", hub, "link", "set", "br0", "up");
    Map<String, NetemLinks.Ends> ends = new LinkedHashMap<>();
    for (String host : index.keySet()) {
      String ns = namespace(host);
      String dev = device(host);
      String peer = dev + "h";
      Commands.run("ip", "link", "add", dev, "type", "veth", "peer", "name", peer);
      Commands.run("ip", "link", "set", dev, "netns", ns);
      Commands.run("ip", "link", "set", peer, "netns", hub);
      Commands.run("ip", "-n", hub, "link", "set", peer, "master", "br0", "up");
      Commands.run("ip", "-n", ns, "addr", "add", address(host) + "/24", "dev", dev);
      Commands.run("ip", "-n", ns, "link", "set", dev, "up");
      ends.put(host, new NetemLinks.Ends(ns, dev, hub, peer));
    }
    return new NetemLinks(ends);
  }

  /** The host's address on the star. */
  public String address(String host) {
    return "198.18.0." + (indexOf(host) + 1);
  }

  /** The host's namespace. */
  public String namespace(String host) {
    return PREFIX + "-" + runId + "-" + indexOf(host);
  }

  /** The command prefix that runs a command inside the host's namespace. */
  public List<String> exec(String host) {
    return List.of("ip", "netns", "exec", namespace(host));
  }

  /** Shapes, cuts and restores the hosts' links. */
  public LinkShaper links() {
    return links;
  }

  /**
   * Joins this JVM's namespace to {@code host} by a veth pair outside the star (no delay, no loss):
   * what runs here reaches the host as if beside it. Returns the host's address on that pair.
   */
  public String connectRoot(String host) {
    String existing = rootAddress.get(host);
    if (existing != null) {
      return existing;
    }
    String taken = Commands.run("ip", "-o", "-4", "addr", "show");
    int subnet = -1;
    for (int k = 1 + new SecureRandom().nextInt(250), tries = 0; tries < 250; k = k % 250 + 1) {
      tries++;
      if (!taken.contains("198.19." + k + ".")) {
        subnet = k;
        break;
      }
    }
    if (subnet < 0) {
      throw new IllegalStateException("no free 198.19.k.0/30 subnet for a veth pair");
    }
    String here = device(host) + "r";
    String there = device(host) + "p";
    String ns = namespace(host);
    Commands.run("ip", "link", "add", here, "type", "veth", "peer", "name", there);
    Commands.run("ip", "link", "set", there, "netns", ns);
    Commands.run("ip", "addr", "add", "198.19." + subnet + ".1/30", "dev", here);
    Commands.run("ip", "link", "set", here, "up");
    String address = "198.19." + subnet + ".2";
    Commands.run("ip", "-n", ns, "addr", "add", address + "/30", "dev", there);
    Commands.run("ip", "-n", ns, "link", "set", there, "up");
    rootAddress.put(host, address);
    return address;
  }

  private int indexOf(String host) {
    Integer i = index.get(host);
    if (i == null) {
      throw new IllegalArgumentException("unknown host " + host + "; hosts: " + index.keySet());
    }
    return i;
  }

  private String device(String host) {
    return PREFIX + runId + "-" + indexOf(host);
  }

  /** Ends the link emulator, kills what still runs in the namespaces and deletes them. */
  @Override
  public void close() {
    removeAll();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook runs this anyway.
    }
  }

  private synchronized void removeAll() {
    if (links != null) {
      links.close();
      links = null;
    }
    for (String ns : namespaces) {
      removeNamespace(ns);
    }
    namespaces.clear();
  }

  private static void removeNamespace(String ns) {
    Commands.Outcome pids = Commands.attempt("ip", "netns", "pids", ns);
    if (pids.ok()) {
      for (String pid : pids.output().split("\\s+")) {
        if (!pid.isBlank()) {
          ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    }
    // Deleting a namespace also deletes the veth pairs with an end in it.
    Commands.attempt("ip", "netns", "del", ns);
  }

  /**
   * Removes the namespaces and devices of runs whose JVM no longer exists (a test killed before its
   * cleanup), with whatever still runs inside them.
   */
  static void sweepStale() {
    for (String line : Commands.attempt("ip", "netns", "list").output().split("\n")) {
      Matcher m = NAMESPACE.matcher(line.trim());
      if (m.find() && !alive(m.group(1))) {
        removeNamespace(line.trim().split("\\s+")[0]);
      }
    }
    for (String line : Commands.attempt("ip", "-o", "link", "show").output().split("\n")) {
      Matcher m = DEVICE.matcher(line.trim());
      if (m.find() && !alive(m.group(2))) {
        Commands.attempt("ip", "link", "del", m.group(1));
      }
    }
  }

  /** A run id: this JVM's pid in base 36 on 5 characters, then 2 random ones. */
  private static String newRunId() {
    String pid = Long.toString(ProcessHandle.current().pid(), 36);
    String padded = "0".repeat(Math.max(0, 5 - pid.length())) + pid;
    String random = Integer.toString(36 * 36 + new SecureRandom().nextInt(36 * 36 * 35), 36);
    return padded + random.substring(random.length() - 2);
  }

  private static boolean alive(String runId) {
    long pid = Long.parseLong(runId.substring(0, 5), 36);
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
