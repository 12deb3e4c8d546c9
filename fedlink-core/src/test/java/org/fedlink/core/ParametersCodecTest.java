package org.fedlink.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParametersCodecTest {

  @TempDir Path dir;

  private static Parameters tiny() {
    return Parameters.of(new Tensor("a", new int[] {2}, new float[] {1.0f, -2.0f}));
  }

  private static Parameters random(Random rnd) {
    int count = rnd.nextInt(5);
    List<Tensor> tensors = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      int rank = rnd.nextInt(4);
      int[] shape = new int[rank];
      int size = 1;
      for (int r = 0; r < rank; r++) {
        shape[r] = 1 + rnd.nextInt(5);
        size *= shape[r];
      }
      float[] data = new float[size];
      for (int i = 0; i < size; i++) {
        data[i] = Float.intBitsToFloat(rnd.nextInt());
      }
      tensors.add(new Tensor("t" + k + "-é层", shape, data));
    }
    return Parameters.of(tensors);
  }

  private static void assertInvalid(ThrowingCallable call, String messagePart) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            FedlinkException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining(messagePart);
  }

  @Test
  void encodesTheDocumentedLayout() {
    byte[] bytes = ParametersCodec.encode(tiny());

    assertThat(HexFormat.of().formatHex(bytes))
        .isEqualTo(
            "464c504d" // magic FLPM
                + "01" // version
                + "01000000" // one tensor
                + "0100"
                + "61" // name "a"
                + "01"
                + "02000000" // rank 1, dimension 2
                + "0000803f" // 1.0f
                + "000000c0"); // -2.0f
  }

  @Test
  void roundTripsSeededRandomParametersBitForBit() {
    Random rnd = new Random(20240611L);
    for (int i = 0; i < 200; i++) {
      Parameters p = random(rnd);

      Parameters back = ParametersCodec.decode(ParametersCodec.encode(p));

      // Tensor equality compares floats by bits, so NaN payloads and -0.0 must survive too.
      assertThat(back).isEqualTo(p);
    }
  }

  @Test
  void roundTripsEmptyParametersAndScalars() {
    Parameters scalar = Parameters.of(new Tensor("s", new int[0], new float[] {-0.0f}));

    assertThat(ParametersCodec.decode(ParametersCodec.encode(Parameters.empty())))
        .isEqualTo(Parameters.empty());
    assertThat(ParametersCodec.decode(ParametersCodec.encode(scalar))).isEqualTo(scalar);
  }

  @Test
  void rejectsBadMagic() {
    byte[] bytes = ParametersCodec.encode(tiny());
    bytes[0] = 'X';

    assertInvalid(() -> ParametersCodec.decode(bytes), "bad magic");
  }

  @Test
  void rejectsUnknownVersion() {
    byte[] bytes = ParametersCodec.encode(tiny());
    bytes[4] = 2;

    assertInvalid(() -> ParametersCodec.decode(bytes), "version 2 is not supported");
  }

  @Test
  void rejectsEveryTruncation() {
    byte[] bytes = ParametersCodec.encode(random(new Random(7)));
    for (int n = 0; n < bytes.length; n++) {
      byte[] prefix = Arrays.copyOf(bytes, n);

      assertThatThrownBy(() -> ParametersCodec.decode(prefix))
          .as("prefix of %d bytes", n)
          .isInstanceOfSatisfying(
              FedlinkException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }
  }

  @Test
  void rejectsTrailingBytes() {
    byte[] encoded = ParametersCodec.encode(tiny());
    byte[] bytes = Arrays.copyOf(encoded, encoded.length + 3);

    assertInvalid(() -> ParametersCodec.decode(bytes), "3 unexpected trailing bytes");
  }

  @Test
  void rejectsImplausibleTensorCount() {
    assertInvalid(() -> ParametersCodec.decode(header(-1).array()), "implausible tensor count -1");
    assertInvalid(
        () -> ParametersCodec.decode(header(2_000_000).array()), "implausible tensor count");
  }

  @Test
  void rejectsZeroDimension() {
    ByteBuffer b = header(1);
    tensorHeader(b, "a", 0);

    assertInvalid(() -> ParametersCodec.decode(b.array()), "dimension 0 must be at least 1");
  }

  @Test
  void rejectsDuplicateTensorNames() {
    Tensor t = new Tensor("w", new int[] {1}, new float[] {1});
    byte[] one = ParametersCodec.encode(Parameters.of(t));
    // Two copies of the same tensor record under a count of 2.
    byte[] record = Arrays.copyOfRange(one, 9, one.length);
    ByteBuffer b = header(2);
    b.put(record).put(record);

    assertInvalid(() -> ParametersCodec.decode(Arrays.copyOf(b.array(), b.position())), "w");
  }

  @Test
  void rejectsShapeWhoseSizeOverflowsInsteadOfFailingWithAnotherException() {
    // 4 * 3 * 715827883 * 2147483647 = 2^64 - 4: the long product wraps to -4.
    ByteBuffer b = header(1);
    tensorHeader(b, "a", 4, 3, 715827883, 2147483647);

    assertThatThrownBy(() -> ParametersCodec.decode(Arrays.copyOf(b.array(), b.position())))
        .isInstanceOfSatisfying(
            FedlinkException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
  }

  @Test
  void rejectsShapeWhoseSizeWrapsToZero() {
    // 65536^4 = 2^64 wraps to 0: no data would follow, yet the shape claims 2^64 values.
    ByteBuffer b = header(1);
    tensorHeader(b, "a", 65536, 65536, 65536, 65536);

    assertThatThrownBy(() -> ParametersCodec.decode(Arrays.copyOf(b.array(), b.position())))
        .isInstanceOfSatisfying(
            FedlinkException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
  }

  @Test
  void writesAndReadsAFileAtomically() throws IOException {
    Parameters p = random(new Random(3));
    Path file = dir.resolve("sub/model.flp");

    ParametersCodec.write(p, file);
    ParametersCodec.write(p, file);

    assertThat(ParametersCodec.read(file)).isEqualTo(p);
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void readingAMissingFileIsNotFound() {
    Path file = dir.resolve("absent.flp");

    assertThatThrownBy(() -> ParametersCodec.read(file))
        .isInstanceOfSatisfying(
            FedlinkException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
        .hasMessageContaining(file.toString());
  }

  @Test
  void readingACorruptFileNamesTheFile() throws IOException {
    Path file = dir.resolve("corrupt.flp");
    Files.writeString(file, "not a model", StandardCharsets.UTF_8);

    assertInvalid(() -> ParametersCodec.read(file), file + ": not a Fedlink parameters file");
  }

  private static ByteBuffer header(int count) {
    ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {'F', 'L', 'P', 'M'}).put((byte) 1).putInt(count);
    return b;
  }

  private static void tensorHeader(ByteBuffer b, String name, int... dims) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    b.putShort((short) n.length).put(n).put((byte) dims.length);
    for (int d : dims) {
      b.putInt(d);
    }
  }
}
