package org.fedlink.djl;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;
import org.fedlink.ml.BuiltinPlans;
import org.fedlink.ml.DataSummary;
import org.fedlink.ml.Dataset;
import org.fedlink.ml.LocalUpdate;
import org.fedlink.ml.Metrics;
import org.fedlink.ml.TrainingArgs;
import org.fedlink.ml.TrainingPlan;

/**
 * A {@link TrainingPlan} whose model is a Deep Java Library {@link Block}, trained on the PyTorch
 * engine ({@link DjlRuntime}). A subclass says how one row of features is shaped ({@link
 * #rowShape}) and builds the network ({@link #block}); this class does the rest the way the
 * built-in plans do.
 *
 * <p>The model's {@link Parameters} are {@code norm.mean} and {@code norm.scale} (per-feature
 * standardization from the data summary, fixed through training, as in the built-in plans) followed
 * by every parameter of the block in the block's order, under DJL's names (e.g. {@code
 * 01Conv2d_weight}) and shapes. Values go to and from libtorch as float32 unchanged: a round trip
 * through a block changes no bit, and a model of another layout is refused naming the first tensor
 * that differs.
 *
 * <p>Training is mini-batch SGD (with momentum) or Adam, as {@link TrainingArgs} says, on the
 * softmax cross-entropy of the class logits the block outputs, rows shuffled each epoch with a
 * {@link Random} seeded by {@code args.seed()}; with {@code proximal_mu > 0} each step adds the
 * FedProx term {@code mu (w - w_global)} to every gradient. Metrics: {@code train_loss} (mean over
 * the last epoch), and loss and accuracy from {@link #evaluate}.
 *
 * <p>Stateless and thread-safe: each call builds its own block and frees its native memory before
 * returning.
 */
public abstract class DjlTrainingPlan implements TrainingPlan {
  /** Name of the training metric, as the built-in plans report it. */
  public static final String TRAIN_LOSS = "train_loss";

  /** The shape of one row of {@code features} values, e.g. {@code [1, 8, 8]} for 8x8 images. */
  protected abstract Shape rowShape(int features);

  /** A new, uninitialized network mapping a batch of rows to {@code classes} logits. */
  protected abstract Block block(Shape rowShape, int classes);

  /**
   * The number of classes a model predicts; by default the length of its last tensor (the bias of
   * the output layer).
   */
  protected int classes(Parameters model) {
    List<Tensor> t = model.tensors();
    return t.get(t.size() - 1).shape()[0];
  }

  @Override
  public Parameters initialize(DataSummary summary, TrainingArgs args) {
    try {
      return doInitialize(summary, args);
    } catch (EngineException e) {
      throw engineFailure(e);
    }
  }

  /** The standardization tensors, copied through training unchanged (left out of DP). */
  @Override
  public java.util.Set<String> frozenTensors() {
    return java.util.Set.of(BuiltinPlans.NORM_MEAN, BuiltinPlans.NORM_SCALE);
  }

  @Override
  public LocalUpdate train(Parameters global, Dataset data, TrainingArgs args) {
    try {
      return doTrain(global, data, args);
    } catch (EngineException e) {
      throw engineFailure(e);
    }
  }

  @Override
  public Metrics evaluate(Parameters parameters, Dataset data) {
    try {
      return doEvaluate(parameters, data);
    } catch (EngineException e) {
      throw engineFailure(e);
    }
  }

  /**
   * A failure inside libtorch as one line: the last line of its message (a TorchScript error's
   * traceback ends with the error itself, e.g. {@code RuntimeError: ...}).
   */
  private FedlinkException engineFailure(EngineException e) {
    String m = String.valueOf(e.getMessage()).strip();
    String[] lines = m.split("\\R");
    String last = lines[lines.length - 1].strip();
    if (last.length() > 300) {
      last = last.substring(0, 300) + "...";
    }
    return new FedlinkException(ErrorCode.TASK_FAILED, id() + ": PyTorch failed: " + last, e);
  }

