package org.fedlink.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParametersTest {

  private static Tensor tensor(String name, int... shape) {
    Tensor t = Tensor.zeros(name, shape);
    for (int i = 0; i < t.size(); i++) {
      t.data()[i] = i + 1;
    }
    return t;
  }

  @Test
  void keepsTensorsInOrderAndFindsThemByName() {
    Tensor w = tensor("w", 2, 2);
    Tensor b = tensor("b", 2);
    Parameters p = Parameters.of(w, b);

    assertThat(p.tensors()).containsExactly(w, b);
    assertThat(p.get("b")).isSameAs(b);
    assertThat(p.contains("w")).isTrue();
    assertThat(p.contains("x")).isFalse();
    assertThat(p.size()).isEqualTo(6);
    assertThat(p.isEmpty()).isFalse();
  }

  @Test
  void emptyHasNothing() {
    assertThat(Parameters.empty().isEmpty()).isTrue();
    assertThat(Parameters.empty().size()).isZero();
  }

  @Test
  void rejectsDuplicateNames() {
    assertThatThrownBy(() -> Parameters.of(tensor("w", 1), tensor("w", 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate tensor name: w");
  }

  @Test
  void listIsFixedAtConstruction() {
    List<Tensor> list = new ArrayList<>(List.of(tensor("w", 1)));
    Parameters p = Parameters.of(list);

    list.add(tensor("b", 1));

    assertThat(p.tensors()).hasSize(1);
    assertThatThrownBy(() -> p.tensors().add(tensor("c", 1)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void unknownNameIsInvalidArgumentListingKnownNames() {
    Parameters p = Parameters.of(tensor("w", 1), tensor("b", 1));

    assertThatThrownBy(() -> p.get("x"))
        .isInstanceOfSatisfying(
            FedlinkException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining("'x'")
        .hasMessageContaining("[w, b]");
  }

  @Test
  void copyIsDeep() {
    Parameters p = Parameters.of(tensor("w", 3));
    Parameters c = p.copy();

    p.get("w").data()[0] = 99;

    assertThat(c.get("w").data()[0]).isEqualTo(1f);
    assertThat(c).isNotEqualTo(p);
  }

  @Test
  void zerosLikeKeepsLayout() {
    Parameters p = Parameters.of(tensor("w", 2, 3), tensor("b", 3));
    Parameters z = p.zerosLike();

    p.requireSameLayout(z, "zeros");
    assertThat(z.get("w").data()).containsOnly(0f);
    assertThat(z.get("b").data()).containsOnly(0f);
    assertThat(z.get("w").shape()).isNotSameAs(p.get("w").shape());
  }

  @Test
  void requireSameLayoutRejectsOtherTensorCount() {
    Parameters p = Parameters.of(tensor("w", 2), tensor("b", 1));

    assertThatThrownBy(() -> p.requireSameLayout(Parameters.of(tensor("w", 2)), "update"))
        .isInstanceOfSatisfying(
            FedlinkException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessage("update has 1 tensors, expected 2");
  }

  @Test
  void requireSameLayoutNamesFirstDifferentTensor() {
    Parameters p = Parameters.of(tensor("w", 2), tensor("b", 1));
    Parameters other = Parameters.of(tensor("w", 2), tensor("b", 2));

    assertThatThrownBy(() -> p.requireSameLayout(other, "update"))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("update: tensor 1")
        .hasMessageContaining("Tensor[b [2]]")
        .hasMessageContaining("expected Tensor[b [1]]");
  }

  @Test
  void requireSameLayoutRejectsSameShapesInOtherOrder() {
    Parameters p = Parameters.of(tensor("w", 2), tensor("b", 2));
    Parameters swapped = Parameters.of(tensor("b", 2), tensor("w", 2));

    assertThatThrownBy(() -> p.requireSameLayout(swapped, "update"))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("tensor 0");
  }

  @Test
  void equalityFollowsTensors() {
    assertThat(Parameters.of(tensor("w", 2)))
        .isEqualTo(Parameters.of(tensor("w", 2)))
        .hasSameHashCodeAs(Parameters.of(tensor("w", 2)))
        .isNotEqualTo(Parameters.of(tensor("v", 2)));
  }
}
