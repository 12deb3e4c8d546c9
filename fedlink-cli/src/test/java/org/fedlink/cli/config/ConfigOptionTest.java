package org.fedlink.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.fedlink.core.config.Component;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Precedence of {@code --config}: explicit flags, then the file, then the options' defaults. */
class ConfigOptionTest {
  @TempDir Path root;

  @Command(name = "probe")
  static final class Probe implements Runnable {
    @Option(names = "--superlink", defaultValue = "127.0.0.1:9092")
    String superlink;

    @Option(names = "--root-certificates")
    Path rootCertificates;

    @Option(names = "--insecure")
    boolean insecure;

    @Mixin ConfigOption config = new ConfigOption();

    @Override
    public void run() {
      config.fill(Component.RESEARCHER);
    }
  }

  private Path researcher(String superlinkSection) throws Exception {
    Cli.run(
        "configuration",
        "create",
        "--component",
        "researcher",
        "--name",
        "r.ini",
        "--root",
        root.toString());
    Path file = root.resolve("etc/r.ini");
    String text = Files.readString(file);
    Files.writeString(file, text.replace("[superlink]", "[superlink]\n" + superlinkSection));
    return file;
  }

  private static Probe run(String... args) {
    Probe p = new Probe();
    assertThat(new CommandLine(p).execute(args)).isZero();
    return p;
  }

  @Test
  void fileValuesFillOptionsNotGiven() throws Exception {
    Path file = researcher("root_certificates = ca.pem\n");
    String text = Files.readString(file).replaceAll("(?m)^address = .*$", "address = link:7000");
    Files.writeString(file, text);

    Probe p = run("--config", file.toString());

    assertThat(p.superlink).isEqualTo("link:7000");
    assertThat(p.rootCertificates).isEqualTo(root.toAbsolutePath().resolve("ca.pem"));
  }

  @Test
  void explicitFlagsWinOverTheFile() throws Exception {
    Path file = researcher("root_certificates = ca.pem\n");
    Files.writeString(
        file, Files.readString(file).replaceAll("(?m)^address = .*$", "address = link:7000"));

    Probe p =
        run(
            "--superlink",
            "other:1",
            "--root-certificates",
            "/x/ca.pem",
            "--config",
            file.toString());

    assertThat(p.superlink).isEqualTo("other:1");
    assertThat(p.rootCertificates).isEqualTo(Path.of("/x/ca.pem"));
  }

  @Test
  void withoutConfigNothingChanges() {
    Probe p = run();

    assertThat(p.superlink).isEqualTo("127.0.0.1:9092");
    assertThat(p.rootCertificates).isNull();
  }
}
