package org.fedlink.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TensorTest {

  @Test
  void acceptsShapeMatchingData() {
    Tensor t = new Tensor("w", new int[] {2, 3}, new float[6]);

    assertThat(t.size()).isEqualTo(6);
    assertThat(t.shape()).containsExactly(2, 3);
  }

  @Test
  void scalarHasEmptyShapeAndOneValue() {
    Tensor t = new Tensor("b", new int[0], new float[] {1.5f});

    assertThat(t.size()).isEqualTo(1);
  }

  @Test
  void rejectsEmptyName() {
    assertThatThrownBy(() -> new Tensor("", new int[] {1}, new float[1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name must not be empty");
  }

  @Test
  void rejectsNullComponentsNamingThem() {
    assertThatThrownBy(() -> new Tensor(null, new int[] {1}, new float[1]))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name");
    assertThatThrownBy(() -> new Tensor("w", null, new float[1]))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("shape");
    assertThatThrownBy(() -> new Tensor("w", new int[] {1}, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("data");
  }

  @Test
  void rejectsNonPositiveDimensionNamingIt() {
    assertThatThrownBy(() -> new Tensor("w", new int[] {2, 0}, new float[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tensor w")
        .hasMessageContaining("dimension 0")
        .hasMessageContaining("[2, 0]");
    assertThatThrownBy(() -> new Tensor("w", new int[] {-1, -2}, new float[2]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dimension -1");
  }

  @Test
  void rejectsDataOfWrongLength() {
    assertThatThrownBy(() -> new Tensor("w", new int[] {2, 3}, new float[5]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holds 6 values but data has 5");
  }

  @Test
  void rejectsShapeWhoseSizeOverflows() {
    // 65536^4 = 2^64 wraps to 0 in a long: an empty array must not pass for such a shape.
    int[] shape = {65536, 65536, 65536, 65536};

    assertThatThrownBy(() -> new Tensor("w", shape, new float[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tensor w");
  }

  @Test
  void zerosHasShapeAndOnlyZeros() {
    Tensor t = Tensor.zeros("w", 3, 4);

    assertThat(t.shape()).containsExactly(3, 4);
    assertThat(t.data()).hasSize(12).containsOnly(0f);
  }

  @Test
  void zerosRejectsTooLargeShape() {
    assertThatThrownBy(() -> Tensor.zeros("big", 65536, 65536))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too large");
  }

  @Test
  void zerosRejectsNegativeDimensionWithItsMessage() {
    assertThatThrownBy(() -> Tensor.zeros("w", -1, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dimension -1");
  }

  @Test
  void sharesItsArrayButCopyDoesNot() {
    float[] data = {1, 2, 3};
    Tensor t = new Tensor("w", new int[] {3}, data);
    Tensor c = t.copy();

    data[0] = 42;

    assertThat(t.data()[0]).isEqualTo(42f);
    assertThat(c.data()[0]).isEqualTo(1f);
    assertThat(c.shape()).isNotSameAs(t.shape()).containsExactly(3);
  }

  @Test
  void equalityComparesNameShapeAndValues() {
    Tensor a = new Tensor("w", new int[] {2}, new float[] {1, Float.NaN});
    Tensor same = new Tensor("w", new int[] {2}, new float[] {1, Float.NaN});

    assertThat(a).isEqualTo(same).hasSameHashCodeAs(same);
    assertThat(a).isNotEqualTo(new Tensor("v", new int[] {2}, new float[] {1, Float.NaN}));
    assertThat(a).isNotEqualTo(new Tensor("w", new int[] {1, 2}, new float[] {1, Float.NaN}));
    assertThat(a).isNotEqualTo(new Tensor("w", new int[] {2}, new float[] {1, 2}));
  }

  @Test
  void sameLayoutIgnoresValues() {
    Tensor a = new Tensor("w", new int[] {2}, new float[] {1, 2});

    assertThat(a.sameLayout(new Tensor("w", new int[] {2}, new float[] {3, 4}))).isTrue();
    assertThat(a.sameLayout(new Tensor("v", new int[] {2}, new float[] {1, 2}))).isFalse();
    assertThat(a.sameLayout(new Tensor("w", new int[] {1, 2}, new float[] {1, 2}))).isFalse();
  }

  @Test
  void toStringShowsNameAndShapeNotValues() {
    assertThat(new Tensor("w", new int[] {1, 2}, new float[] {7, 8}).toString())
        .isEqualTo("Tensor[w [1, 2]]");
  }
}
