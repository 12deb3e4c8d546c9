package org.fedlink.researcher.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.core.ParametersCodec;
import org.fedlink.core.Tensor;
import org.fedlink.researcher.RoundMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentOutputsTest {
  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  @TempDir Path dir;

  private static RoundMetrics round(int r, double trainLoss, double valLoss, double acc) {
    return new RoundMetrics(r, 3, trainLoss, valLoss, acc, 1.25 * r, List.of());
  }

  private static Parameters model() {
    return Parameters.of(
        new Tensor("w", new int[] {2, 2}, new float[] {0.5f, -1.5f, 2.25f, 1e-7f}),
        new Tensor("b", new int[] {2}, new float[] {0.1f, -0.1f}));
  }

  private final List<ExperimentOutputs> opened = new ArrayList<>();

  @org.junit.jupiter.api.AfterEach
  void closeAll() {
    opened.forEach(ExperimentOutputs::close);
  }

  private ExperimentOutputs outputs(Path out) {
    ExperimentOutputs o = new ExperimentOutputs(out, "run-test");
    opened.add(o);
    return o;
  }

  private List<String> csv(Path out) throws IOException {
    return Files.readAllLines(out.resolve(ExperimentOutputs.METRICS_CSV), StandardCharsets.UTF_8);
  }

  @Test
  void createsTheFolderWithTheCsvHeader() throws IOException {
    Path out = dir.resolve("runs/exp1");

    outputs(out);

    assertThat(csv(out))
        .containsExactly("round,nodes,train_loss,val_loss,val_accuracy,seconds,dropped");
  }

  @Test
  void appendsOneLinePerRound() throws IOException {
    ExperimentOutputs outputs = outputs(dir);

    outputs.appendRound(round(1, 0.693147, 0.6, 0.75));
    outputs.appendRound(
        new RoundMetrics(2, 2, 0.5, 0.45, 0.875, 3.0004, List.of("node 7 went offline")));

    assertThat(csv(dir))
        .containsExactly(
            ExperimentOutputs.HEADER,
            "1,3,0.693147,0.600000,0.750000,1.250,0",
            "2,2,0.500000,0.450000,0.875000,3.000,1");
  }

  @Test
  void aDifferentiallyPrivateRunHasAnEpsilonColumn() throws IOException {
    try (ExperimentOutputs outputs = new ExperimentOutputs(dir, "run-dp", true)) {
      outputs.appendRound(
          new RoundMetrics(1, 3, 0.5, 0.45, 0.875, 3.0004, List.of(), 5.298317366548036));
      outputs.finish(
          org.fedlink.core.Parameters.of(org.fedlink.core.Tensor.zeros("w", 2)),
          List.of(new RoundMetrics(1, 3, 0.5, 0.45, 0.875, 3.0004, List.of(), 5.3)));
    }
    assertThat(csv(dir))
        .containsExactly(
            "round,nodes,train_loss,val_loss,val_accuracy,seconds,dropped,epsilon",
            "1,3,0.500000,0.450000,0.875000,3.000,0,5.298317");
  }

  @Test
  void writesDecimalPointsWhateverTheDefaultLocale() throws IOException {
    Locale saved = Locale.getDefault();
    Locale.setDefault(Locale.GERMANY);
    try {
      ExperimentOutputs outputs = outputs(dir);
      outputs.appendRound(round(1, 0.5, 0.25, 0.125));
    } finally {
      Locale.setDefault(saved);
    }

    assertThat(csv(dir).get(1)).isEqualTo("1,3,0.500000,0.250000,0.125000,1.250,0");
  }

  @Test
  void startsAFreshCsvInAReusedFolder() throws IOException {
    try (ExperimentOutputs first = outputs(dir)) {
      first.appendRound(round(1, 0.5, 0.5, 0.5));
    }

    outputs(dir);

    assertThat(csv(dir)).containsExactly(ExperimentOutputs.HEADER);
  }

  @Test
  void aSecondRunInAFolderInUseIsRefusedNamingTheFolderAndTheRun() throws IOException {
    ExperimentOutputs first = new ExperimentOutputs(dir, "run-a");
    opened.add(first);
    first.appendRound(round(1, 0.5, 0.5, 0.5));

    assertThatThrownBy(() -> new ExperimentOutputs(dir, "run-b"))
        .isInstanceOfSatisfying(
            FedlinkException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION))
        .hasMessageContaining("output folder " + dir + " is in use by run run-a (process ")
        .hasMessageContaining("pass another --output");
    first.appendRound(round(2, 0.4, 0.4, 0.6));
    assertThat(csv(dir)).hasSize(3).first().isEqualTo(ExperimentOutputs.HEADER);

    first.close();
    new ExperimentOutputs(dir, "run-b").close();
  }

  @Test
  void roundWithoutValidationIsWrittenAsNan() throws IOException {
    ExperimentOutputs outputs = outputs(dir);

    outputs.appendRound(round(1, 0.5, Double.NaN, Double.NaN));

    assertThat(csv(dir).get(1)).isEqualTo("1,3,0.500000,NaN,NaN,1.250,0");
  }

  @Test
  void finishWritesAModelThatLoadsBack() {
    ExperimentOutputs outputs = outputs(dir);

    outputs.finish(model(), List.of(round(1, 0.7, 0.6, 0.5)));

    assertThat(ParametersCodec.read(dir.resolve(ExperimentOutputs.MODEL))).isEqualTo(model());
  }

  @Test
  void finishDrawsAPngPlot() throws IOException {
    ExperimentOutputs outputs = outputs(dir);
    List<RoundMetrics> history = new ArrayList<>();
    for (int r = 1; r <= 5; r++) {
      history.add(round(r, 1.0 / r, 1.2 / r, 0.5 + 0.08 * r));
    }

    outputs.finish(model(), history);

    Path png = dir.resolve(ExperimentOutputs.METRICS_PNG);
    byte[] bytes = Files.readAllBytes(png);
    assertThat(Arrays.copyOf(bytes, 8)).isEqualTo(PNG_MAGIC);
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image).isNotNull();
    assertThat(image.getWidth()).isEqualTo(900);
    assertThat(image.getHeight()).isEqualTo(500);
  }

  @Test
  void finishDrawsAPlotEvenWhenARoundHadNoValidation() throws IOException {
    ExperimentOutputs outputs = outputs(dir);

    outputs.finish(
        model(), List.of(round(1, 0.7, Double.NaN, Double.NaN), round(2, 0.6, 0.5, 0.8)));

    byte[] bytes = Files.readAllBytes(dir.resolve(ExperimentOutputs.METRICS_PNG));
    assertThat(Arrays.copyOf(bytes, 8)).isEqualTo(PNG_MAGIC);
  }

  @Test
  void anUnwritableFolderIsAConfigurationError() throws IOException {
    Path file = dir.resolve("not-a-folder");
    Files.writeString(file, "x");

    assertThatThrownBy(() -> outputs(file.resolve("out")))
        .isInstanceOfSatisfying(
            FedlinkException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
        .hasMessageContaining("cannot write to output folder " + file.resolve("out"));
  }
}
