package org.fedlink.core.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@link ComponentCreator#create} made, for printing. Paths are absolute. Immutable.
 *
 * @param component the kind of component
 * @param id its new id, e.g. {@code NODE_<uuid>}
 * @param root the workspace root
 * @param configFile the INI file in {@code etc/}
 * @param database the database path in {@code var/} (created only if the hook did)
 * @param certificateDir {@code etc/certs/cert_<id>}
 * @param privateKey the MPC private key file
 * @param certificate the MPC certificate file
 * @param mpcIp the MPC host written into the file
 * @param mpcPort the MPC port allocated in this workspace
 */
public record CreatedComponent(
    Component component,
    String id,
    Path root,
    Path configFile,
    Path database,
    Path certificateDir,
    Path privateKey,
    Path certificate,
    String mpcIp,
    int mpcPort) {
  public CreatedComponent {
    Objects.requireNonNull(component, "component");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(configFile, "configFile");
  }
}
