package org.fedlink.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.fedlink.core.config.ConfigKeys;
import org.fedlink.core.config.FedlinkConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fedlink supernode|researcher --config F certificate ...} and {@code dev-setup}. */
class CertificateCommandTest {
  @TempDir Path root;
  FedlinkConfig n1;
  FedlinkConfig n2;
  FedlinkConfig researcher;

  @BeforeEach
  void createWorkspace() {
    for (String[] c :
        new String[][] {
          {"supernode", "n1.ini"}, {"supernode", "n2.ini"}, {"researcher", "r.ini"}
        }) {
      assertThat(
              Cli.run(
                      "configuration",
                      "create",
                      "--component",
                      c[0],
                      "--name",
                      c[1],
                      "--root",
                      root.toString())
                  .exit())
          .isZero();
    }
    n1 = FedlinkConfig.load(root.resolve("etc/n1.ini"));
    n2 = FedlinkConfig.load(root.resolve("etc/n2.ini"));
    researcher = FedlinkConfig.load(root.resolve("etc/r.ini"));
  }

  private Cli.Result node1(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "supernode";
    all[1] = "--config";
    all[2] = n1.file().toString();
    System.arraycopy(args, 0, all, 3, args.length);
    return Cli.run(all);
  }

  private Cli.Result register(String id, Path pem, String... extra) {
    String[] base = {
      "certificate",
      "register",
      "--component-id",
      id,
      "--certificate",
      pem.toString(),
      "--ip",
      "10.0.0.2",
      "--port",
      "14001"
    };
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return node1(all);
  }

  private static Path pem(FedlinkConfig c) {
    return c.path(ConfigKeys.MPC_PUBLIC_KEY);
  }

  @Test
  void registersListsAndDeletesAParty() {
    Cli.Result r = register(n2.id(), pem(n2));
    Cli.Result list = node1("certificate", "list");
    Cli.Result delete = node1("certificate", "delete", n2.id());
    Cli.Result after = node1("certificate", "list");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("registered " + n2.id()).contains("10.0.0.2:14001");
    assertThat(list.out()).contains(n2.id()).contains("10.0.0.2:14001");
    assertThat(delete.exit()).isZero();
    assertThat(after.out()).contains("no party registered");
  }

  @Test
  void refusesACertificateIssuedToAnotherId() {
    Cli.Result r = register(n2.id(), pem(researcher));

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("refused for " + n2.id()).contains(researcher.id());
  }

  @Test
  void refusesAnExpiredCertificate() throws Exception {
    Path expired = root.resolve("expired.pem");
    writeCertificate(expired, "NODE_old", Instant.now().minus(Duration.ofDays(30)));

    Cli.Result r = register("NODE_old", expired);

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("expired");
  }

  @Test
  void refusesAMalformedCertificate() throws Exception {
    Path junk = root.resolve("junk.pem");
    Files.writeString(
        junk, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n");

    Cli.Result r = register("NODE_junk", junk);

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: certificate " + junk);
  }

  @Test
  void refusesADuplicateUnlessUpsert() {
    register(n2.id(), pem(n2));

    Cli.Result again = register(n2.id(), pem(n2));
    Cli.Result upsert =
        node1(
            "certificate",
            "register",
            "--component-id",
            n2.id(),
            "--certificate",
            pem(n2).toString(),
            "--ip",
            "10.0.0.9",
            "--port",
            "15000",
            "--upsert");

    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("already registered").contains("--upsert");
    assertThat(upsert.exit()).isZero();
    assertThat(upsert.out()).contains("updated");
    assertThat(node1("certificate", "list").out()).contains("10.0.0.9:15000");
  }

  @Test
  void refusesAPortOutOfRange() {
    Cli.Result r =
        node1(
            "certificate",
            "register",
            "--component-id",
            n2.id(),
            "--certificate",
            pem(n2).toString(),
            "--ip",
            "h",
            "--port",
            "70000");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("70000").contains("1..65535");
  }

  @Test
  void generateRefusesToOverwriteAndForceRemindsOthersToRegister() throws Exception {
    String before = Files.readString(pem(n1));

    Cli.Result refused = node1("certificate", "generate");
    Cli.Result forced = node1("certificate", "generate", "--force");

    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("already exists").contains("--force");
    assertThat(forced.exit()).isZero();
    assertThat(forced.out()).contains("must register it again");
    assertThat(Files.readString(pem(n1))).isNotEqualTo(before);
  }

  @Test
  void registrationInstructionsNameIdCertificateAndEndpoint() {
    Cli.Result r = node1("certificate", "registration-instructions");

    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains("certificate register")
        .contains("--component-id " + n1.id())
        .contains("--certificate " + pem(n1).toAbsolutePath().normalize())
        .contains("--ip localhost --port 14000");
  }

  @Test
  void researcherHasTheSameCommands() {
    Cli.Result r =
        Cli.run(
            "researcher",
            "--config",
            researcher.file().toString(),
            "certificate",
            "register",
            "--component-id",
            n1.id(),
            "--certificate",
            pem(n1).toString(),
            "--ip",
            "h",
            "--port",
            "14000");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(
            Cli.run("researcher", "--config", researcher.file().toString(), "certificate", "list")
                .out())
        .contains(n1.id());
  }

  @Test
  void devSetupRegistersEveryComponentWithEveryOther() {
    Cli.Result r = Cli.run("certificate", "dev-setup", "--root", root.toString());

    assertThat(r.exit()).as(r.err()).isZero();
    String list = node1("certificate", "list").out();
    assertThat(list).contains(n2.id()).contains(researcher.id()).doesNotContain(n1.id());
    String researcherList =
        Cli.run("researcher", "--config", researcher.file().toString(), "certificate", "list")
            .out();
    assertThat(researcherList).contains(n1.id()).contains(n2.id()).contains("localhost:14001");
    assertThat(Cli.run("certificate", "dev-setup", "--root", root.toString()).exit())
        .as("dev-setup is repeatable")
        .isZero();
  }

  private static void writeCertificate(Path file, String id, Instant notAfter) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair kp = g.generateKeyPair();
    X500Name subject = new X500Name("O=" + id + ",CN=localhost");
    X509CertificateHolder holder =
        new JcaX509v3CertificateBuilder(
                subject,
                BigInteger.ONE,
                Date.from(notAfter.minus(Duration.ofDays(400))),
                Date.from(notAfter),
                subject,
                kp.getPublic())
            .build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate()));
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(holder);
    }
    Files.writeString(file, out.toString());
  }
}
