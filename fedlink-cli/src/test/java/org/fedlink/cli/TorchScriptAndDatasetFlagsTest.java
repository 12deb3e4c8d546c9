package org.fedlink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `run --torchscript` and `dataset add --type`: the one-line refusals before anything starts. */
class TorchScriptAndDatasetFlagsTest {
  @TempDir Path dir;

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    PrintStream previous = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      int code = cl.execute(args);
      return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setOut(previous);
    }
  }

  private Path pt() throws Exception {
    Path pt = dir.resolve("model.pt");
    Files.copy(Path.of("../fedlink-djl/src/test/resources/torchscript/digits_cnn.pt"), pt);
    return pt;
  }

  @Test
  void torchScriptFlagsAreCheckedBeforeDialing() throws Exception {
    String out = dir.resolve("out").toString();
    Result loss =
        run(
            "run",
            "--insecure",
            "--tags",
            "t",
            "--output",
            out,
            "--torchscript",
            pt().toString(),
            "--loss",
            "mse");
    assertThat(loss.code).isNotZero();
    assertThat(loss.err).contains("--loss mse is not supported; use --loss cross-entropy");
    Result both =
        run(
            "run",
            "--insecure",
            "--tags",
            "t",
            "--output",
            out,
            "--torchscript",
            dir.resolve("model.pt").toString(),
            "--plan-jar",
            dir.resolve("x.jar").toString());
    assertThat(both.err).contains("give --torchscript or --plan-jar, not both");
    Result missing =
        run(
            "run",
            "--insecure",
            "--tags",
            "t",
            "--output",
            out,
            "--torchscript",
            dir.resolve("none.pt").toString());
    assertThat(missing.err)
        .contains("TorchScript file " + dir.resolve("none.pt") + " does not exist");
    Result model =
        run(
            "run",
            "--insecure",
            "--tags",
            "t",
            "--output",
            out,
            "--initial-model",
            dir.resolve("model.pt").toString());
    assertThat(model.err).contains("use a .flp, .npz or .safetensors file");
    for (Result r : new Result[] {loss, both, missing, model}) {
      assertThat(r.err).doesNotContain("\tat ");
    }
  }

  @Test
  void imageDataSetsAreRegisteredWithTheirSizeAndColor() throws Exception {
    Path imgs = dir.resolve("imgs");
    for (String cls : new String[] {"cat", "dog"}) {
      Files.createDirectories(imgs.resolve(cls));
      javax.imageio.ImageIO.write(
          new java.awt.image.BufferedImage(10, 7, java.awt.image.BufferedImage.TYPE_INT_RGB),
          "png",
          imgs.resolve(cls).resolve("a.png").toFile());
    }
    String home = dir.resolve("node").toString();
    Result ok =
        run(
            "supernode",
            "dataset",
            "add",
            "--home",
            home,
            "--name",
            "pets",
            "--tags",
            "pets",
            "--type",
            "images",
            "--path",
            imgs.toString(),
            "--size",
            "8x8",
            "--color",
            "rgb");
    assertThat(ok.code).as(ok.err).isZero();
    assertThat(ok.out).contains("dataset 'pets' registered: 2 rows, 192 features");
    Result size =
        run(
            "supernode",
            "dataset",
            "add",
            "--home",
            home,
            "--name",
            "p2",
            "--tags",
            "p2",
            "--path",
            imgs.toString(),
            "--size",
            "8x8");
    assertThat(size.err).contains("--size applies to --type images only");
    Files.createDirectories(imgs.resolve("empty"));
    Result empty =
        run(
            "supernode",
            "dataset",
            "add",
            "--home",
            home,
            "--name",
            "p3",
            "--tags",
            "p3",
            "--type",
            "images",
            "--path",
            imgs.toString());
    assertThat(empty.err).contains("has no .png or .jpg image");
  }
}
