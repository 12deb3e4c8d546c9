package org.fedlink.core.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The folder layout of a Fedlink workspace (Fed-BioMed's habit): INI files in {@code etc/},
 * databases in {@code var/}, MPC certificates in {@code etc/certs/cert_<component id>/}. Relative
 * paths inside configuration files are relative to {@link #root()}. Immutable; it creates nothing.
 *
 * @param root the workspace root; {@link #DEFAULT_ROOT} unless the user passes {@code --root}
 */
public record Workspace(Path root) {
  /** {@code ./fedlink-home}. */
  public static final Path DEFAULT_ROOT = Path.of("fedlink-home");

  public Workspace {
    Objects.requireNonNull(root, "root");
  }

  /** The workspace in {@link #DEFAULT_ROOT}. */
  public static Workspace atDefaultRoot() {
    return new Workspace(DEFAULT_ROOT);
  }

  /**
   * The workspace a configuration file belongs to: the parent of its {@code etc/} folder, or its
   * own folder if the file is not in an {@code etc/} folder.
   */
  public static Workspace containing(Path configFile) {
    Path dir = configFile.toAbsolutePath().normalize().getParent();
    if (dir.getFileName() != null
        && dir.getFileName().toString().equals("etc")
        && dir.getParent() != null) {
      return new Workspace(dir.getParent());
    }
    return new Workspace(dir);
  }

  /** {@code <root>/etc}: configuration files. */
  public Path etc() {
    return root.resolve("etc");
  }

  /** {@code <root>/var}: databases. */
  public Path var() {
    return root.resolve("var");
  }

  /** {@code <root>/etc/certs}. */
  public Path certs() {
    return etc().resolve("certs");
  }

  /** {@code <root>/etc/<name>}. */
  public Path configFile(String name) {
    return etc().resolve(name);
  }

  /** {@code <root>/etc/certs/cert_<componentId>}. */
  public Path certificateDir(String componentId) {
    return certs().resolve("cert_" + componentId);
  }

  /** {@code <root>/etc/certs/cert_<componentId>/MPC_certificate.key}. */
  public Path mpcPrivateKey(String componentId) {
    return certificateDir(componentId).resolve("MPC_certificate.key");
  }

  /** {@code <root>/etc/certs/cert_<componentId>/MPC_certificate.pem}. */
  public Path mpcCertificate(String componentId) {
    return certificateDir(componentId).resolve("MPC_certificate.pem");
  }

  /** {@code <root>/var/db_<componentId>.sqlite}. */
  public Path database(String componentId) {
    return var().resolve("db_" + componentId + ".sqlite");
  }

  /** {@code path} resolved against the root (an absolute path is returned as is). */
  public Path resolve(Path path) {
    return root.resolve(path);
  }

  /** {@code path} relative to the root, as written into configuration files. */
  public Path relativize(Path path) {
    return root.toAbsolutePath().normalize().relativize(path.toAbsolutePath().normalize());
  }
}
