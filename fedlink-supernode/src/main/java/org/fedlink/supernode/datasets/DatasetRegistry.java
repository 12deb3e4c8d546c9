package org.fedlink.supernode.datasets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.store.SqliteDatabase;
import org.fedlink.ml.CsvDatasetLoader;
import org.fedlink.ml.Dataset;
import org.fedlink.ml.ImageFolderLoader;
import org.fedlink.ml.NpzDatasetLoader;

/**
 * The datasets a node has registered, in its database. A task can only read data through {@link
 * #select}, which matches registered datasets by tags. Loaded files are cached by path and
 * modification time. Thread-safe.
 */
public final class DatasetRegistry implements DatasetSource {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(DatasetRegistry.class);

  /**
   * Supported formats: a CSV file, a NumPy {@code .npz} with {@code x} and {@code y}, or a folder
   * of images ({@code images:WxH:grayscale|rgb}, see {@link ImageFolderLoader.Options#format()}).
   */
  public static final List<String> FORMATS = List.of("csv", "npz", "images");

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

  private final SqliteDatabase db;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(long modified, Dataset data) {}

  public DatasetRegistry(SqliteDatabase db) {
    this.db = db;
  }

  /**
   * Registers a dataset after loading it once to check it.
   *
   * @throws FedlinkException if the name or tags are invalid, the name is taken, the format is not
   *     supported or the file cannot be read as that format
   */
  public DatasetRecord add(String name, List<String> tags, Path file, String requested) {
    String format =
        "images".equals(requested)
            ? ImageFolderLoader.Options.parse(null, null).format()
            : requested;
    if (name == null || !NAME.matcher(name).matches()) {
      throw invalid("dataset name '" + name + "' is invalid: use letters, digits, '.', '_', '-'");
    }
    if (tags.isEmpty()) {
      throw invalid("a dataset needs at least one tag, e.g. --tags breast-cancer");
    }
    for (String t : tags) {
      if (!TAG.matcher(t).matches()) {
        throw invalid("tag '" + t + "' is invalid: use letters, digits, '.', '_', ':', '-'");
      }
    }
    if (format.startsWith("images:")) {
      ImageFolderLoader.Options.ofFormat(format);
    } else if (!FORMATS.contains(format)) {
      throw invalid("format '" + format + "' is not supported; use one of " + FORMATS);
    }
    Path abs = file.toAbsolutePath().normalize();
    if (format.startsWith("images:") ? !Files.isDirectory(abs) : !Files.isRegularFile(abs)) {
      throw new FedlinkException(
          ErrorCode.NOT_FOUND,
          (format.startsWith("images:") ? "image folder " : "dataset file ")
              + abs
              + " does not exist");
    }
    Dataset data = read(abs, format);
    long now = System.currentTimeMillis();
    return db.transaction(
        c -> {
          try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM dataset WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
              if (rs.next()) {
                throw new FedlinkException(
                    ErrorCode.ALREADY_EXISTS,
                    "a dataset named '" + name + "' exists; delete it first or pick another name");
              }
            }
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO dataset (name, tags, path, format, rows, cols, added_ms)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, name);
            s.setString(2, String.join(",", tags));
            s.setString(3, abs.toString());
            s.setString(4, format);
            s.setInt(5, data.rows());
            s.setInt(6, data.cols());
            s.setLong(7, now);
            s.executeUpdate();
          }
          return new DatasetRecord(name, tags, abs, format, data.rows(), data.cols(), now);
        });
  }

  /** All registered datasets, by name. */
  public List<DatasetRecord> list() {
    return db.transaction(
        c -> {
          List<DatasetRecord> out = new ArrayList<>();
          try (PreparedStatement s = c.prepareStatement("SELECT * FROM dataset ORDER BY name");
              ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              out.add(
                  new DatasetRecord(
                      rs.getString("name"),
                      Arrays.asList(rs.getString("tags").split(",")),
                      Path.of(rs.getString("path")),
                      rs.getString("format"),
                      rs.getInt("rows"),
                      rs.getInt("cols"),
                      rs.getLong("added_ms")));
            }
          }
          return out;
        });
  }

  /**
   * Removes a dataset's registration (the file itself is left alone).
   *
   * @throws FedlinkException NOT_FOUND if no dataset has this name
   */
  public void delete(String name) {
    int n =
        db.transaction(
            c -> {
              try (PreparedStatement s = c.prepareStatement("DELETE FROM dataset WHERE name = ?")) {
                s.setString(1, name);
                return s.executeUpdate();
              }
            });
    if (n == 0) {
      throw new FedlinkException(ErrorCode.NOT_FOUND, "no dataset named '" + name + "'");
    }
  }

  /**
   * The one registered dataset carrying all {@code tags}, loaded.
   *
   * @throws FedlinkException NO_MATCHING_DATASET if none matches, INVALID_ARGUMENT if several do
   */
  @Override
  public Dataset select(List<String> tags) {
    List<DatasetRecord> matches = new ArrayList<>();
    for (DatasetRecord r : list()) {
      if (r.hasTags(tags)) {
        matches.add(r);
      }
    }
    if (matches.isEmpty()) {
      throw new FedlinkException(ErrorCode.NO_MATCHING_DATASET, "no dataset with tags " + tags);
    }
    if (matches.size() > 1) {
      List<String> names = matches.stream().map(DatasetRecord::name).toList();
      throw invalid("tags " + tags + " match several datasets " + names + "; add a tag");
    }
    return load(matches.get(0));
  }

  /**
   * The dataset's first rows and per-column statistics, read from its file.
   *
   * @throws FedlinkException NOT_FOUND if no dataset has this name or its file is gone, or the
   *     loader's error if the file no longer parses
   */
  public DatasetPreview preview(String name, int firstRows) {
    DatasetRecord r =
        list().stream()
            .filter(d -> d.name().equals(name))
            .findFirst()
            .orElseThrow(
                () -> new FedlinkException(ErrorCode.NOT_FOUND, "no dataset named '" + name + "'"));
    return DatasetPreview.of(r, load(r), firstRows);
  }

  /** Reads a data set of a registered format. */
  static Dataset read(Path path, String format) {
    if (format.equals("npz")) {
      return NpzDatasetLoader.load(path);
    }
    if (format.startsWith("images:")) {
      return ImageFolderLoader.load(path, ImageFolderLoader.Options.ofFormat(format));
    }
    return CsvDatasetLoader.load(path);
  }

  private Dataset load(DatasetRecord r) {
    try {
      long modified = Files.getLastModifiedTime(r.path()).toMillis();
      Cached c = cache.get(r.path().toString());
      if (c != null && c.modified == modified) {
        return c.data;
      }
      Dataset data = read(r.path(), r.format());
      cache.put(r.path().toString(), new Cached(modified, data));
      return data;
    } catch (FedlinkException e) {
      // The node's log keeps the path and the value; a peer learns the dataset, line and column.
      log.warn("dataset '{}': {}", r.name(), e.getMessage());
      throw e.prefixed("dataset '" + r.name() + "': ");
    } catch (java.io.IOException e) {
      log.warn("dataset '{}': file {} is gone", r.name(), r.path());
      throw FedlinkException.withPeerMessage(
          ErrorCode.NOT_FOUND,
          "dataset '" + r.name() + "' file " + r.path() + " is gone",
          "dataset '" + r.name() + "': its file is gone; ask the node's admin");
    }
  }

  private static FedlinkException invalid(String message) {
    return new FedlinkException(ErrorCode.INVALID_ARGUMENT, message);
  }
}
