package org.fedlink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.fedlink.core.config.IniDocument;
import org.fedlink.crypto.OpenSshPublicKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The authentication flags and key commands: what they create, and what they refuse. */
class AuthFlagsCommandTest {
  @TempDir Path dir;
  private Path nodeKey;
  private Path otherKey;
  private Path linkKey;

  @BeforeEach
  void keys() {
    nodeKey = dir.resolve("keys/node");
    otherKey = dir.resolve("keys/other");
    linkKey = dir.resolve("keys/superlink");
    for (Path k : new Path[] {nodeKey, otherKey, linkKey}) {
      assertThat(run("keys", "generate", "--out", k.toString()).code).isZero();
    }
  }

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

  @Test
  void generateWritesAnOwnerOnlyPrivateKeyAndItsPublicKey() throws Exception {
    assertThat(Files.getPosixFilePermissions(nodeKey))
        .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    assertThat(OpenSshPublicKey.read(dir.resolve("keys/node.pub")).keyType())
        .isEqualTo("ecdsa-sha2-nistp384");
    Result again = run("keys", "generate", "--out", nodeKey.toString());
    assertThat(again.code).isEqualTo(Main.EXIT_FAILURE);
    assertThat(again.err).contains("already exists");
  }

  @Test
  void listShowsEachKeyWithItsFingerprint() throws Exception {
    Path known = dir.resolve("known.csv");
    OpenSshPublicKey a = OpenSshPublicKey.read(dir.resolve("keys/node.pub"));
    OpenSshPublicKey b = OpenSshPublicKey.read(dir.resolve("keys/other.pub"));
    Files.writeString(known, "# sites\n" + a.toLine() + "," + b.toLine() + "\n");
    Result r = run("superlink", "keys", "list", "--auth-list-public-keys", known.toString());
    assertThat(r.code).isZero();
    assertThat(r.out).contains(a.fingerprint(), b.fingerprint(), "2 key(s)");
  }

  @Test
  void superlinkRefusesPartialNodeAuthenticationFlags() {
    Result r =
        run(
            "superlink",
            "start",
            "--insecure",
            "--home",
            dir.resolve("home").toString(),
            "--auth-list-public-keys",
            dir.resolve("known.csv").toString());
    assertThat(r.code).isEqualTo(Main.EXIT_FAILURE);
    assertThat(r.err).contains("--auth-superlink-private-key, --auth-superlink-public-key missing");
  }

  @Test
  void superlinkRefusesAuthenticationWithInsecure() throws Exception {
    Path known = dir.resolve("known.csv");
    Files.copy(dir.resolve("keys/node.pub"), known);
    Result r =
        run(
            "superlink",
            "start",
            "--insecure",
            "--home",
            dir.resolve("home").toString(),
            "--auth-list-public-keys",
            known.toString(),
            "--auth-superlink-private-key",
            linkKey.toString(),
            "--auth-superlink-public-key",
            linkKey + ".pub");
    assertThat(r.code).isEqualTo(Main.EXIT_FAILURE);
    assertThat(r.err).contains("requires TLS");
  }

  @Test
  void superlinkRefusesNodeAuthenticationWithoutResearcherKeys() throws Exception {
    Path known = dir.resolve("known.csv");
    Files.copy(dir.resolve("keys/node.pub"), known);
    Result r =
        run(
            "superlink",
            "start",
            "--home",
            dir.resolve("home").toString(),
            "--auth-list-public-keys",
            known.toString(),
            "--auth-superlink-private-key",
            linkKey.toString(),
            "--auth-superlink-public-key",
            linkKey + ".pub");
    assertThat(r.code).isEqualTo(Main.EXIT_FAILURE);
    assertThat(r.err)
        .contains("--auth-list-researcher-public-keys", "--allow-anonymous-control", "Control API");
  }

  @Test
  void configAllowAnonymousControlLetsTheSuperLinkPassTheResearcherKeysCheck() throws Exception {
    Path known = dir.resolve("known.csv");
    Files.copy(dir.resolve("keys/node.pub"), known);
    assertThat(
            run(
                    "configuration",
                    "create",
                    "--component",
                    "superlink",
                    "--name",
                    "s.ini",
                    "--root",
                    dir.resolve("ws").toString())
                .code)
        .isZero();
    Path file = dir.resolve("ws/etc/s.ini");
    IniDocument.read(file)
        .with("auth", "list_public_keys", known.toString())
        .with("auth", "superlink_private_key", linkKey.toString())
        .with("auth", "superlink_public_key", linkKey + ".pub")
        .with("auth", "allow_anonymous_control", "True")
        .write(file);
    // No TLS files: start fails, but only after the researcher-keys check let it through.
    Result r = run("superlink", "start", "--config", file.toString());
    assertThat(r.code).isEqualTo(Main.EXIT_FAILURE);
    assertThat(r.err).contains("--ssl-").doesNotContain("--auth-list-researcher-public-keys");

    IniDocument.read(file).with("auth", "allow_anonymous_control", "False").write(file);
    Result closed = run("superlink", "start", "--config", file.toString());
    assertThat(closed.err).contains("--auth-list-researcher-public-keys");
  }

  @Test
  void supernodeRefusesAuthenticationWithInsecure() {
    Result r =
        run(
            "supernode",
            "start",
            "--superlink",
            "127.0.0.1:1",
            "--insecure",
            "--home",
            dir.resolve("node").toString(),
            "--auth-supernode-private-key",
            nodeKey.toString(),
            "--auth-supernode-public-key",
            nodeKey + ".pub",
            "--auth-superlink-public-key",
            linkKey + ".pub");
    assertThat(r.code).isEqualTo(Main.EXIT_FAILURE);
    assertThat(r.err).contains("requires TLS");
  }

  @Test
  void supernodeRefusesAMismatchedKeyPair() throws Exception {
    Path ca = dir.resolve("ca.pem");
    Files.writeString(ca, "not used: the keys are checked first");
    Result r =
        run(
            "supernode",
            "start",
            "--superlink",
            "127.0.0.1:1",
            "--root-certificates",
            ca.toString(),
            "--home",
            dir.resolve("node").toString(),
            "--auth-supernode-private-key",
            nodeKey.toString(),
            "--auth-supernode-public-key",
            otherKey + ".pub",
            "--auth-superlink-public-key",
            linkKey + ".pub");
    assertThat(r.code).isEqualTo(Main.EXIT_FAILURE);
    assertThat(r.err).contains("does not belong to public key", "--auth-supernode-private-key");
  }

  @Test
  void researcherCommandsRefusePartialFlags() {
    Result r =
        run(
            "nodes",
            "--root-certificates",
            dir.resolve("ca.pem").toString(),
            "--auth-researcher-private-key",
            nodeKey.toString());
    assertThat(r.code).isEqualTo(Main.EXIT_FAILURE);
    assertThat(r.err).contains("researcher authentication needs", "missing");
  }
}
