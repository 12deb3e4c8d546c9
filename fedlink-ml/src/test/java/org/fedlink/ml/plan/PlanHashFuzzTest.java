package org.fedlink.ml.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.digest.HashingAlgorithm;

/**
 * Hashes a JAR written from arbitrary bytes (see {@link FuzzJars}) with {@link PlanHash#of}, as a
 * node does with a plan a researcher sent: it returns a hash or throws {@link FedlinkException}
 * with {@link ErrorCode#INVALID_ARGUMENT}, and nothing else.
 */
class PlanHashFuzzTest {
  private static final Path JAR = tempJar();

  @FuzzTest
  void hash(byte[] input) {
    FuzzJars.write(input, JAR);
    try {
      assertThat(PlanHash.of(JAR, HashingAlgorithm.SHA256)).hasSize(64);
    } catch (FedlinkException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }
  }

  static Path tempJar() {
    try {
      Path dir = Files.createTempDirectory("fedlink-fuzz");
      dir.toFile().deleteOnExit();
      Path jar = dir.resolve("plan.jar");
      jar.toFile().deleteOnExit();
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
