package org.fedlink.superlink.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * How {@code fedlink superlink keys reload} reaches a running SuperLink: it writes the file {@value
 * #FILE_NAME} in the SuperLink's home, which the {@link KeysWatcher} notices within a second,
 * deletes, and answers by re-reading every known-keys file. Only who may write the SuperLink's home
 * can ask, and a reload only re-reads files the SuperLink already trusts, so the request carries no
 * data. Stateless and thread-safe.
 */
public final class ReloadRequest {
  /** Name of the request file in the SuperLink's home. */
  public static final String FILE_NAME = "keys.reload";

  private ReloadRequest() {}

  /** The request file of a SuperLink home. */
  public static Path fileIn(Path home) {
    return home.resolve(FILE_NAME);
  }

  /**
   * Asks the SuperLink using {@code home} to reload its keys and waits for it to take the request.
   *
   * @return true if the SuperLink took the request within {@code timeout}; false if the request is
   *     still pending (it is withdrawn, so a SuperLink started later does not act on it)
   * @throws FedlinkException CONFIGURATION if {@code home} does not exist or is not writable
   */
  public static boolean send(Path home, Duration timeout) throws InterruptedException {
    if (!Files.isDirectory(home)) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "SuperLink home " + home + " does not exist: pass the --home the SuperLink runs with");
    }
    Path file = fileIn(home);
    try {
      Path tmp = Files.createTempFile(home, FILE_NAME, ".tmp");
      Files.writeString(tmp, System.currentTimeMillis() + "\n", StandardCharsets.US_ASCII);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "cannot write the reload request " + file + ": " + e.getMessage(),
          e);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!Files.exists(file)) {
        return true;
      }
      Thread.sleep(100);
    }
    try {
      return !Files.deleteIfExists(file);
    } catch (IOException e) {
      return false;
    }
  }

  /** Takes a pending request in {@code home}: true (and the file is gone) if there was one. */
  static boolean take(Path home) {
    try {
      return Files.deleteIfExists(fileIn(home));
    } catch (IOException e) {
      return false;
    }
  }
}
