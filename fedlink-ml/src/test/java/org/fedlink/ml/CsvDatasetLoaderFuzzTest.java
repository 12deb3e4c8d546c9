package org.fedlink.ml;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * Feeds arbitrary bytes to {@link CsvDatasetLoader#read} (and so to the CSV parser): it returns a
 * data set or throws {@link FedlinkException} with {@link ErrorCode#INVALID_ARGUMENT}, and nothing
 * else.
 *
 * <p>The first byte chooses the options: bits 0-1 the header handling, bit 2 the delimiter ({@code
 * ,} or {@code ;}), bits 3-4 the label (last column, first column, column 1, or the header name
 * {@code label}); the rest is the file, plain or gzip-compressed.
 */
class CsvDatasetLoaderFuzzTest {
  @FuzzTest
  void read(byte[] input) {
    if (input.length == 0) {
      return;
    }
    int choice = input[0] & 0xff;
    CsvOptions options =
        CsvOptions.defaults()
            .withHeader(CsvOptions.Header.values()[(choice & 3) % 3])
            .withDelimiter((choice & 4) == 0 ? ',' : ';');
    options =
        switch ((choice >> 3) & 3) {
          case 0 -> options.withLabelColumn(-1);
          case 1 -> options.withLabelColumn(0);
          case 2 -> options.withLabelColumn(1);
          default -> options.withLabelName("label");
        };
    try {
      Dataset data =
          CsvDatasetLoader.read(
              new ByteArrayInputStream(input, 1, input.length - 1), "fuzz.csv", options);
      assertThat(data.x()).hasSize(data.rows() * data.cols());
    } catch (FedlinkException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }
  }
}
