package org.fedlink.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The weights of a model: an ordered list of uniquely named {@link Tensor}s.
 *
 * <p>The list is fixed at construction; the tensors' arrays are shared (see {@link Tensor}). Not
 * thread-safe when tensors are mutated.
 */
public final class Parameters {
  private final List<Tensor> tensors;
  private final Map<String, Tensor> byName;

  private Parameters(List<Tensor> tensors) {
    Map<String, Tensor> map = new LinkedHashMap<>();
    for (Tensor t : tensors) {
      if (map.put(t.name(), t) != null) {
        throw new IllegalArgumentException("duplicate tensor name: " + t.name());
      }
    }
    this.tensors = List.copyOf(tensors);
    this.byName = Collections.unmodifiableMap(map);
  }

  /** Parameters holding the given tensors in order. */
  public static Parameters of(List<Tensor> tensors) {
    return new Parameters(Objects.requireNonNull(tensors, "tensors"));
  }

  /** Parameters holding the given tensors in order. */
  public static Parameters of(Tensor... tensors) {
    return new Parameters(List.of(tensors));
  }

  /** Parameters with no tensor. */
  public static Parameters empty() {
    return new Parameters(List.of());
  }

  public List<Tensor> tensors() {
    return tensors;
  }

  /** The tensor with this name. */
  public Tensor get(String name) {
    Tensor t = byName.get(name);
    if (t == null) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT, "no tensor named '" + name + "'; have " + byName.keySet());
    }
    return t;
  }

  public boolean contains(String name) {
    return byName.containsKey(name);
  }

  /** Total number of float values over all tensors. */
  public long size() {
    long n = 0;
    for (Tensor t : tensors) {
      n += t.size();
    }
    return n;
  }

  public boolean isEmpty() {
    return tensors.isEmpty();
  }

  /** A deep copy: new arrays, same values. */
  public Parameters copy() {
    List<Tensor> out = new ArrayList<>(tensors.size());
    for (Tensor t : tensors) {
      out.add(t.copy());
    }
    return new Parameters(out);
  }

  /** Parameters with the same names and shapes, all zero. */
  public Parameters zerosLike() {
    List<Tensor> out = new ArrayList<>(tensors.size());
    for (Tensor t : tensors) {
      out.add(new Tensor(t.name(), t.shape().clone(), new float[t.size()]));
    }
    return new Parameters(out);
  }

  /**
   * Checks that {@code other} has the same tensor names and shapes in the same order.
   *
   * @throws FedlinkException naming the first difference
   */
  public void requireSameLayout(Parameters other, String what) {
    if (other.tensors.size() != tensors.size()) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          what + " has " + other.tensors.size() + " tensors, expected " + tensors.size());
    }
    for (int i = 0; i < tensors.size(); i++) {
      if (!tensors.get(i).sameLayout(other.tensors.get(i))) {
        throw new FedlinkException(
            ErrorCode.INVALID_ARGUMENT,
            what
                + ": tensor "
                + i
                + " is "
                + other.tensors.get(i)
                + ", expected "
                + tensors.get(i));
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Parameters p && tensors.equals(p.tensors);
  }

  @Override
  public int hashCode() {
    return tensors.hashCode();
  }

  @Override
  public String toString() {
    return "Parameters" + tensors;
  }
}
