package org.fedlink.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted on a folder, for tests of a full disk: {@code mount -t tmpfs -o size=..}
 * needs root (or CAP_SYS_ADMIN). A test that cannot mount fails, saying so, rather than skipping.
 * {@link #close()} unmounts. Not thread-safe.
 */
public final class Tmpfs implements AutoCloseable {
  private final Path dir;

  private Tmpfs(Path dir) {
    this.dir = dir;
  }

  /**
   * Mounts a tmpfs of {@code bytes} on {@code dir} (created if needed).
   *
   * @throws AssertionError if the mount fails, with mount's own message and what the test needs
   */
  public static Tmpfs mount(Path dir, long bytes) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    run("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", dir.toString());
    return new Tmpfs(dir);
  }

  public Path dir() {
    return dir;
  }

  /**
   * Writes a file of zeros into the tmpfs so that about {@code leaveFree} bytes stay free.
   *
   * @return the file, to delete when space should come back
   */
  public Path fillLeaving(long leaveFree) throws IOException {
    long free = Files.getFileStore(dir).getUsableSpace();
    Path filler = dir.resolve("filler");
    byte[] block = new byte[64 * 1024];
    long toWrite = free - leaveFree;
    try (var out = Files.newOutputStream(filler)) {
      while (toWrite > 0) {
        int n = (int) Math.min(block.length, toWrite);
        out.write(block, 0, n);
        toWrite -= n;
      }
    }
    return filler;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    run("umount", dir.toString());
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish within 30 s");
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (p.exitValue() != 0) {
      throw new AssertionError(
          String.join(" ", command)
              + " failed (exit "
              + p.exitValue()
              + ": "
              + output
              + "): the full-disk tests need to mount a small tmpfs; run them as root or with"
              + " CAP_SYS_ADMIN");
    }
  }
}
