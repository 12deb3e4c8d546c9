package org.fedlink.crypto.secagg;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SlotPackingTest {
  @Test
  void unpackInvertsPackForEveryWidth() {
    Random random = new Random(1);
    for (int slotBits = 1; slotBits <= 62; slotBits++) {
      int count = 1 + random.nextInt(60);
      long[] slots = new long[count];
      BigInteger expected = BigInteger.ZERO;
      for (int k = 0; k < count; k++) {
        slots[k] = random.nextLong() >>> (64 - slotBits);
        expected = expected.or(BigInteger.valueOf(slots[k]).shiftLeft(k * slotBits));
      }
      BigInteger packed = SlotPacking.pack(slots, 0, count, slotBits);
      assertThat(packed).as("width %d", slotBits).isEqualTo(expected);
      long[] back = new long[count + 2];
      SlotPacking.unpack(packed, count, slotBits, back, 2);
      for (int k = 0; k < count; k++) {
        assertThat(back[k + 2]).isEqualTo(slots[k]);
      }
    }
  }
}
