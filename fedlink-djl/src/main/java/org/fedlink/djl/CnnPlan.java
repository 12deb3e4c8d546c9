package org.fedlink.djl;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * The built-in {@code cnn} plan for small square images: two 3x3 convolutions (16 and 32 filters,
 * padding 1, ReLU), 2x2 max pooling, a dense layer of 64 (ReLU) and a dense output layer. A row of
 * {@code features} values is one grayscale image of side {@code sqrt(features)} (the 8x8 digits: 64
 * values, 1x8x8) or, when that is not a whole number, an RGB image of side {@code sqrt(features /
 * 3)} stored channel by channel (3xHxW).
 */
public final class CnnPlan extends DjlTrainingPlan {
  public static final String ID = "cnn";

  @Override
  public String id() {
    return ID;
  }

  @Override
  protected Shape rowShape(int features) {
    int side = side(features);
    if (side > 0) {
      return new Shape(1, side, side);
    }
    if (features % 3 == 0 && side(features / 3) > 0) {
      int s = side(features / 3);
      return new Shape(3, s, s);
    }
    throw new FedlinkException(
        ErrorCode.INVALID_ARGUMENT,
        "cnn: "
            + features
            + " features are neither a square grayscale image (side x side) nor a square RGB"
            + " image (3 x side x side); resize the images (dataset add --size WxH with W = H)");
  }

  @Override
  protected Block block(Shape rowShape, int classes) {
    return network(rowShape.get(1), classes);
  }

  /**
   * The network of this plan for images of {@code side x side} pixels and {@code classes} classes:
   * two 3x3 convolutions (16 and 32 filters), 2x2 max pooling, dense 64, dense classes.
   */
  public static SequentialBlock network(long side, int classes) {
    SequentialBlock net = new SequentialBlock();
    net.add(
            Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .optPadding(new Shape(1, 1))
                .setFilters(16)
                .build())
        .add(Activation.reluBlock())
        .add(
            Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .optPadding(new Shape(1, 1))
                .setFilters(32)
                .build())
        .add(Activation.reluBlock());
    if (side >= 2) {
      net.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
    }
    net.add(Blocks.batchFlattenBlock())
        .add(Linear.builder().setUnits(64).build())
        .add(Activation.reluBlock())
        .add(Linear.builder().setUnits(classes).build());
    return net;
  }

  private static int side(int n) {
    int s = (int) Math.round(Math.sqrt(n));
    return s > 0 && s * s == n ? s : -1;
  }
}
