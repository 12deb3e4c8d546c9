package org.fedlink.ml.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * Reads a JAR written from arbitrary bytes (see {@link FuzzJars}) with {@link PlanJarContents#read}
 * and {@link PlanJarContents#planClassOf}, as an admin's review of a submitted plan does: each
 * returns or throws {@link FedlinkException} with {@link ErrorCode#INVALID_ARGUMENT}, and nothing
 * else.
 */
class PlanJarContentsFuzzTest {
  private static final Path JAR = PlanHashFuzzTest.tempJar();

  @FuzzTest
  void read(byte[] input) {
    FuzzJars.write(input, JAR);
    try {
      PlanJarContents.read(JAR);
    } catch (FedlinkException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }
    try {
      PlanJarContents.planClassOf(JAR);
    } catch (FedlinkException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }
  }
}
