package org.fedlink.core;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named dense float tensor stored row-major in one primitive array.
 *
 * <p>The array is shared, not copied: a tensor is a view that hot loops (aggregation, quantization)
 * read and write in place. Callers that need isolation use {@link #copy()}.
 *
 * @param name unique within its {@link Parameters}, non-empty
 * @param shape dimensions, each at least 1; the empty shape is a scalar
 * @param data values, {@code data.length} equals the product of {@code shape}
 */
public record Tensor(String name, int[] shape, float[] data) {

  /** Validates that the shape matches the data. */
  public Tensor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(data, "data");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("tensor name must not be empty");
    }
    long size = 1;
    for (int d : shape) {
      if (d < 1) {
        throw new IllegalArgumentException(
            "tensor "
                + name
                + ": dimension "
                + d
                + " in shape "
                + Arrays.toString(shape)
                + " must be at least 1");
      }
      size *= d;
      if (size > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "tensor " + name + ": shape " + Arrays.toString(shape) + " holds too many values");
      }
    }
    if (size != data.length) {
      throw new IllegalArgumentException(
          "tensor "
              + name
              + ": shape "
              + Arrays.toString(shape)
              + " holds "
              + size
              + " values but data has "
              + data.length);
    }
  }

  /** A tensor of zeros. */
  public static Tensor zeros(String name, int... shape) {
    long size = 1;
    for (int d : shape) {
      size *= d;
    }
    if (size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("tensor " + name + " too large: " + size + " values");
    }
    // A negative dimension is reported by the constructor, not by the array allocation.
    return new Tensor(name, shape.clone(), new float[(int) Math.max(0, size)]);
  }

  /** Number of values. */
  public int size() {
    return data.length;
  }

  /** A deep copy. */
  public Tensor copy() {
    return new Tensor(name, shape.clone(), data.clone());
  }

  /** True if the other tensor has the same name and shape. */
  public boolean sameLayout(Tensor other) {
    return name.equals(other.name) && Arrays.equals(shape, other.shape);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tensor t
        && name.equals(t.name)
        && Arrays.equals(shape, t.shape)
        && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, Arrays.hashCode(shape), Arrays.hashCode(data));
  }

  @Override
  public String toString() {
    return "Tensor[" + name + " " + Arrays.toString(shape) + "]";
  }
}
