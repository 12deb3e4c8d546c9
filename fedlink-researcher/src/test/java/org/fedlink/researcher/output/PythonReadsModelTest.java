package org.fedlink.researcher.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;
import org.fedlink.core.model.ModelFiles;
import org.fedlink.core.model.NpzFile;
import org.fedlink.ml.BuiltinPlans;
import org.fedlink.ml.BundledDatasets;
import org.fedlink.ml.DataSummary;
import org.fedlink.ml.Dataset;
import org.fedlink.ml.TrainingArgs;
import org.fedlink.ml.TrainingPlan;
import org.fedlink.ml.internal.FeedForward;
import org.fedlink.ml.internal.NetworkParameters;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The model.npz a run leaves behind, read by numpy (Debian's python3-numpy) as a researcher would:
 * its predictions on the test rows are the classes Fedlink predicts.
 */
class PythonReadsModelTest {
  private static final String PYTHON = "/usr/bin/python3";

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"logistic-regression", "mlp"})
  void numpyPredictsTheClassesFedlinkPredicts(String planId) throws Exception {
    requireNumpy();
    Dataset digits = BundledDatasets.load(BundledDatasets.DIGITS);
    int[] trainIdx = new int[1500];
    int[] testIdx = new int[digits.rows() - 1500];
    for (int i = 0; i < digits.rows(); i++) {
      if (i < 1500) {
        trainIdx[i] = i;
      } else {
        testIdx[i - 1500] = i;
      }
    }
    Dataset train = digits.select(trainIdx);
    Dataset test = digits.select(testIdx);
    TrainingPlan plan = BuiltinPlans.get(planId);
    TrainingArgs args = new TrainingArgs(3, 32, 0.05, "sgd", 0.9, 0.0, 7L, new int[] {32});
    Parameters model = plan.initialize(DataSummary.of(train), args);
    model = plan.train(model, train, args).parameters();

    try (ExperimentOutputs out = new ExperimentOutputs(dir, "run-1")) {
      out.finish(
          model,
          List.of(new org.fedlink.researcher.RoundMetrics(1, 1, 0.5, 0.5, 0.9, 1.0, List.of())));
    }
    Path npz = dir.resolve(ExperimentOutputs.MODEL_NPZ);
    assertThat(ModelFiles.read(npz)).isEqualTo(model);
    assertThat(ModelFiles.read(dir.resolve(ExperimentOutputs.MODEL_SAFETENSORS))).isEqualTo(model);

    Path rows = dir.resolve("rows.npz");
    NpzFile.write(
        Parameters.of(new Tensor("x", new int[] {test.rows(), test.cols()}, test.x())), rows);
    Path script = dir.resolve("predict_npz.py");
    try (InputStream in = getClass().getResourceAsStream("/predict_npz.py")) {
      Files.copy(in, script);
    }
    List<Integer> python = new ArrayList<>();
    for (String line : run(PYTHON, script.toString(), npz.toString(), rows.toString())) {
      python.add(Integer.parseInt(line.trim()));
    }

    FeedForward net = NetworkParameters.read(model);
    List<Integer> fedlink = new ArrayList<>();
    int correct = 0;
    for (int r = 0; r < test.rows(); r++) {
      net.forward(test.x(), r, test.y()[r]);
      fedlink.add(net.predicted());
      correct += net.predicted() == test.y()[r] ? 1 : 0;
    }
    assertThat(python).hasSize(test.rows()).isEqualTo(fedlink);
    // A model worth comparing: far better than chance on ten classes.
    assertThat((double) correct / test.rows()).isGreaterThan(0.8);
  }

  private static void requireNumpy() throws Exception {
    if (!Files.isExecutable(Path.of(PYTHON))) {
      fail(
          PYTHON
              + " is missing: install Debian's python3-numpy (apt-get install -y python3-numpy)");
    }
    Process p = new ProcessBuilder(PYTHON, "-c", "import numpy").redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      fail(
          PYTHON
              + " cannot import numpy: install Debian's python3-numpy (apt-get install -y"
              + " python3-numpy)");
    }
  }

  private static List<String> run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("python output:%n%s", out).isZero();
    return out.lines().toList();
  }
}
