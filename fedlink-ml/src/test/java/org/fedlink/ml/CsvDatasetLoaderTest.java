package org.fedlink.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvDatasetLoaderTest {
  @TempDir Path dir;

  @Test
  void roundTripsValuesBitForBit() {
    Dataset data = randomData(50, 7, 4, 3);
    Path plain = dir.resolve("part.csv");
    Path gz = dir.resolve("part.csv.gz");
    CsvDatasetLoader.write(data, plain);
    CsvDatasetLoader.write(data, gz);
    assertSame(CsvDatasetLoader.load(plain), data);
    assertSame(CsvDatasetLoader.load(gz), data);
    assertThat(bytes(gz)).startsWith((byte) 0x1f, (byte) 0x8b);
    assertThat(dir.toFile().list()).containsExactlyInAnyOrder("part.csv", "part.csv.gz");
  }

  @Test
  void writesIntegersCompactlyWithTheLabelLast() throws IOException {
    Path f = dir.resolve("d.csv");
    CsvDatasetLoader.write(
        new Dataset(new float[] {16, 0.5f, -3, 1e-7f}, new int[] {1, 0}, 2, 2), f);
    assertThat(Files.readAllLines(f)).containsExactly("16,0.5,1", "-3,1.0E-7,0");
  }

  @Test
  void skipsAHeaderOfNames() throws IOException {
    Dataset d = load("a,b,label\n1,2,0\n3,4,1\n");
    assertThat(d.rows()).isEqualTo(2);
    assertThat(d.x()).containsExactly(1, 2, 3, 4);
    assertThat(d.y()).containsExactly(0, 1);
  }

  @Test
  void skipsAScikitLearnHeaderWhoseFieldCountDiffers() throws IOException {
    assertThat(load("3,2,no,yes\n1,2,0\n3,4,1\n5,6,1\n").rows()).isEqualTo(3);
    assertThat(load("3,2\n1,2,0\n3,4,1\n5,6,1\n").rows()).isEqualTo(3);
  }

  @Test
  void keepsANumericFirstLineThatMatchesTheRows() throws IOException {
    Dataset d = load("1,2,0\n\n3,4,1\n");
    assertThat(d.rows()).isEqualTo(2);
    assertThat(d.y()).containsExactly(0, 1);
  }

  @Test
  void honoursAnExplicitHeaderSetting() throws IOException {
    assertThat(
            load("1,2,0\n3,4,1\n", CsvOptions.defaults().withHeader(CsvOptions.Header.PRESENT))
                .rows())
        .isEqualTo(1);
    assertThatThrownBy(
            () ->
                load("a,b,c\n1,2,0\n", CsvOptions.defaults().withHeader(CsvOptions.Header.ABSENT)))
        .hasMessageContaining("line 1, column 1: 'a' is not a number");
  }

  @Test
  void findsTheLabelByNameOrIndex() throws IOException {
    Dataset byName =
        load("\"y\",f1,f2\n1,10,20\n0,30,40\n", CsvOptions.defaults().withLabelName("y"));
    assertThat(byName.y()).containsExactly(1, 0);
    assertThat(byName.x()).containsExactly(10, 20, 30, 40);
    Dataset byIndex = load("1,10,20\n0,30,40\n", CsvOptions.defaults().withLabelColumn(0));
    assertThat(byIndex.y()).containsExactly(1, 0);
    Dataset semicolons = load("10;20;1\n", CsvOptions.defaults().withDelimiter(';'));
    assertThat(semicolons.x()).containsExactly(10, 20);
  }

  @Test
  void namesFileLineColumnAndValueOfABadFeature() throws IOException {
    Path f = write("bad.csv", "1,2,0\n3,x4,1\n");
    assertThatThrownBy(() -> CsvDatasetLoader.load(f))
        .isInstanceOfSatisfying(
            FedlinkException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining(f.toString())
        .hasMessageContaining("line 2, column 2")
        .hasMessageContaining("'x4' is not a number");
  }

  @Test
  void rejectsNonFiniteFeatures() {
    assertThatThrownBy(() -> load("1,2,0\nNaN,4,1\n"))
        .hasMessageContaining("line 2, column 1: 'NaN' is not finite");
  }

  @Test
  void rejectsLabelsThatAreNotClassIndices() {
    assertThatThrownBy(() -> load("1,2,0\n3,4,-1\n"))
        .hasMessageContaining("line 2, column 3: label '-1' is not a class index");
    assertThatThrownBy(() -> load("1,2,0.5\n")).hasMessageContaining("label '0.5'");
    assertThatThrownBy(() -> load("1,2,0\n1,2,cat\n")).hasMessageContaining("label 'cat'");
    assertThatThrownBy(() -> load("1,2,1e9\n")).hasMessageContaining("label '1e9'");
  }

  @Test
  void acceptsIntegralLabelsWrittenAsDecimals() throws IOException {
    assertThat(load("1,2,1.0\n").y()).containsExactly(1);
  }

  @Test
  void rejectsRowsOfAnotherLength() {
    assertThatThrownBy(() -> load("1,2,0\n3,4,1\n5,1\n"))
        .hasMessageContaining("line 3 has 2 fields, expected 3 fields");
  }

  @Test
  void rejectsEmptyAndHeaderOnlyFiles() {
    assertThatThrownBy(() -> load("")).hasMessageContaining("is empty");
    assertThatThrownBy(() -> load("\n  \n")).hasMessageContaining("is empty");
    assertThatThrownBy(() -> load("a,b,c\n")).hasMessageContaining("header line but no data rows");
    assertThatThrownBy(() -> load("5\n6\n"))
        .hasMessageContaining("need at least one feature and a label");
  }

  @Test
  void rejectsUnknownOrImpossibleLabelColumns() {
    assertThatThrownBy(() -> load("a,b\n1,0\n", CsvOptions.defaults().withLabelName("y")))
        .hasMessageContaining("label column 'y' is not in the header")
        .hasMessageContaining("[a, b]");
    assertThatThrownBy(() -> load("1,0\n", CsvOptions.defaults().withLabelName("y")))
        .hasMessageContaining("needs a header line");
    assertThatThrownBy(() -> load("1,0\n", CsvOptions.defaults().withLabelColumn(2)))
        .hasMessageContaining("label column 2 is outside the 2 columns");
  }

  @Test
  void reportsAMissingFileAsNotFound() {
    Path missing = dir.resolve("nope.csv");
    assertThatThrownBy(() -> CsvDatasetLoader.load(missing))
        .isInstanceOfSatisfying(
            FedlinkException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
        .hasMessageContaining(missing.toString());
  }

  @Test
  void readsGzipByContentWhateverTheName() throws IOException {
    Path f = dir.resolve("data.bin");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
      out.write("1,2,0\n".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(CsvDatasetLoader.load(f).x()).containsExactly(1, 2);
  }

  private Dataset load(String content) throws IOException {
    return load(content, CsvOptions.defaults());
  }

  private Dataset load(String content, CsvOptions options) throws IOException {
    return CsvDatasetLoader.load(write("in.csv", content), options);
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  private static byte[] bytes(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void assertSame(Dataset actual, Dataset expected) {
    assertThat(actual.rows()).isEqualTo(expected.rows());
    assertThat(actual.cols()).isEqualTo(expected.cols());
    assertThat(actual.x()).containsExactly(expected.x());
    assertThat(actual.y()).containsExactly(expected.y());
  }

  private static Dataset randomData(int rows, int cols, int classes, long seed) {
    Random r = new Random(seed);
    float[] x = new float[rows * cols];
    for (int i = 0; i < x.length; i++) {
      x[i] =
          switch (i % 4) {
            case 0 -> (float) r.nextGaussian();
            case 1 -> r.nextInt(17);
            case 2 -> (float) (r.nextGaussian() * 1e-9);
            default -> (float) (r.nextGaussian() * 1e9);
          };
    }
    int[] y = new int[rows];
    for (int i = 0; i < rows; i++) {
      y[i] = r.nextInt(classes);
    }
    return new Dataset(x, y, rows, cols);
  }
}
