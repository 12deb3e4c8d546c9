package org.fedlink.bench.auth;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.fedlink.console.ConsolePassword;

/**
 * What one login to the node console costs: the PBKDF2 check of a password stored by {@link
 * ConsolePassword#set} (600,000 iterations), timed after 3 warm-up checks.
 *
 * <p>Usage: {@code java -cp fedlink-bench/target/benchmarks.jar
 * org.fedlink.bench.auth.ConsoleLoginCost [checks=10]}
 */
public final class ConsoleLoginCost {
  private ConsoleLoginCost() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    Path dir = Files.createTempDirectory("fedlink-login-");
    Path file = ConsolePassword.fileOf(dir.resolve("node.sqlite"));
    char[] password = "a long enough secret".toCharArray();
    ConsolePassword.set(file, password);
    for (int i = 0; i < 3; i++) {
      ConsolePassword.matches(file, password);
    }
    long[] ns = new long[n];
    for (int i = 0; i < n; i++) {
      long t = System.nanoTime();
      if (!ConsolePassword.matches(file, password)) {
        throw new IllegalStateException("the stored password does not match");
      }
      ns[i] = System.nanoTime() - t;
    }
    Arrays.sort(ns);
    System.out.printf(
        Locale.ROOT,
        "one login check (PBKDF2-HMAC-SHA256, %d iterations): median %.0f ms, min %.0f, max %.0f"
            + " (n=%d)%n",
        ConsolePassword.ITERATIONS,
        ns[n / 2] / 1e6,
        ns[0] / 1e6,
        ns[n - 1] / 1e6,
        n);
    Files.delete(file);
    Files.delete(dir);
  }
}
