package org.fedlink.ml.plan;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * The source files a researcher sends with a training plan for the node's admin to read. They are
 * what the researcher claims the plan was built from: the node runs the hashed class files of the
 * JAR, never these. Bounded in number, path length and total size on both sides, so the same limits
 * hold when a node reads them from a request. Immutable.
 */
public final class PlanSources {
  /** Most bytes of source text (UTF-8, paths included) one request may carry: 1 MiB. */
  public static final int MAX_TOTAL_BYTES = 1 << 20;

  /** Most source files one request may carry. */
  public static final int MAX_FILES = 1000;

  /** Longest path of a source file, in characters. */
  public static final int MAX_PATH_CHARS = 512;

  /** The file name suffix {@link #read} collects. */
  public static final String SUFFIX = ".java";

  private static final PlanSources NONE = new PlanSources(List.of());

  private final List<SourceFile> files;

  private PlanSources(List<SourceFile> files) {
    this.files = List.copyOf(files);
  }

  /** No sources. */
  public static PlanSources none() {
    return NONE;
  }

  /**
   * The {@value #SUFFIX} files under {@code dir} (symbolic links are not followed), by path.
   *
   * @throws FedlinkException {@link ErrorCode#NOT_FOUND} if {@code dir} is not a directory or a
   *     file cannot be read; {@link ErrorCode#INVALID_ARGUMENT} if it holds no {@value #SUFFIX}
   *     file, more than {@value #MAX_FILES} or more than {@value #MAX_TOTAL_BYTES} bytes of them,
   *     or one that is not UTF-8 text
   */
  public static PlanSources read(Path dir) {
    Objects.requireNonNull(dir, "dir");
    if (!Files.isDirectory(dir)) {
      throw new FedlinkException(
          ErrorCode.NOT_FOUND, "source directory " + dir + " does not exist or is not a directory");
    }
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(dir)) {
      paths =
          walk.filter(p -> p.getFileName() != null && p.getFileName().toString().endsWith(SUFFIX))
              .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
              .limit(MAX_FILES + 1L)
              .toList();
    } catch (IOException | UncheckedIOException e) {
      throw new FedlinkException(
          ErrorCode.NOT_FOUND, "cannot list the source directory " + dir + ": " + e.getMessage());
    }
    if (paths.isEmpty()) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "source directory "
              + dir
              + " holds no "
              + SUFFIX
              + " file; point --sources at the"
              + " directory of the plan's source files");
    }
    if (paths.size() > MAX_FILES) {
      throw tooMany(dir.toString());
    }
    Map<String, String> texts = new TreeMap<>();
    long total = 0;
    for (Path p : paths) {
      String name = dir.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
      byte[] bytes;
      try (InputStream in = Files.newInputStream(p)) {
        bytes = in.readNBytes((int) Math.max(0, MAX_TOTAL_BYTES - total) + 1);
      } catch (IOException e) {
        throw new FedlinkException(
            ErrorCode.NOT_FOUND, "cannot read source file " + p + ": " + e.getMessage());
      }
      total += bytes.length + utf8(name);
      if (total > MAX_TOTAL_BYTES) {
        throw tooLarge(dir.toString());
      }
      String text = SourceFile.strictUtf8(bytes);
      if (text == null) {
        throw new FedlinkException(
            ErrorCode.INVALID_ARGUMENT,
            "source file " + p + " is not UTF-8 text; convert it to UTF-8 or leave it out");
      }
      texts.put(name, text);
    }
    return of(texts);
  }

  /**
   * The sources of a request: path to text. The map comes from a peer, so every limit is checked.
   *
   * @throws FedlinkException {@link ErrorCode#INVALID_ARGUMENT} if there are more than {@value
   *     #MAX_FILES} files or {@value #MAX_TOTAL_BYTES} bytes, or a path is empty or longer than
   *     {@value #MAX_PATH_CHARS} characters
   */
  public static PlanSources of(Map<String, String> pathToText) {
    Objects.requireNonNull(pathToText, "pathToText");
    if (pathToText.isEmpty()) {
      return NONE;
    }
    if (pathToText.size() > MAX_FILES) {
      throw tooMany("the request");
    }
    List<SourceFile> files = new ArrayList<>(pathToText.size());
    long chars = 0;
    for (Map.Entry<String, String> e : new TreeMap<>(pathToText).entrySet()) {
      String path = e.getKey();
      if (path.isEmpty() || path.length() > MAX_PATH_CHARS) {
        throw new FedlinkException(
            ErrorCode.INVALID_ARGUMENT,
            "a source file path is empty or longer than " + MAX_PATH_CHARS + " characters");
      }
      // UTF-8 never takes fewer bytes than UTF-16 chars: refuse a huge text before encoding it.
      chars += path.length() + e.getValue().length();
      if (chars > MAX_TOTAL_BYTES) {
        throw tooLarge("the request");
      }
      files.add(new SourceFile(path, e.getValue()));
    }
    if (bytes(files) > MAX_TOTAL_BYTES) {
      throw tooLarge("the request");
    }
    return new PlanSources(files);
  }

  /** The files, by path. */
  public List<SourceFile> files() {
    return files;
  }

  /** True if there are no files. */
  public boolean isEmpty() {
    return files.isEmpty();
  }

  /** Path to text, in path order. */
  public Map<String, String> toMap() {
    Map<String, String> out = new TreeMap<>();
    for (SourceFile f : files) {
      out.put(f.path(), f.text());
    }
    return Collections.unmodifiableMap(out);
  }

  /** Total size of paths and texts in UTF-8 bytes. */
  public long totalBytes() {
    return bytes(files);
  }

  private static long bytes(List<SourceFile> files) {
    return files.stream().mapToLong(f -> f.utf8Bytes() + utf8(f.path())).sum();
  }

  private static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static FedlinkException tooLarge(String where) {
    return new FedlinkException(
        ErrorCode.INVALID_ARGUMENT,
        "the source files of "
            + where
            + " exceed "
            + MAX_TOTAL_BYTES
            + " bytes (1 MiB); send only the plan's own sources");
  }

  private static FedlinkException tooMany(String where) {
    return new FedlinkException(
        ErrorCode.INVALID_ARGUMENT,
        where
            + " holds more than "
            + MAX_FILES
            + " source files; send only the plan's own sources");
  }
}
