package org.fedlink.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.core.ParametersCodec;
import org.fedlink.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFilesTest {
  @TempDir Path dir;

  private static Parameters model() {
    return Parameters.of(
        new Tensor(
            "layer0.weight",
            new int[] {2, 3},
            new float[] {0.5f, -0.0f, Float.MIN_VALUE, Float.MAX_VALUE, -1e-38f, 3.1415927f}),
        new Tensor("layer0.bias", new int[] {2}, new float[] {0.1f, -0.1f}),
        new Tensor("scalar", new int[] {}, new float[] {7f}),
        new Tensor("conv.weight", new int[] {1, 1, 2, 2}, new float[] {1, 2, 3, 4}));
  }

  private static void assertBitExact(Parameters a, Parameters b) {
    assertThat(b.tensors()).hasSameSizeAs(a.tensors());
    for (int i = 0; i < a.tensors().size(); i++) {
      Tensor x = a.tensors().get(i);
      Tensor y = b.tensors().get(i);
      assertThat(y.name()).isEqualTo(x.name());
      assertThat(y.shape()).isEqualTo(x.shape());
      for (int k = 0; k < x.size(); k++) {
        assertThat(Float.floatToRawIntBits(y.data()[k]))
            .as("%s[%d]", x.name(), k)
            .isEqualTo(Float.floatToRawIntBits(x.data()[k]));
      }
    }
  }

  @Test
  void everyFormatRoundTripsWithoutChangingABit() {
    for (String ext : new String[] {"flp", "npz", "safetensors"}) {
      Path f = dir.resolve("model." + ext);
      switch (ext) {
        case "npz" -> NpzFile.write(model(), f);
        case "safetensors" -> SafetensorsFile.write(model(), f);
        default -> ParametersCodec.write(model(), f);
      }
      assertBitExact(model(), ModelFiles.read(f));
    }
  }

  @Test
  void npzBytesAreTheSameForTheSameModel() {
    assertThat(NpzFile.encode(model())).isEqualTo(NpzFile.encode(model()));
  }

  @Test
  void unknownExtensionIsRefusedNamingTheFormats() {
    assertThatThrownBy(() -> ModelFiles.read(dir.resolve("model.bin")))
        .hasMessageContaining(".flp, .npz or .safetensors");
  }

  private Path zip(String entry, byte[] content, boolean stored) throws IOException {
    Path f = dir.resolve("hostile.npz");
    try (OutputStream o = Files.newOutputStream(f);
        ZipOutputStream z = new ZipOutputStream(o)) {
      ZipEntry e = new ZipEntry(entry);
      if (stored) {
        CRC32 crc = new CRC32();
        crc.update(content);
        e.setMethod(ZipEntry.STORED);
        e.setSize(content.length);
        e.setCrc(crc.getValue());
      }
      z.putNextEntry(e);
      z.write(content);
      z.closeEntry();
    }
    return f;
  }

  private static byte[] npyHeader(String dict) {
    byte[] h = (dict + "\n").getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocate(10 + h.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length);
    return b.put(h).array();
  }

  @Test
  void npzHeaderClaimingAHugeShapeIsRefusedBeforeAllocating() throws IOException {
    Path f =
        zip(
            "x.npy",
            npyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (50000, 40000), }"),
            false);
    assertThatThrownBy(() -> NpzFile.read(f, 1L << 30))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("array 'x' of shape [50000, 40000]")
        .hasMessageContaining("needs 8000000000 bytes, its entry holds 0");
  }

  @Test
  void npzShapeOverTheLimitIsRefusedEvenWhenTheEntryMatches() throws IOException {
    byte[] h = npyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1000,), }");
    byte[] content = new byte[h.length + 4000];
    System.arraycopy(h, 0, content, 0, h.length);
    Path f = zip("x.npy", content, false);
    assertThatThrownBy(() -> NpzFile.read(f, 1000)).hasMessageContaining("limit of 1000 bytes");
    assertThat(NpzFile.read(f, 4000).get("x").size()).isEqualTo(1000);
  }

  @Test
  void npzEntryDeclaringMoreThanTheLimitIsRefused() throws IOException {
    // A deflated run of zeros: a few KiB on disk, 64 MiB declared once inflated.
    byte[] h = npyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (16777216,), }");
    byte[] content = new byte[h.length + 64 * 1024 * 1024];
    System.arraycopy(h, 0, content, 0, h.length);
    Path f = zip("x.npy", content, false);
    assertThat(Files.size(f)).isLessThan(1 << 20);
    assertThatThrownBy(() -> NpzFile.read(f, 1 << 20))
        .hasMessageContaining("declares " + content.length + " bytes, more than the limit");
  }

  @Test
  void npzWithAnUnsupportedDtypeOrOrderIsRefused() throws IOException {
    Path f =
        zip("x.npy", npyHeader("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }"), true);
    assertThatThrownBy(() -> NpzFile.read(f, 1 << 20)).hasMessageContaining("dtype <c16");
    Path g =
        zip("y.npy", npyHeader("{'descr': '<f4', 'fortran_order': True, 'shape': (), }"), true);
    assertThatThrownBy(() -> NpzFile.read(g, 1 << 20)).hasMessageContaining("Fortran order");
    Path h = zip("z.txt", new byte[] {1, 2}, true);
    assertThatThrownBy(() -> NpzFile.read(h, 1 << 20))
        .hasMessageContaining("entry 'z.txt' is not a .npy array");
  }

  @Test
  void npzThatIsNotAZipIsRefused() throws IOException {
    Path f = dir.resolve("bad.npz");
    Files.write(f, "hello".getBytes(StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> ModelFiles.read(f))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("not a readable .npz");
  }

  private Path safetensors(String json, int dataBytes) throws IOException {
    byte[] h = json.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h);
    Path f = dir.resolve("hostile.safetensors");
    Files.write(f, b.array());
    return f;
  }

  @Test
  void safetensorsWithHostileHeadersAreRefused() throws IOException {
    Path huge = dir.resolve("huge.safetensors");
    Files.write(
        huge,
        ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE).array());
    assertThatThrownBy(() -> ModelFiles.read(huge))
        .hasMessageContaining("declares a header of " + Long.MAX_VALUE);

    Path shape =
        safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[1000,1000],\"data_offsets\":[0,8]}}", 8);
    assertThatThrownBy(() -> ModelFiles.read(shape))
        .hasMessageContaining("tensor 'w' of shape [1000, 1000]")
        .hasMessageContaining("needs 4000000 bytes")
        .hasMessageContaining("do not fit");
    Path tooLarge =
        safetensors(
            "{\"w\":{\"dtype\":\"F32\",\"shape\":[100000,100000],\"data_offsets\":[0,8]}}", 8);
    assertThatThrownBy(() -> ModelFiles.read(tooLarge)).hasMessageContaining("'w' is too large");

    Path past = safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8);
    assertThatThrownBy(() -> ModelFiles.read(past)).hasMessageContaining("do not fit the 8 bytes");

    Path dtype = safetensors("{\"w\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8);
    assertThatThrownBy(() -> ModelFiles.read(dtype)).hasMessageContaining("dtype C64");

    Path json = safetensors("{\"w\":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]}", 0);
    assertThatThrownBy(() -> ModelFiles.read(json)).hasMessageContaining("nested too deeply");

    Path overlap =
        safetensors(
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
            8);
    assertThatThrownBy(() -> ModelFiles.read(overlap))
        .hasMessageContaining("does not start where the previous one ends");
  }

  @Test
  void safetensorsHalfPrecisionIsWidened() throws IOException {
    Path f =
        safetensors(
            "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]}}",
            6);
    byte[] bytes = Files.readAllBytes(f);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int at = bytes.length - 6;
    b.putShort(at, (short) 0x3C00).putShort(at + 2, (short) 0xC000).putShort(at + 4, (short) 1);
    Files.write(f, bytes);
    assertThat(ModelFiles.read(f).get("h").data()).containsExactly(1f, -2f, 0x1p-24f);
  }

  @Test
  void errorsCarryTheInvalidArgumentCode() throws IOException {
    Path f = safetensors("{\"w\":1}", 0);
    assertThatThrownBy(() -> ModelFiles.read(f))
        .isInstanceOfSatisfying(
            FedlinkException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
  }
}
