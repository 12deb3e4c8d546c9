package org.fedlink.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.fedlink.core.FedlinkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsolePasswordTest {
  @TempDir Path dir;

  @Test
  void storesASaltedSlowHashReadableByItsOwnerOnly() throws Exception {
    Path file = ConsolePassword.fileOf(dir.resolve("node.sqlite"));
    ConsolePassword.set(file, "a long enough secret".toCharArray());

    assertThat(file.getFileName().toString()).isEqualTo("node.sqlite.console-password");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    String stored = Files.readString(file);
    assertThat(stored).startsWith("pbkdf2-sha256$600000$").doesNotContain("secret");
    assertThat(ConsolePassword.matches(file, "a long enough secret".toCharArray())).isTrue();
    assertThat(ConsolePassword.matches(file, "a long enough secreT".toCharArray())).isFalse();

    ConsolePassword.set(file, "a long enough secret".toCharArray());
    assertThat(Files.readString(file)).as("a fresh salt each time").isNotEqualTo(stored);
  }

  @Test
  void refusesShortPasswordsAndWeakenedOrDamagedFiles() throws Exception {
    Path file = dir.resolve("p");
    assertThatThrownBy(() -> ConsolePassword.set(file, "short".toCharArray()))
        .isInstanceOf(FedlinkException.class)
        .hasMessage("the console password has 5 characters: use at least 12");
    assertThat(file).doesNotExist();

    ConsolePassword.set(file, "a long enough secret".toCharArray());
    String[] parts = Files.readString(file).strip().split("\\$");
    Files.writeString(file, parts[0] + "$1000$" + parts[2] + "$" + parts[3]);
    assertThatThrownBy(() -> ConsolePassword.matches(file, "a long enough secret".toCharArray()))
        .hasMessageContaining("is damaged: set the password again");
    Files.writeString(file, "garbage");
    assertThatThrownBy(() -> ConsolePassword.matches(file, "x".toCharArray()))
        .hasMessageContaining("is damaged");
    assertThatThrownBy(() -> ConsolePassword.matches(dir.resolve("none"), "x".toCharArray()))
        .hasMessageContaining("no console password is set");
  }
}
