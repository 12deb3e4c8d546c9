package org.fedlink.cli.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fedlink.core.FedlinkException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Which biprime {@code fedlink run} picks for a new run. */
class SecAggOptionsTest {
  @Command(name = "run")
  static final class Run {
    @Mixin SecAggOptions options = new SecAggOptions();
  }

  private static SecAggOptions parse(String... args) {
    Run run = new Run();
    new CommandLine(run).parseArgs(args);
    return run.options;
  }

  @Test
  void newRunsUseThe2048BitBiprimeByDefault() throws Exception {
    assertThat(parse("--secagg", "joye-libert").chosenBiprime().bits()).isEqualTo(2048);
  }

  @Test
  void biprimeBits1024StaysSelectable() throws Exception {
    assertThat(parse("--secagg", "joye-libert", "--biprime-bits", "1024").chosenBiprime().bits())
        .isEqualTo(1024);
  }

  @Test
  void helpNamesTheDefault() {
    String help = new CommandLine(new Run()).getUsageMessage().replaceAll("\\s+", " ");
    assertThat(help).contains("2048 (the default) or 1024", "the shipped 2048-bit one");
  }

  @Test
  void biprimeAndBiprimeBitsExcludeEachOther() {
    assertThatThrownBy(
            () -> parse("--biprime", "n.biprime", "--biprime-bits", "2048").chosenBiprime())
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("exclude each other");
  }

  private static org.fedlink.researcher.Experiment.Builder applied(String... args) {
    return parse(args)
        .apply(org.fedlink.researcher.Experiment.builder(), java.util.Optional.empty());
  }

  @Test
  void lomAndSecAggPlusNeedNoResearcherIdentity() {
    // Joye-Libert without a configuration or --mpc-* flags is refused; the masking schemes are not.
    assertThatThrownBy(() -> applied("--secagg", "joye-libert"))
        .hasMessageContaining("needs the researcher's identity");
    assertThat(applied("--secagg", "lom")).isNotNull();
    assertThat(
            applied("--secagg", "secagg+", "--num-shares", "5", "--reconstruction-threshold", "3"))
        .isNotNull();
  }

  @Test
  void unknownSchemesAndUnsafeThresholdsAreRefusedNamingTheChoices() {
    assertThatThrownBy(() -> applied("--secagg", "paillier"))
        .hasMessage("--secagg paillier is unknown; supported: joye-libert, lom, secagg+");
    assertThatThrownBy(() -> applied("--secagg", "secagg+", "--reconstruction-threshold", "1"))
        .hasMessageContaining("reconstruction_threshold 1 must be 0 (automatic) or at least 2");
  }
}
