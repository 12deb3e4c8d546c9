package org.fedlink.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * Feeds arbitrary bytes to the {@code .npz} and {@code .safetensors} readers: each returns
 * parameters or throws {@link FedlinkException} with {@link ErrorCode#INVALID_ARGUMENT}, and
 * nothing else, under a 1 MiB limit. Plain {@code mvn verify} replays the inputs under {@code
 * ModelFilesFuzzTestInputs}.
 */
class ModelFilesFuzzTest {
  @FuzzTest
  void npz(byte[] input) throws IOException {
    read(input, ".npz");
  }

  @FuzzTest
  void safetensors(byte[] input) throws IOException {
    read(input, ".safetensors");
  }

  private static void read(byte[] input, String suffix) throws IOException {
    Path f = Files.createTempFile("fuzz", suffix);
    try {
      Files.write(f, input);
      if (suffix.equals(".npz")) {
        NpzFile.read(f, 1 << 20);
      } else {
        SafetensorsFile.read(f, 1 << 20);
      }
    } catch (FedlinkException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    } finally {
      Files.delete(f);
    }
  }
}
