package org.fedlink.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
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
import javax.imageio.ImageIO;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;
import org.fedlink.core.model.NpzFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image folders and NumPy archives as data sets, and what they refuse. */
class ImageDatasetsTest {
  @TempDir Path dir;

  private Path image(String cls, String name, int w, int h, int rgb) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, rgb);
      }
    }
    Path f = dir.resolve("imgs").resolve(cls).resolve(name);
    Files.createDirectories(f.getParent());
    ImageIO.write(img, name.endsWith(".jpg") ? "jpg" : "png", f.toFile());
    return f;
  }

  @Test
  void classFoldersBecomeLabelsAndPixelsBecomeValues() throws IOException {
    image("cat", "a.png", 4, 3, 0xFF0000);
    image("cat", "b.png", 4, 3, 0x00FF00);
    image("dog", "c.png", 4, 3, 0x0000FF);
    Dataset gray =
        ImageFolderLoader.load(dir.resolve("imgs"), ImageFolderLoader.Options.parse(null, null));
    assertThat(gray.rows()).isEqualTo(3);
    assertThat(gray.cols()).isEqualTo(12);
    assertThat(gray.y()).containsExactly(0, 0, 1);
    assertThat(gray.x()[0]).isCloseTo(0.299f, org.assertj.core.data.Offset.offset(1e-4f));
    Dataset rgb =
        ImageFolderLoader.load(dir.resolve("imgs"), ImageFolderLoader.Options.parse("2x2", "rgb"));
    assertThat(rgb.cols()).isEqualTo(3 * 2 * 2);
    // Channel by channel: the first image is all red.
    assertThat(rgb.x()).startsWith(1f, 1f, 1f, 1f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f);
  }

  @Test
  void mixedSizesNeedSizeAndEmptyClassesAreRefused() throws IOException {
    image("a", "1.png", 4, 4, 0);
    image("b", "2.png", 5, 4, 0);
    Path imgs = dir.resolve("imgs");
    assertThatThrownBy(
            () -> ImageFolderLoader.load(imgs, ImageFolderLoader.Options.parse(null, null)))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("is 5x4 but")
        .hasMessageContaining("give --size WxH");
    assertThat(ImageFolderLoader.load(imgs, ImageFolderLoader.Options.parse("4x4", null)).rows())
        .isEqualTo(2);
    Files.createDirectories(imgs.resolve("empty"));
    assertThatThrownBy(
            () -> ImageFolderLoader.load(imgs, ImageFolderLoader.Options.parse("4x4", null)))
        .hasMessageContaining(
            "class folder " + imgs.resolve("empty") + " has no .png or .jpg image");
    assertThatThrownBy(() -> ImageFolderLoader.Options.parse("4by4", null))
        .hasMessageContaining("--size 4by4 must be WIDTHxHEIGHT");
  }

  @Test
  void anUnreadableImageIsNamed() throws IOException {
    image("a", "1.png", 4, 4, 0);
    Path bad = dir.resolve("imgs/a/2.png");
    Files.writeString(bad, "not an image");
    assertThatThrownBy(
            () ->
                ImageFolderLoader.load(
                    dir.resolve("imgs"), ImageFolderLoader.Options.parse(null, null)))
        .hasMessage("image " + bad + " cannot be read: not a PNG or JPEG file");
  }

  /** A valid PNG header declaring a picture of {@code w x h} pixels, with no pixel data. */
  private static byte[] pngDeclaring(int w, int h) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h);
    ihdr.put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(OutputStream out, String type, byte[] data) throws IOException {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.write(ByteBuffer.allocate(4).putInt(data.length).array());
    out.write(t);
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  @Test
  void aSmallPngDeclaringAHugePictureIsRefusedBeforeDecoding() throws IOException {
    image("a", "1.png", 4, 4, 0);
    Path bomb = dir.resolve("imgs/a/bomb.png");
    Files.write(bomb, pngDeclaring(100_000, 100_000));
    assertThat(Files.size(bomb)).isLessThan(100);
    assertThatThrownBy(
            () ->
                ImageFolderLoader.load(
                    dir.resolve("imgs"), ImageFolderLoader.Options.parse("4x4", null)))
        .hasMessageContaining("declares 100000x100000 pixels, past the limit")
        .hasMessageContaining("refused before decoding");
  }

  @Test
  void npzDataSetsTakeXAndYOfAnyIntegerType() throws IOException {
    float[] x = new float[3 * 4];
    for (int i = 0; i < x.length; i++) {
      x[i] = i;
    }
    Path f = dir.resolve("data.npz");
    // y as int64, the dtype numpy gives integer labels.
    ByteBuffer y =
        ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putLong(2).putLong(0).putLong(1);
    byte[] xNpy = npy("<f4", "(3, 2, 2)", toBytes(x));
    byte[] yNpy = npy("<i8", "(3,)", y.array());
    try (OutputStream o = Files.newOutputStream(f);
        ZipOutputStream z = new ZipOutputStream(o)) {
      z.putNextEntry(new ZipEntry("x.npy"));
      z.write(xNpy);
      z.putNextEntry(new ZipEntry("y.npy"));
      z.write(yNpy);
    }
    Dataset d = NpzDatasetLoader.load(f);
    assertThat(d.rows()).isEqualTo(3);
    assertThat(d.cols()).isEqualTo(4);
    assertThat(d.y()).containsExactly(2, 0, 1);
    assertThat(d.x()).isEqualTo(x);

    Path noY = dir.resolve("noy.npz");
    NpzFile.write(Parameters.of(new Tensor("x", new int[] {3, 4}, x)), noY);
    assertThatThrownBy(() -> NpzDatasetLoader.load(noY))
        .hasMessageContaining("needs arrays 'x' (features) and 'y' (labels), has [x]");
    Path fractional = dir.resolve("frac.npz");
    NpzFile.write(
        Parameters.of(
            new Tensor("x", new int[] {3, 4}, x),
            new Tensor("y", new int[] {3}, new float[] {0, 0.5f, 1})),
        fractional);
    assertThatThrownBy(() -> NpzDatasetLoader.load(fractional))
        .hasMessageContaining("y[1] = 0.5 is not a class number");
  }

  private static byte[] toBytes(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return b.array();
  }

  private static byte[] npy(String descr, String shape, byte[] data) {
    String h = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }\n";
    byte[] hb = h.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocate(10 + hb.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) hb.length);
    return b.put(hb).put(data).array();
  }
}
