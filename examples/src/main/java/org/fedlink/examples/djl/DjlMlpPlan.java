package org.fedlink.examples.djl;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import org.fedlink.djl.DjlTrainingPlan;

/**
 * A researcher's plan on Deep Java Library: a multi-layer perceptron with dropout, trained on the
 * nodes with the PyTorch engine. It compiles against the DJL API the node provides (fedlink-djl,
 * scope {@code provided}), so its JAR holds this one class: {@code ./mvnw -pl examples package}
 * writes {@code examples/target/fedlink-example-djl-plan.jar} (under 2 KB), which runs with {@code
 * fedlink run --plan-jar} like any plan JAR.
 *
 * <p>{@link DjlTrainingPlan} does the rest: standardization, the parameters under DJL's names,
 * training with the researcher's optimizer, epochs, batch size and learning rate, FedProx, and the
 * loss and accuracy metrics.
 */
public final class DjlMlpPlan extends DjlTrainingPlan {

  @Override
  public String id() {
    return "example-djl-mlp";
  }

  /** One row is a flat vector of features. */
  @Override
  protected Shape rowShape(int features) {
    return new Shape(features);
  }

  @Override
  protected Block block(Shape rowShape, int classes) {
    return new SequentialBlock()
        .add(Linear.builder().setUnits(128).build())
        .add(Activation.reluBlock())
        .add(Dropout.builder().optRate(0.1f).build())
        .add(Linear.builder().setUnits(64).build())
        .add(Activation.reluBlock())
        .add(Linear.builder().setUnits(classes).build());
  }
}
