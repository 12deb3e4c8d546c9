package org.fedlink.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code ssh-keygen} binary for cross-checks. */
final class SshKeygen {
  private SshKeygen() {}

  static Path binary() {
    Path p = Path.of("/usr/bin/ssh-keygen");
    if (!p.toFile().canExecute()) {
      p = EcdhKeyAgreementTest.findOnPath("ssh-keygen");
    }
    assertThat(p)
        .as(
            "ssh-keygen (Debian package openssh-client) is needed by the OpenSSH compatibility tests")
        .isNotNull();
    return p;
  }

  /** Runs ssh-keygen with the arguments and returns its standard output; asserts exit code 0. */
  static String run(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary().toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("ssh-keygen %s: %s", cmd, out).isZero();
    return out;
  }
}
