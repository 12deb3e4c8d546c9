package org.fedlink.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.fedlink.ml.plan.PlanSources;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fedlink plan request-approval JAR --sources DIR}: the sources are checked before anything
 * is sent (no SuperLink runs here, so a request that passed the checks would fail to connect).
 */
class PlanCommandTest {
  @TempDir Path root;
  Path jar;
  Path src;

  @BeforeEach
  void createResearcher() throws Exception {
    Cli.Result created =
        Cli.run(
            "configuration",
            "create",
            "--component",
            "researcher",
            "--name",
            "r.ini",
            "--root",
            root.toString());
    assertThat(created.exit()).as(created.err()).isZero();
    jar = TrainingPlanCommandTest.planJar(root.resolve("plan.jar"));
    src = Files.createDirectories(root.resolve("src"));
  }

  private Cli.Result request() {
    return Cli.run(
        "plan",
        "request-approval",
        jar.toString(),
        "--sources",
        src.toString(),
        "--config",
        root.resolve("etc/r.ini").toString(),
        "--superlink",
        "127.0.0.1:1",
        "--insecure");
  }

  @Test
  void refusesMoreThanOneMebibyteOfSources() throws Exception {
    Files.writeString(src.resolve("A.java"), "a".repeat(PlanSources.MAX_TOTAL_BYTES));

    Cli.Result r = request();

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("error: the source files of " + src)
        .contains("exceed 1048576 bytes (1 MiB)");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void refusesSourcesThatAreNotUtf8() throws Exception {
    Files.write(src.resolve("Latin1.java"), new byte[] {'/', '/', (byte) 0xe9});

    Cli.Result r = request();

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("Latin1.java is not UTF-8 text; convert it to UTF-8");
  }

  @Test
  void refusesADirectoryWithoutJavaFiles() {
    Cli.Result r = request();

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("holds no .java file; point --sources at the directory");
  }
}
