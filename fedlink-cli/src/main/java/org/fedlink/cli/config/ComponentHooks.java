package org.fedlink.cli.config;

import java.nio.file.Path;
import org.fedlink.core.config.CertificateHook;
import org.fedlink.core.config.Component;
import org.fedlink.core.config.ComponentCreator;
import org.fedlink.core.config.DatabaseHook;
import org.fedlink.core.store.SqliteDatabase;
import org.fedlink.crypto.x509.CertificateGenerator;
import org.fedlink.researcher.store.ResearcherDatabase;
import org.fedlink.superlink.state.SqliteLinkState;
import org.fedlink.supernode.NodeDatabase;

/**
 * The hooks {@code fedlink configuration create} gives {@link ComponentCreator}: the database hook
 * creates the component's SQLite file with its own migrations, the certificate hook generates the
 * MPC certificate. Stateless and thread-safe.
 */
public final class ComponentHooks {
  private ComponentHooks() {}

  /** A creator wired with {@link #database()} and {@link #certificate()}. */
  public static ComponentCreator creator() {
    return new ComponentCreator(database(), certificate());
  }

  /** Creates (migrates) the database of the component: node, SuperLink or researcher schema. */
  public static DatabaseHook database() {
    return (file, component, id) -> open(file, component).close();
  }

  /** Generates {@code MPC_certificate.key} (0600) and {@code .pem} with O = the component id. */
  public static CertificateHook certificate() {
    return (id, host, dir, force) -> CertificateGenerator.generate(id, host, dir, force);
  }

  /**
   * Opens the database of a supernode or researcher for its party and plan tables.
   *
   * @throws org.fedlink.core.FedlinkException if it cannot be opened
   */
  public static SqliteDatabase openParties(Path file, Component component) {
    return component == Component.RESEARCHER
        ? ResearcherDatabase.open(file)
        : NodeDatabase.openFile(file);
  }

  private static AutoCloseable open(Path file, Component component) {
    return switch (component) {
      case SUPERNODE -> NodeDatabase.openFile(file);
      case RESEARCHER -> ResearcherDatabase.open(file);
      case SUPERLINK -> SqliteLinkState.open(file);
    };
  }
}
