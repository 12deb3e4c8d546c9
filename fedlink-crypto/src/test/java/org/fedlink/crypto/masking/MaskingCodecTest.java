package org.fedlink.crypto.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaskingCodecTest {
  @Test
  void maskedVectorsRoundTripAndEveryTruncationIsRefused() {
    RingVector v = new RingVector(5, 32);
    for (int i = 0; i < 5; i++) {
      v.set(i, -i * 1000L);
    }
    byte[] bytes = MaskingCodec.encodeMasked(new MaskingCodec.MaskedBlob("lom", "s", "r", v));
    MaskingCodec.MaskedBlob back = MaskingCodec.decodeMasked(bytes);
    assertThat(back.vector()).isEqualTo(v);
    assertThat(back.roundId()).isEqualTo("r");
    for (int n = 0; n < bytes.length; n++) {
      byte[] cut = Arrays.copyOf(bytes, n);
      assertThatThrownBy(() -> MaskingCodec.decodeMasked(cut))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aHugeDeclaredLengthIsRefusedBeforeAllocating() {
    byte[] bytes =
        MaskingCodec.encodeMasked(
            new MaskingCodec.MaskedBlob("lom", "s", "r", new RingVector(2, 64)));
    ByteBuffer.wrap(bytes).putInt(bytes.length - 16 - 4, Integer.MAX_VALUE);
    assertThatThrownBy(() -> MaskingCodec.decodeMasked(bytes))
        .hasMessageContaining("needs")
        .isInstanceOf(IllegalArgumentException.class);
    byte[] keys =
        MaskingCodec.encodeKeys(List.of(new SignedKeys(1, "c", new byte[32], new byte[0])));
    ByteBuffer.wrap(keys).putInt(0, 1 << 30);
    assertThatThrownBy(() -> MaskingCodec.decodeKeys(keys)).hasMessageContaining("item count");
  }

  @Test
  void messagesRoundTripAndRepeatedSendersAreRefused() {
    List<SignedKeys> keys = List.of(new SignedKeys(7, "node-7", new byte[64], new byte[] {1, 2}));
    assertThat(MaskingCodec.decodeKeys(MaskingCodec.encodeKeys(keys)).get(0).component())
        .isEqualTo("node-7");
    byte[] map = MaskingCodec.encodeIdMap(Map.of(3L, new byte[] {9}));
    assertThat(MaskingCodec.decodeIdMap(map).get(3L)).containsExactly(9);
    byte[] twice = new byte[4 + 2 * (8 + 4 + 1)];
    ByteBuffer b = ByteBuffer.wrap(twice).putInt(2);
    b.putLong(3).putInt(1).put((byte) 1).putLong(3).putInt(1).put((byte) 2);
    assertThatThrownBy(() -> MaskingCodec.decodeIdMap(twice)).hasMessageContaining("twice");
    List<SecAggPlusNode.Reveal> reveals =
        List.of(
            new SecAggPlusNode.Reveal(4, true, new Shamir.Share(2, new long[] {1, 2, 3, 4, 5})));
    assertThat(MaskingCodec.decodeReveals(MaskingCodec.encodeReveals(reveals)).get(0).share().x())
        .isEqualTo(2);
  }
}
