package org.fedlink.testing.netns;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Links shaped by {@code link_emulator.py}, a user-space relay of Ethernet frames between TAP
 * devices (a star through one hub), for kernels without the netem qdisc. The emulator owns the TAP
 * devices: they vanish when it exits. Commands go to its stdin, one per line, and each is answered
 * with one line on its stdout.
 */
final class TapRelay implements LinkShaper {
  /** The emulator, a resource of this package. */
  static final String SCRIPT = "link_emulator.py";

  private static final Duration ANSWER = Duration.ofSeconds(10);

  private final Process process;
  private final Writer commands;
  private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
  private final Map<String, String> tapOf;

  private TapRelay(Process process, Map<String, String> tapOf) {
    this.process = process;
    this.tapOf = tapOf;
    this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  answers.add(line);
                }
              } catch (IOException e) {
                // The emulator ended: commands now fail, naming its log.
              }
            },
            "link-emulator-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts the emulator with one TAP device per host ({@code tapOf}: host to device name) and waits
   * until every device exists. Its stderr goes to {@code folder/link-emulator.log}.
   */
  static TapRelay start(Path folder, Map<String, String> tapOf, long seed) throws IOException {
    Path script = folder.resolve(SCRIPT);
    try (InputStream in = TapRelay.class.getResourceAsStream(SCRIPT)) {
      if (in == null) {
        throw new IllegalStateException(SCRIPT + " is missing from the class path");
      }
      Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    List<String> cmd = new ArrayList<>(List.of("python3", script.toString(), "--seed", "" + seed));
    cmd.addAll(tapOf.values());
    Process p =
        new ProcessBuilder(cmd).redirectError(folder.resolve("link-emulator.log").toFile()).start();
    TapRelay relay = new TapRelay(p, Map.copyOf(tapOf));
    String first = relay.answer();
    if (!first.startsWith("ready")) {
      relay.close();
      throw new IllegalStateException("link emulator did not start: " + first);
    }
    return relay;
  }

  @Override
  public String mechanism() {
    return "user-space link emulator " + SCRIPT + " (TAP devices; this kernel has no netem qdisc)";
  }

  @Override
  public void shape(String host, Duration oneWayDelay, double loss) {
    command(
        String.format(
            Locale.ROOT,
            "set %s both delay_ms=%.3f loss=%.6f",
            tap(host),
            oneWayDelay.toNanos() / 1e6,
            loss));
  }

  @Override
  public void cut(String host) {
    command("cut " + tap(host));
  }

  @Override
  public void restore(String host) {
    command("restore " + tap(host));
  }

  @Override
  public Optional<LinkStats> stats(String host) {
    String answer = command("stats " + tap(host));
    Map<String, Long> v = new java.util.HashMap<>();
    for (String word : answer.split(" ")) {
      int eq = word.indexOf('=');
      if (eq > 0) {
        v.put(word.substring(0, eq), Long.parseLong(word.substring(eq + 1)));
      }
    }
    return Optional.of(
        new LinkStats(
            v.get("up_frames"),
            v.get("up_lost"),
            v.get("down_frames"),
            v.get("down_lost"),
            v.get("cut_dropped")));
  }

  private String tap(String host) {
    String tap = tapOf.get(host);
    if (tap == null) {
      throw new IllegalArgumentException("no link for host " + host + "; hosts: " + tapOf.keySet());
    }
    return tap;
  }

  private synchronized String command(String line) {
    try {
      commands.write(line + "\n");
      commands.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("link emulator is gone (" + line + ")", e);
    }
    String answer = answer();
    if (!answer.startsWith("ok")) {
      throw new IllegalStateException("link emulator refused \"" + line + "\": " + answer);
    }
    return answer;
  }

  private String answer() {
    try {
      String a = answers.poll(ANSWER.toMillis(), TimeUnit.MILLISECONDS);
      if (a == null) {
        throw new IllegalStateException(
            "link emulator gave no answer within "
                + ANSWER.toSeconds()
                + " s"
                + (process.isAlive() ? "" : "; it exited with code " + process.exitValue()));
      }
      return a;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for the link emulator");
    }
  }

  /** Ends the emulator (end of its stdin), which removes its TAP devices. */
  @Override
  public synchronized void close() {
    try {
      commands.close();
    } catch (IOException e) {
      // Already gone.
    }
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
