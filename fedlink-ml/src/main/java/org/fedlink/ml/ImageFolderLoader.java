package org.fedlink.ml;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * Image data sets in torchvision's ImageFolder layout: {@code DIR/<class>/<image>.png|.jpg}, one
 * sub-folder per class, classes numbered in the order of their folder names. Each image becomes one
 * row of {@code channels x height x width} values in [0, 1] (channel by channel, rows top to
 * bottom), grayscale (1 channel) or RGB (3), resized to {@code --size WxH} when given (bilinear);
 * without it every image must have the same size.
 *
 * <p>An image's width and height are read from its header and checked ({@value #MAX_SIDE} pixels at
 * most per side, {@value #MAX_PIXELS} in all) before it is decoded, so a small file declaring a
 * huge picture (a decompression bomb) is refused without allocating it; the whole data set is
 * checked against {@value #MAX_VALUES} values before the array is made. Stateless.
 */
public final class ImageFolderLoader {
  public static final int MAX_SIDE = 16_384;
  public static final long MAX_PIXELS = 40_000_000L;
  public static final long MAX_VALUES = 1L << 28;

  private static final Pattern SIZE = Pattern.compile("(\\d{1,5})x(\\d{1,5})");

  /** Settings of an image data set: target size (0 x 0 for "as stored") and channels. */
  public record Options(int width, int height, boolean rgb) {
    /**
     * Parses {@code --size WxH} (null for none) and {@code --color grayscale|rgb}.
     *
     * @throws FedlinkException INVALID_ARGUMENT naming the value and the form expected
     */
    public static Options parse(String size, String color) {
      int w = 0;
      int h = 0;
      if (size != null && !size.isBlank()) {
        Matcher m = SIZE.matcher(size.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
          throw bad("--size " + size + " must be WIDTHxHEIGHT, such as 28x28");
        }
        w = Integer.parseInt(m.group(1));
        h = Integer.parseInt(m.group(2));
        if (w < 1 || h < 1 || w > 4096 || h > 4096) {
          throw bad("--size " + size + " must be between 1x1 and 4096x4096");
        }
      }
      String c = color == null ? "grayscale" : color.trim().toLowerCase(Locale.ROOT);
      if (!c.equals("grayscale") && !c.equals("rgb")) {
        throw bad("--color " + color + " must be grayscale or rgb");
      }
      return new Options(w, h, c.equals("rgb"));
    }

    /** The format string a node stores, e.g. {@code images:28x28:grayscale}. */
    public String format() {
      return "images:"
          + (width == 0 ? "" : width + "x" + height)
          + ":"
          + (rgb ? "rgb" : "grayscale");
    }

    /** Parses {@link #format()}. */
    public static Options ofFormat(String format) {
      String[] p = format.split(":", -1);
      if (p.length != 3 || !p[0].equals("images")) {
        throw bad("image format '" + format + "' is not images:WxH:color");
      }
      return parse(p[1].isEmpty() ? null : p[1], p[2]);
    }
  }

  private ImageFolderLoader() {}

  /**
   * Loads every image under {@code dir}.
   *
   * @throws FedlinkException NOT_FOUND if the folder does not exist; INVALID_ARGUMENT naming the
   *     image or class folder for an unreadable image, a class with no image, images of mixed sizes
   *     without {@code --size}, or a picture or data set past the limits
   */
  public static Dataset load(Path dir, Options options) {
    if (!Files.isDirectory(dir)) {
      throw new FedlinkException(
          ErrorCode.NOT_FOUND, "image folder " + dir + " does not exist or is not a folder");
    }
    List<Path> classes = list(dir, Files::isDirectory);
    if (classes.isEmpty()) {
      throw bad(
          "image folder "
              + dir
              + " has no class sub-folders; lay it out as DIR/<class>/<image>.png");
    }
    List<Path> files = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (int c = 0; c < classes.size(); c++) {
      List<Path> images = list(classes.get(c), ImageFolderLoader::isImage);
      if (images.isEmpty()) {
        throw bad(
            "class folder "
                + classes.get(c)
                + " has no .png or .jpg image; remove it or add images");
      }
      for (Path p : images) {
        files.add(p);
        labels.add(c);
      }
    }
    int channels = options.rgb() ? 3 : 1;
    int w = options.width();
    int h = options.height();
    if (w == 0) {
      int[] first = dimensions(files.get(0));
      w = first[0];
      h = first[1];
    }
    long values = (long) files.size() * channels * w * h;
    if (values > MAX_VALUES) {
      throw bad(
          files.size()
              + " images of "
              + channels
              + "x"
              + h
              + "x"
              + w
              + " make "
              + values
              + " values, more than "
              + MAX_VALUES
              + "; give a smaller --size");
    }
    int cols = channels * w * h;
    float[] x = new float[(int) values];
    int[] y = new int[files.size()];
    for (int i = 0; i < files.size(); i++) {
      Path f = files.get(i);
      int[] d = dimensions(f);
      if (options.width() == 0 && (d[0] != w || d[1] != h)) {
        throw bad(
            "image "
                + f
                + " is "
                + d[0]
                + "x"
                + d[1]
                + " but "
                + files.get(0)
                + " is "
                + w
                + "x"
                + h
                + "; give --size WxH to resize them all");
      }
      BufferedImage img = read(f);
      BufferedImage scaled = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = scaled.createGraphics();
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(img, 0, 0, w, h, null);
      g.dispose();
      int off = i * cols;
      for (int r = 0; r < h; r++) {
        for (int col = 0; col < w; col++) {
          int rgb = scaled.getRGB(col, r);
          float red = ((rgb >> 16) & 0xFF) / 255f;
          float green = ((rgb >> 8) & 0xFF) / 255f;
          float blue = (rgb & 0xFF) / 255f;
          int px = r * w + col;
          if (channels == 1) {
            x[off + px] = 0.299f * red + 0.587f * green + 0.114f * blue;
          } else {
            x[off + px] = red;
            x[off + w * h + px] = green;
            x[off + 2 * w * h + px] = blue;
          }
        }
      }
      y[i] = labels.get(i);
    }
    return new Dataset(x, y, files.size(), cols);
  }

  /** Width and height from the image's header, checked against the limits; nothing decoded. */
  static int[] dimensions(Path f) {
    try (ImageInputStream in = ImageIO.createImageInputStream(f.toFile())) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw bad("image " + f + " cannot be read: not a PNG or JPEG file");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        if (w < 1 || h < 1 || w > MAX_SIDE || h > MAX_SIDE || (long) w * h > MAX_PIXELS) {
          throw bad(
              "image "
                  + f
                  + " declares "
                  + w
                  + "x"
                  + h
                  + " pixels, past the limit of "
                  + MAX_SIDE
                  + " per side and "
                  + MAX_PIXELS
                  + " in all; refused before decoding");
        }
        return new int[] {w, h};
      } finally {
        reader.dispose();
      }
    } catch (IOException e) {
      throw bad("image " + f + " cannot be read: " + e.getMessage());
    }
  }

  private static BufferedImage read(Path f) {
    try {
      BufferedImage img = ImageIO.read(f.toFile());
      if (img == null) {
        throw bad("image " + f + " cannot be read: not a PNG or JPEG file");
      }
      return img;
    } catch (IOException | RuntimeException e) {
      if (e instanceof FedlinkException fe) {
        throw fe;
      }
      throw bad("image " + f + " cannot be read: " + e.getMessage());
    }
  }

  private static boolean isImage(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return Files.isRegularFile(p)
        && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg"));
  }

  private static List<Path> list(Path dir, java.util.function.Predicate<Path> keep) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(keep)
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw bad("cannot list " + dir + ": " + e.getMessage());
    }
  }

  private static FedlinkException bad(String m) {
    return new FedlinkException(ErrorCode.INVALID_ARGUMENT, m);
  }
}