  private Parameters doInitialize(DataSummary summary, TrainingArgs args) {
    if (summary.count() < 1 || summary.classes() < 1) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT, id() + ": the data summary has no rows to size the model");
    }
    Engine engine = DjlRuntime.engine();
    synchronized (DjlTrainingPlan.class) {
      engine.setRandomSeed((int) args.seed());
      try (Model model = Model.newInstance(id(), Device.cpu(), engine.getEngineName())) {
        Shape row = rowShape(summary.features());
        Block block = prepare(model, row, Math.max(2, summary.classes()));
        List<Tensor> tensors = new ArrayList<>(normTensors(summary));
        for (Pair<String, Parameter> p : block.getParameters()) {
          NDArray a = p.getValue().getArray();
          tensors.add(new Tensor(p.getKey(), toInts(a.getShape()), a.toFloatArray()));
        }
        return Parameters.of(tensors);
      }
    }
  }

  /**
   * Gives {@code model} its network with initialized parameters and returns it. By default builds
   * {@link #block} and initializes it for batches of {@code row}; a plan whose network comes from a
   * file (TorchScript) loads it here instead.
   */
  protected Block prepare(Model model, Shape row, int classes) {
    Block block = block(row, classes);
    model.setBlock(block);
    block.initialize(model.getNDManager(), DataType.FLOAT32, batchShape(row, 1));
    return block;
  }

  private LocalUpdate doTrain(Parameters global, Dataset data, TrainingArgs args) {
    requireRows(data);
    Engine engine = DjlRuntime.engine();
    Shape row = rowShape(global.get(BuiltinPlans.NORM_MEAN).size());
    requireFits(global, data, row);
    int classes = classes(global);
    try (Model model = Model.newInstance(id(), Device.cpu(), engine.getEngineName())) {
      Block block = prepare(model, row, classes);
      NDManager manager = model.getNDManager();
      load(block, global);
      List<NDArray> anchors = new ArrayList<>();
      if (args.proximalMu() > 0) {
        for (Pair<String, Parameter> p : block.getParameters()) {
          anchors.add(p.getValue().getArray().duplicate());
        }
      }
      DefaultTrainingConfig config =
          new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
              .optOptimizer(optimizer(args))
              .optDevices(new Device[] {Device.cpu()});
      float[] scaled = standardize(global, data);
      Random random = new Random(args.seed());
      int[] order = new int[data.rows()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      double lastLoss = Double.NaN;
      try (Trainer trainer = model.newTrainer(config)) {
        for (int epoch = 0; epoch < args.epochs(); epoch++) {
          shuffle(order, random);
          double sum = 0;
          for (int start = 0; start < order.length; start += args.batchSize()) {
            int n = Math.min(args.batchSize(), order.length - start);
            try (NDManager batch = manager.newSubManager()) {
              NDArray x =
                  batch.create(rows(scaled, data.cols(), order, start, n), batchShape(row, n));
              NDArray y = batch.create(labels(data.y(), order, start, n));
              try (GradientCollector gc = trainer.newGradientCollector()) {
                NDList out = trainer.forward(new NDList(x));
                NDArray loss = trainer.getLoss().evaluate(new NDList(y), out);
                gc.backward(loss);
                sum += loss.getFloat() * n;
              }
              if (args.proximalMu() > 0) {
                addProximal(block, anchors, (float) args.proximalMu());
              }
              trainer.step();
            }
          }
          lastLoss = sum / order.length;
          if (!Double.isFinite(lastLoss)) {
            throw new FedlinkException(
                ErrorCode.TASK_FAILED,
                id()
                    + ": training diverged in epoch "
                    + (epoch + 1)
                    + " (loss "
                    + lastLoss
                    + "); lower the learning rate (now "
                    + args.learningRate()
                    + ")");
          }
        }
      }
      Parameters trained = export(global, block);
      return new LocalUpdate(trained, data.rows(), Map.of(TRAIN_LOSS, lastLoss));
    }
  }

  private Metrics doEvaluate(Parameters parameters, Dataset data) {
    requireRows(data);
    Engine engine = DjlRuntime.engine();
    Shape row = rowShape(parameters.get(BuiltinPlans.NORM_MEAN).size());
    requireFits(parameters, data, row);
    int classes = classes(parameters);
    try (Model model = Model.newInstance(id(), Device.cpu(), engine.getEngineName())) {
      NDManager manager = model.getNDManager();
      Block block = prepare(model, row, classes);
      load(block, parameters);
      float[] scaled = standardize(parameters, data);
      ParameterStore store = new ParameterStore(manager, false);
      double loss = 0;
      long correct = 0;
      int chunk = 256;
      for (int start = 0; start < data.rows(); start += chunk) {
        int n = Math.min(chunk, data.rows() - start);
        try (NDManager batch = manager.newSubManager()) {
          float[] x = Arrays.copyOfRange(scaled, start * data.cols(), (start + n) * data.cols());
          NDArray logits =
              block
                  .forward(store, new NDList(batch.create(x, batchShape(row, n))), false)
                  .singletonOrThrow();
          float[] logp = logits.logSoftmax(1).toFloatArray();
          int width = logp.length / n;
          if (width != classes) {
            throw new FedlinkException(
                ErrorCode.INVALID_ARGUMENT,
                id() + ": the network outputs " + width + " values per row, expected " + classes);
          }
          for (int i = 0; i < n; i++) {
            int label = data.y()[start + i];
            loss -= logp[i * width + label];
            int best = 0;
            for (int c = 1; c < width; c++) {
              if (logp[i * width + c] > logp[i * width + best]) {
                best = c;
              }
            }
            correct += best == label ? 1 : 0;
          }
        }
      }
      return new Metrics(loss / data.rows(), (double) correct / data.rows(), data.rows());
    }
  }

  /**
   * The model as it comes back out of a network it was loaded into: equal to {@code model}, bit for
   * bit (what a task does before training, without training).
   */
  Parameters roundTrip(Parameters model) {
    Shape row = rowShape(model.get(BuiltinPlans.NORM_MEAN).size());
    try (Model m = Model.newInstance(id(), Device.cpu(), DjlRuntime.engine().getEngineName())) {
      Block block = prepare(m, row, classes(model));
      load(block, model);
      return export(model, block);
    }
  }

  /** Copies the block's trainable values out of {@code template}'s layout. */
  private Parameters export(Parameters template, Block block) {
    List<Tensor> out = new ArrayList<>();
    out.add(template.get(BuiltinPlans.NORM_MEAN).copy());
    out.add(template.get(BuiltinPlans.NORM_SCALE).copy());
    for (Pair<String, Parameter> p : block.getParameters()) {
      NDArray a = p.getValue().getArray();
      out.add(new Tensor(p.getKey(), toInts(a.getShape()), a.toFloatArray()));
    }
    return Parameters.of(out);
  }

  /**
   * Puts {@code model}'s values into the block's parameters, exactly.
   *
   * @throws FedlinkException INVALID_ARGUMENT naming the first tensor whose name or shape differs
   */
  private void load(Block block, Parameters model) {
    List<Tensor> tensors = model.tensors();
    var params = block.getParameters();
    if (tensors.size() != params.size() + 2) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          id()
              + ": the model has "
              + tensors.size()
              + " tensors, the network needs "
              + (params.size() + 2)
              + " (norm.mean, norm.scale and "
              + params.size()
              + " parameters)");
    }
    int i = 2;
    for (Pair<String, Parameter> p : params) {
      Tensor t = tensors.get(i++);
      NDArray a = p.getValue().getArray();
      int[] shape = toInts(a.getShape());
      if (!t.name().equals(p.getKey()) || !Arrays.equals(t.shape(), shape)) {
        throw new FedlinkException(
            ErrorCode.INVALID_ARGUMENT,
            id()
                + ": model tensor "
                + t
                + " does not match the network's parameter "
                + p.getKey()
                + " "
                + Arrays.toString(shape));
      }
      a.set(t.data());
    }
  }

  private static void addProximal(Block block, List<NDArray> anchors, float mu) {
    int i = 0;
    for (Pair<String, Parameter> p : block.getParameters()) {
      NDArray w = p.getValue().getArray();
      NDArray anchor = anchors.get(i++);
      if (w.hasGradient()) {
        try (NDArray diff = w.sub(anchor).muli(mu)) {
          w.getGradient().addi(diff);
        }
      }
    }
  }

  private static Optimizer optimizer(TrainingArgs args) {
    Tracker lr = Tracker.fixed((float) args.learningRate());
    if ("adam".equals(args.optimizer())) {
      return Optimizer.adam().optLearningRateTracker(lr).build();
    }
    return Optimizer.sgd().setLearningRateTracker(lr).optMomentum((float) args.momentum()).build();
  }

  private static List<Tensor> normTensors(DataSummary summary) {
    double[] mean = summary.mean();
    double[] std = summary.std();
    float[] m = new float[mean.length];
    float[] s = new float[std.length];
    for (int j = 0; j < m.length; j++) {
      m[j] = (float) mean[j];
      s[j] = (float) (1.0 / std[j]);
    }
    return List.of(
        new Tensor(BuiltinPlans.NORM_MEAN, new int[] {m.length}, m),
        new Tensor(BuiltinPlans.NORM_SCALE, new int[] {s.length}, s));
  }

  private static float[] standardize(Parameters model, Dataset data) {
    float[] mean = model.get(BuiltinPlans.NORM_MEAN).data();
    float[] scale = model.get(BuiltinPlans.NORM_SCALE).data();
    float[] x = data.x();
    float[] out = new float[x.length];
    int cols = data.cols();
    for (int i = 0; i < x.length; i++) {
      int j = i % cols;
      out[i] = (x[i] - mean[j]) * scale[j];
    }
    return out;
  }

  private static float[] rows(float[] x, int cols, int[] order, int start, int n) {
    float[] out = new float[n * cols];
    for (int i = 0; i < n; i++) {
      System.arraycopy(x, order[start + i] * cols, out, i * cols, cols);
    }
    return out;
  }

  private static float[] labels(int[] y, int[] order, int start, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = y[order[start + i]];
    }
    return out;
  }

  private void requireRows(Dataset data) {
    if (data.rows() == 0) {
      throw new FedlinkException(ErrorCode.INVALID_ARGUMENT, id() + ": the data set has no rows");
    }
  }

  private void requireFits(Parameters model, Dataset data, Shape row) {
    int features = model.get(BuiltinPlans.NORM_MEAN).size();
    if (data.cols() != features) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          id() + ": the data has " + data.cols() + " features, the model expects " + features);
    }
    int classes = classes(model);
    for (int label : data.y()) {
      if (label < 0 || label >= classes) {
        throw new FedlinkException(
            ErrorCode.INVALID_ARGUMENT,
            id() + ": label " + label + " is outside the model's " + classes + " classes");
      }
    }
    if (row.size() != features) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          id() + ": row shape " + row + " does not hold the " + features + " features");
    }
  }

  /** The shape of a batch of {@code n} rows. */
  protected static Shape batchShape(Shape row, int n) {
    return new Shape(n).addAll(row);
  }

  private static int[] toInts(Shape s) {
    long[] d = s.getShape();
    int[] out = new int[d.length];
    for (int i = 0; i < d.length; i++) {
      out[i] = Math.toIntExact(d[i]);
    }
    return out;
  }

  private static void shuffle(int[] a, Random random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  @Override
  public String toString() {
    return id();
  }
}
