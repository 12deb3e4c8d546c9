package org.fedlink.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.config.Component;
import org.fedlink.superlink.Quotas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code superlink start} takes its quotas from flags, else from {@code [superlink]} of its
 * configuration, else from the keys' defaults.
 */
class SuperLinkQuotaFlagsTest {
  @TempDir Path root;

  private SuperLinkCommand.Start parse(String... args) {
    SuperLinkCommand.Start start = new SuperLinkCommand.Start();
    new CommandLine(start).parseArgs(args);
    start.config.fill(Component.SUPERLINK);
    return start;
  }

  private Path superlinkConfig(String from, String to) throws Exception {
    assertThat(
            Main.commandLine()
                .execute(
                    "configuration",
                    "create",
                    "--component",
                    "superlink",
                    "--name",
                    "l.ini",
                    "--root",
                    root.toString()))
        .isZero();
    Path file = root.resolve("etc/l.ini");
    String text = Files.readString(file);
    assertThat(text).contains(from);
    Files.writeString(file, text.replace(from, to));
    return file;
  }

  @Test
  void withoutFlagsOrFileTheDefaultsApply() {
    assertThat(parse().quotas()).isEqualTo(Quotas.defaults());
  }

  @Test
  void flagsWinOverTheFileAndTheFileOverTheDefaults() throws Exception {
    Path file = superlinkConfig("max_blob_mb = 1024", "max_blob_mb = 3");

    Quotas q = parse("--config", file.toString(), "--max-envelope-kb", "7").quotas();

    assertThat(q.maxBlobBytes()).isEqualTo(3L * 1024 * 1024);
    assertThat(q.maxEnvelopeBytes()).isEqualTo(7 * 1024);
    assertThat(q.maxUploadsPerNode()).isEqualTo(Quotas.defaults().maxUploadsPerNode());
  }

  @Test
  void aFlagOutOfRangeIsRefusedNamingItsKey() {
    assertThatThrownBy(() -> parse("--max-uploads-per-node", "0").quotas())
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("[superlink] max_uploads_per_node = 0")
        .hasMessageContaining("1..1024");
  }
}
