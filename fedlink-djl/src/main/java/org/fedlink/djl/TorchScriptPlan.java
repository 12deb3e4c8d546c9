package org.fedlink.djl;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * A researcher's TorchScript model ({@code torch.jit.script(model).save("model.pt")}) fine-tuned
 * with DJL. The plan JAR that {@link TorchScriptJar} builds holds the {@code .pt} file, its
 * settings ({@code loss}, {@code input_shape}) and a one-constructor subclass of this class, so the
 * file is hashed, approved and run in the plan worker exactly like any plan JAR.
 *
 * <p>Rows are standardized as in every built-in plan and reshaped to {@code input_shape} (the
 * model's input per row; by default the flat row of features). The model must output one logit per
 * class; its last parameter must be the output layer's bias (its length is the number of classes).
 * Its parameters travel under their TorchScript names ({@code conv1.weight}, ...).
 */
public abstract class TorchScriptPlan extends DjlTrainingPlan {
  /** Folder of the plan's files inside its JAR. */
  public static final String FOLDER = "fedlink-torchscript/";

  /** The TorchScript file inside the JAR. */
  public static final String MODEL_ENTRY = FOLDER + "model.pt";

  /** The settings inside the JAR. */
  public static final String SETTINGS_ENTRY = FOLDER + "plan.properties";

  private final Properties settings = new Properties();

  protected TorchScriptPlan() {
    try (InputStream in = resource(SETTINGS_ENTRY)) {
      settings.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String loss = settings.getProperty("loss", "");
    if (!TorchScriptJar.CROSS_ENTROPY.equals(loss)) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "TorchScript plan: loss '"
              + loss
              + "' is not supported; use "
              + TorchScriptJar.CROSS_ENTROPY);
    }
  }

  @Override
  public String id() {
    return "torchscript:" + settings.getProperty("name", "model.pt");
  }

  @Override
  protected Shape rowShape(int features) {
    String s = settings.getProperty("input_shape", "").trim();
    if (s.isEmpty()) {
      return new Shape(features);
    }
    String[] parts = s.split(",");
    long[] dims = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      dims[i] = Long.parseLong(parts[i].trim());
    }
    return new Shape(dims);
  }

  @Override
  protected Block block(Shape rowShape, int classes) {
    throw new UnsupportedOperationException("a TorchScript plan loads its network");
  }

  @Override
  protected Block prepare(Model model, Shape row, int classes) {
    try (InputStream in = resource(MODEL_ENTRY)) {
      model.load(in, Map.of("trainParam", "true"));
    } catch (IOException | MalformedModelException e) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          id() + ": the TorchScript file cannot be loaded: " + e.getMessage(),
          e);
    } catch (RuntimeException e) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          id() + ": the TorchScript file cannot be loaded: " + e.getMessage(),
          e);
    }
    Block block = model.getBlock();
    for (Pair<String, Parameter> p : block.getParameters()) {
      p.getValue().getArray().setRequiresGradient(true);
    }
    return block;
  }

  private InputStream resource(String entry) {
    InputStream in = getClass().getClassLoader().getResourceAsStream(entry);
    if (in == null) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT, "TorchScript plan JAR lacks " + entry + "; build it again");
    }
    return in;
  }
}
