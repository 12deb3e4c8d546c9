package org.fedlink.supernode.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.store.SqliteDatabase;
import org.fedlink.ml.Dataset;
import org.fedlink.supernode.NodeDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetRegistryTest {
  @TempDir Path home;
  private SqliteDatabase db;
  private DatasetRegistry registry;

  @BeforeEach
  void open() {
    db = NodeDatabase.open(home);
    registry = new DatasetRegistry(db);
  }

  @AfterEach
  void close() {
    db.close();
  }

  /** A CSV of {@code rows} rows, {@code cols} features and a 0/1 label in the last column. */
  private Path csv(String name, int rows, int cols) throws IOException {
    Random rnd = new Random(rows * 31L + cols);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < rows; i++) {
      int label = i % 2;
      for (int j = 0; j < cols; j++) {
        sb.append(String.format(Locale.ROOT, "%.4f,", label * 2 - 1 + rnd.nextGaussian() * 0.3));
      }
      sb.append(label).append('\n');
    }
    Path file = home.resolve(name);
    Files.writeString(file, sb);
    return file;
  }

  private static void assertCode(ThrowingCallable call, ErrorCode code, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(FedlinkException.class, e -> assertThat(e.code()).isEqualTo(code))
        .hasMessageContaining(message);
  }

  @Test
  void addsAndListsADatasetWithItsShape() throws IOException {
    Path file = csv("iris.csv", 30, 4);

    DatasetRecord r = registry.add("iris", List.of("iris", "train"), file, "csv");

    assertThat(r.name()).isEqualTo("iris");
    assertThat(r.tags()).containsExactly("iris", "train");
    assertThat(r.path()).isEqualTo(file.toAbsolutePath().normalize());
    assertThat(r.format()).isEqualTo("csv");
    assertThat(r.rows()).isEqualTo(30);
    assertThat(r.cols()).isEqualTo(4);
    assertThat(registry.list()).containsExactly(r);
  }

  @Test
  void registrationsSurviveReopeningTheDatabase() throws IOException {
    DatasetRecord r = registry.add("iris", List.of("iris"), csv("iris.csv", 10, 2), "csv");
    db.close();

    db = NodeDatabase.open(home);
    registry = new DatasetRegistry(db);

    assertThat(registry.list()).containsExactly(r);
  }

  @Test
  void storesAnAbsoluteNormalizedPath() throws IOException {
    csv("d.csv", 10, 2);
    Path indirect = home.resolve("sub/../d.csv");
    Files.createDirectories(home.resolve("sub"));

    DatasetRecord r = registry.add("d", List.of("t"), indirect, "csv");

    assertThat(r.path()).isEqualTo(home.resolve("d.csv").toAbsolutePath());
  }

  @Test
  void listsByName() throws IOException {
    registry.add("zeta", List.of("z"), csv("z.csv", 10, 2), "csv");
    registry.add("alpha", List.of("a"), csv("a.csv", 10, 2), "csv");

    assertThat(registry.list()).extracting(DatasetRecord::name).containsExactly("alpha", "zeta");
  }

  @Test
  void deleteRemovesTheRegistrationButNotTheFile() throws IOException {
    Path file = csv("d.csv", 10, 2);
    registry.add("d", List.of("t"), file, "csv");

    registry.delete("d");

    assertThat(registry.list()).isEmpty();
    assertThat(Files.exists(file)).isTrue();
    assertCode(
        () -> registry.select(List.of("t")), ErrorCode.NO_MATCHING_DATASET, "no dataset with tags");
  }

  @Test
  void deletingAnUnknownNameIsNotFound() {
    assertCode(() -> registry.delete("nope"), ErrorCode.NOT_FOUND, "no dataset named 'nope'");
  }

  @Test
  void refusesInvalidNamesSayingWhatIsAllowed() throws IOException {
    Path file = csv("d.csv", 10, 2);
    for (String bad :
        new String[] {"", "-x", ".hidden", "a b", "../x", "a/b", "é", "x".repeat(65), null}) {
      assertCode(
          () -> registry.add(bad, List.of("t"), file, "csv"),
          ErrorCode.INVALID_ARGUMENT,
          "dataset name '" + bad + "' is invalid: use letters, digits, '.', '_', '-'");
    }
    assertThat(registry.list()).isEmpty();
  }

  @Test
  void acceptsNamesUpToSixtyFourCharacters() throws IOException {
    String name = "a" + "b.-_9".repeat(12) + "xyz";

    registry.add(name, List.of("t"), csv("d.csv", 10, 2), "csv");

    assertThat(name).hasSize(64);
    assertThat(registry.list()).extracting(DatasetRecord::name).containsExactly(name);
  }

  @Test
  void refusesADatasetWithoutTags() throws IOException {
    assertCode(
        () -> registry.add("d", List.of(), csv("d.csv", 10, 2), "csv"),
        ErrorCode.INVALID_ARGUMENT,
        "a dataset needs at least one tag, e.g. --tags breast-cancer");
  }

  @Test
  void refusesInvalidTagsNamingThem() throws IOException {
    Path file = csv("d.csv", 10, 2);
    for (String bad : new String[] {"", "a,b", "a b", "-x", "x".repeat(65)}) {
      assertCode(
          () -> registry.add("d", List.of("ok", bad), file, "csv"),
          ErrorCode.INVALID_ARGUMENT,
          "tag '" + bad + "' is invalid: use letters, digits, '.', '_', ':', '-'");
    }
    registry.add("d", List.of("site:1", "v1.2_x-y"), file, "csv");
    assertThat(registry.list()).hasSize(1);
  }

  @Test
  void registersAnImageFolderAndANumpyArchiveAndSelectsThemByTag() throws IOException {
    Path imgs = home.resolve("imgs");
    for (String cls : List.of("a", "b")) {
      java.nio.file.Files.createDirectories(imgs.resolve(cls));
      java.awt.image.BufferedImage img =
          new java.awt.image.BufferedImage(6, 6, java.awt.image.BufferedImage.TYPE_INT_RGB);
      javax.imageio.ImageIO.write(img, "png", imgs.resolve(cls).resolve("1.png").toFile());
    }
    DatasetRecord r = registry.add("pics", List.of("pics"), imgs, "images:4x4:rgb");
    assertThat(r.rows()).isEqualTo(2);
    assertThat(r.cols()).isEqualTo(48);
    assertThat(registry.select(List.of("pics")).y()).containsExactly(0, 1);

    Path npz = home.resolve("d.npz");
    org.fedlink.core.model.NpzFile.write(
        org.fedlink.core.Parameters.of(
            new org.fedlink.core.Tensor("x", new int[] {2, 3}, new float[6]),
            new org.fedlink.core.Tensor("y", new int[] {2}, new float[] {1, 0})),
        npz);
    assertThat(registry.add("arrays", List.of("arrays"), npz, "npz").cols()).isEqualTo(3);
    assertThat(registry.select(List.of("arrays")).y()).containsExactly(1, 0);
    assertCode(
        () -> registry.add("bad", List.of("bad"), imgs, "images:4by4:rgb"),
        ErrorCode.INVALID_ARGUMENT,
        "--size 4by4 must be WIDTHxHEIGHT");
  }

  @Test
  void refusesUnsupportedFormats() throws IOException {
    assertCode(
        () -> registry.add("d", List.of("t"), csv("d.csv", 10, 2), "parquet"),
        ErrorCode.INVALID_ARGUMENT,
        "format 'parquet' is not supported; use one of [csv, npz, images]");
  }

  @Test
  void refusesAMissingFile() {
    Path file = home.resolve("absent.csv");

    assertCode(
        () -> registry.add("d", List.of("t"), file, "csv"),
        ErrorCode.NOT_FOUND,
        "dataset file " + file.toAbsolutePath() + " does not exist");
  }

  @Test
  void refusesAFileThatIsNotValidCsvAndRegistersNothing() throws IOException {
    Path file = home.resolve("bad.csv");
    Files.writeString(file, "1,2,0\n3,oops,1\n");

    assertThatThrownBy(() -> registry.add("d", List.of("t"), file, "csv"))
        .isInstanceOfSatisfying(
            FedlinkException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining(file.toString());
    assertThat(registry.list()).isEmpty();
  }

  @Test
  void refusesADuplicateName() throws IOException {
    DatasetRecord first = registry.add("d", List.of("t"), csv("a.csv", 10, 2), "csv");

    assertCode(
        () -> registry.add("d", List.of("u"), csv("b.csv", 12, 2), "csv"),
        ErrorCode.ALREADY_EXISTS,
        "a dataset named 'd' exists; delete it first or pick another name");
    assertThat(registry.list()).containsExactly(first);
  }

  @Test
  void selectWithoutMatchIsNotFound() throws IOException {
    registry.add("d", List.of("iris"), csv("d.csv", 10, 2), "csv");

    assertCode(
        () -> registry.select(List.of("mnist")),
        ErrorCode.NO_MATCHING_DATASET,
        "no dataset with tags [mnist]");
    assertCode(
        () -> registry.select(List.of("iris", "extra")),
        ErrorCode.NO_MATCHING_DATASET,
        "no dataset with tags [iris, extra]");
  }

  @Test
  void selectLoadsTheOneDatasetCarryingAllTags() throws IOException {
    registry.add("train", List.of("iris", "train"), csv("train.csv", 20, 3), "csv");
    registry.add("test", List.of("iris", "test"), csv("test.csv", 10, 2), "csv");

    Dataset d = registry.select(List.of("train", "iris"));

    assertThat(d.rows()).isEqualTo(20);
    assertThat(d.cols()).isEqualTo(3);
    assertThat(d.numClasses()).isEqualTo(2);
  }

  @Test
  void selectMatchingSeveralDatasetsNamesThem() throws IOException {
    registry.add("a", List.of("iris", "train"), csv("a.csv", 10, 2), "csv");
    registry.add("b", List.of("iris", "test"), csv("b.csv", 10, 2), "csv");

    assertCode(
        () -> registry.select(List.of("iris")),
        ErrorCode.INVALID_ARGUMENT,
        "tags [iris] match several datasets [a, b]; add a tag");
  }

  @Test
  void selectReportsAFileThatIsGone() throws IOException {
    Path file = csv("d.csv", 10, 2);
    registry.add("d", List.of("t"), file, "csv");
    registry.select(List.of("t"));

    Files.delete(file);

    assertCode(
        () -> registry.select(List.of("t")),
        ErrorCode.NOT_FOUND,
        "dataset 'd' file " + file.toAbsolutePath() + " is gone");
  }

  @Test
  void selectRereadsAFileThatChanged() throws IOException {
    Path file = csv("d.csv", 10, 2);
    registry.add("d", List.of("t"), file, "csv");
    assertThat(registry.select(List.of("t")).rows()).isEqualTo(10);
    FileTime before = Files.getLastModifiedTime(file);

    Files.copy(csv("bigger.csv", 16, 2), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 5_000));

    assertThat(registry.select(List.of("t")).rows()).isEqualTo(16);
  }
}
