package org.fedlink.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.ml.BundledDatasets;
import org.fedlink.ml.DataSummary;
import org.fedlink.ml.Dataset;
import org.fedlink.ml.Metrics;
import org.fedlink.ml.TrainingArgs;
import org.fedlink.ml.TrainingPlan;
import org.fedlink.ml.plan.JarTrainingPlanLoader;
import org.fedlink.ml.plan.LoadedTrainingPlan;
import org.fedlink.ml.plan.PlanHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A TorchScript file made with Python torch, wrapped in a plan JAR and run through DJL. */
class TorchScriptPlanTest {
  private static final TrainingArgs ARGS =
      new TrainingArgs(1, 32, 0.05, "sgd", 0.9, 0.0, 42L, new int[0]);

  @TempDir Path dir;

  static Path fixture(Path dir, String name) throws IOException {
    Path out = dir.resolve(name);
    try (InputStream in = TorchScriptPlanTest.class.getResourceAsStream("/torchscript/" + name)) {
      Files.copy(in, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return out;
  }

  private Path jar() throws IOException {
    Path jar = dir.resolve("plan.jar");
    TorchScriptJar.write(fixture(dir, "digits_cnn.pt"), "cross-entropy", "1,8,8", jar);
    return jar;
  }

  @Test
  void theJarIsAPlanJarWhoseBytesDependOnlyOnItsInputs() throws IOException {
    Path a = jar();
    byte[] first = Files.readAllBytes(a);
    Files.delete(a);
    assertThat(Files.readAllBytes(jar())).isEqualTo(first);
    try (LoadedTrainingPlan loaded = JarTrainingPlanLoader.open(a)) {
      assertThat(loaded.plan()).isInstanceOf(TorchScriptPlan.class);
      assertThat(loaded.plan().getClass().getClassLoader())
          .isNotSameAs(TorchScriptPlan.class.getClassLoader());
      assertThat(loaded.plan().id()).isEqualTo("torchscript:digits_cnn.pt");
    }
    assertThat(PlanHash.of(a, org.fedlink.crypto.digest.HashingAlgorithm.SHA256)).isNotBlank();
  }

  @Test
  void parametersComeOutUnderTheirTorchNamesAndRoundTripExactly() throws IOException {
    try (LoadedTrainingPlan loaded = JarTrainingPlanLoader.open(jar())) {
      TorchScriptPlan plan = (TorchScriptPlan) loaded.plan();
      Dataset d = BundledDatasets.load(BundledDatasets.DIGITS);
      Parameters init = plan.initialize(DataSummary.of(d), ARGS);
      assertThat(init.tensors().stream().map(t -> t.name()).toList())
          .containsExactly(
              "norm.mean", "norm.scale", "conv1.weight", "conv1.bias", "fc.weight", "fc.bias");
      assertThat(init.get("conv1.weight").shape()).containsExactly(8, 1, 3, 3);
      assertThat(plan.roundTrip(init)).isEqualTo(init);
    }
  }

  @Test
  void otherLossesAndShapesAreRefusedClearly() throws IOException {
    Path pt = fixture(dir, "digits_cnn.pt");
    assertThatThrownBy(() -> TorchScriptJar.write(pt, "mse", null, dir.resolve("x.jar")))
        .isInstanceOf(FedlinkException.class)
        .hasMessage("--loss mse is not supported; use --loss cross-entropy");
    assertThatThrownBy(
            () -> TorchScriptJar.write(pt, "cross-entropy", "1x8x8", dir.resolve("x.jar")))
        .hasMessageContaining("--input-shape 1x8x8 must be sizes separated by commas");
    Path notScript = dir.resolve("weights.pt");
    Files.write(notScript, new byte[] {'P', 'K', 3, 4, 0, 0});
    assertThatThrownBy(
            () -> TorchScriptJar.write(notScript, "cross-entropy", null, dir.resolve("x.jar")))
        .hasMessageContaining("not TorchScript");
  }

  @Test
  @org.junit.jupiter.api.Tag("djl")
  void fineTuningTheTorchScriptModelLearnsTheDigits() throws IOException {
    try (LoadedTrainingPlan loaded = JarTrainingPlanLoader.open(jar())) {
      TrainingPlan plan = loaded.plan();
      Dataset d = BundledDatasets.load(BundledDatasets.DIGITS);
      Parameters init = plan.initialize(DataSummary.of(d), ARGS);
      Metrics before = plan.evaluate(init, d);
      Parameters trained =
          plan.train(init, d, new TrainingArgs(3, 32, 0.05, "sgd", 0.9, 0.0, 1L, new int[0]))
              .parameters();
      Metrics after = plan.evaluate(trained, d);
      assertThat(before.accuracy()).isLessThan(0.3);
      assertThat(after.accuracy()).isGreaterThan(0.9);
      init.requireSameLayout(trained, "trained");
    }
  }
}
