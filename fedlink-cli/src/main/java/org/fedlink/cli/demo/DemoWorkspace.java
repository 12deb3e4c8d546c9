package org.fedlink.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import org.fedlink.core.config.IniDocument;
import org.fedlink.crypto.OpenSshKeys;
import org.fedlink.crypto.tls.DevelopmentCa;

/**
 * The demo's workspace, made the way an administrator would: a development CA and TLS certificate,
 * an OpenSSH key for every party and the SuperLink's known-keys files, one configuration file per
 * component ({@code configuration create}), the settings each file needs, and every party's MPC
 * certificate registered with every other one ({@code certificate dev-setup}).
 */
public final class DemoWorkspace {
  private final Path root;
  private final int nodes;

  private DemoWorkspace(Path root, int nodes) {
    this.root = root;
    this.nodes = nodes;
  }

  /** Builds the workspace under {@code root} for a SuperLink at {@code address}. */
  public static DemoWorkspace create(Path root, int nodes, String address, DemoShell shell)
      throws IOException, GeneralSecurityException {
    DemoWorkspace ws = new DemoWorkspace(root, nodes);
    shell.step("Development CA and the SuperLink's TLS certificate (localhost, 127.0.0.1)");
    DevelopmentCa.CaFiles tls =
        DevelopmentCa.create(root.resolve("certs"), List.of("localhost", "127.0.0.1"));
    shell.note("  CA " + tls.caCertificate() + ", server certificate " + tls.serverCertificate());

    shell.step("Authentication keys: the SuperLink's, one per node, the researcher's");
    shell.run(List.of("keys", "generate", "--out", ws.key("superlink").toString()));
    StringBuilder known = new StringBuilder();
    for (int i = 1; i <= nodes; i++) {
      shell.run(List.of("keys", "generate", "--out", ws.key("supernode-" + i).toString()));
      known.append(Files.readString(pub(ws.key("supernode-" + i))));
    }
    shell.run(List.of("keys", "generate", "--out", ws.key("researcher").toString()));
    Files.writeString(ws.knownNodes(), known.toString());
    Files.copy(pub(ws.key("researcher")), ws.knownResearchers());
    shell.note("$ cat " + ws.key("supernode-*.pub") + " > " + ws.knownNodes());
    shell.note("$ cp " + pub(ws.key("researcher")) + " " + ws.knownResearchers());

    shell.step("One configuration file per component");
    ws.createConfig(shell, "superlink", "superlink.ini");
    for (int i = 1; i <= nodes; i++) {
      ws.createConfig(shell, "supernode", "supernode-" + i + ".ini");
    }
    ws.createConfig(shell, "researcher", "researcher.ini");

    // Nodes learn the SuperLink's key over TLS; the researcher pins it, to show both ways.
    shell.step("Settings: where the SuperLink is, the TLS files, the authentication keys");
    ws.set(
        shell,
        "superlink.ini",
        "superlink",
        "address",
        address,
        "superlink",
        "ssl_ca_certfile",
        tls.caCertificate().toString(),
        "superlink",
        "ssl_certfile",
        tls.serverCertificate().toString(),
        "superlink",
        "ssl_keyfile",
        tls.serverKey().toString(),
        "superlink",
        "heartbeat_interval_ms",
        "1000",
        "auth",
        "list_public_keys",
        ws.knownNodes().toString(),
        "auth",
        "list_researcher_public_keys",
        ws.knownResearchers().toString(),
        "auth",
        "superlink_private_key",
        ws.key("superlink").toString(),
        "auth",
        "superlink_public_key",
        pub(ws.key("superlink")).toString());
    for (int i = 1; i <= nodes; i++) {
      Path k = ws.key("supernode-" + i);
      ws.set(
          shell,
          "supernode-" + i + ".ini",
          "superlink",
          "address",
          address,
          "superlink",
          "root_certificates",
          tls.caCertificate().toString(),
          "auth",
          "supernode_private_key",
          k.toString(),
          "auth",
          "supernode_public_key",
          pub(k).toString());
    }
    Path r = ws.key("researcher");
    ws.set(
        shell,
        "researcher.ini",
        "superlink",
        "address",
        address,
        "superlink",
        "root_certificates",
        tls.caCertificate().toString(),
        "auth",
        "researcher_private_key",
        r.toString(),
        "auth",
        "researcher_public_key",
        pub(r).toString(),
        "auth",
        "superlink_public_key",
        pub(ws.key("superlink")).toString());

    shell.step("Register every party's MPC certificate with every other one (secure aggregation)");
    shell.run(List.of("certificate", "dev-setup", "--root", root.toString()));
    return ws;
  }

  private void createConfig(DemoShell shell, String component, String name) {
    shell.run(
        List.of(
            "configuration",
            "create",
            "--component",
            component,
            "--name",
            name,
            "--root",
            root.toString()));
  }

  /** Writes {@code section, key, value} triples into a configuration file, as an edit would. */
  private void set(DemoShell shell, String name, String... triples) {
    Path file = config(name);
    IniDocument doc = IniDocument.read(file);
    List<String> shown = new ArrayList<>();
    for (int i = 0; i < triples.length; i += 3) {
      doc = doc.with(triples[i], triples[i + 1], triples[i + 2]);
      shown.add("[" + triples[i] + "] " + triples[i + 1] + " = " + triples[i + 2]);
    }
    doc.write(file);
    shell.note("edit " + file + ":");
    for (String s : shown) {
      shell.note("    " + s);
    }
  }

  public Path root() {
    return root;
  }

  public int nodes() {
    return nodes;
  }

  /** A component's configuration file. */
  public Path config(String name) {
    return root.resolve("etc").resolve(name);
  }

  public Path nodeConfig(int i) {
    return config("supernode-" + i + ".ini");
  }

  public Path caCertificate() {
    return root.resolve("certs").resolve("ca.pem");
  }

  public Path key(String name) {
    return root.resolve("keys").resolve(name);
  }

  public Path knownNodes() {
    return root.resolve("keys").resolve("known_supernodes.csv");
  }

  public Path knownResearchers() {
    return root.resolve("keys").resolve("known_researchers.csv");
  }

  /** The public key file beside an OpenSSH private key. */
  public static Path pub(Path privateKey) {
    return OpenSshKeys.publicKeyFileOf(privateKey);
  }
}
