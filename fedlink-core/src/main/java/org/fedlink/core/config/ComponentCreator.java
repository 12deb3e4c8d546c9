package org.fedlink.core.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * Creates a component in a workspace, as {@code fedlink configuration create} does: the folders,
 * the certificate (through a {@link CertificateHook}), the database (through a {@link
 * DatabaseHook}) and finally the INI file in {@code etc/}. The MPC port is allocated from {@value
 * #FIRST_MPC_PORT} upwards, one more than the highest port of the workspace's other INI files; a
 * workspace holds at most one researcher.
 *
 * <p>Thread-safe and process-safe: the whole creation holds the workspace lock (a JVM lock plus an
 * OS file lock on {@code <root>/.fedlink.lock}), so concurrent creations get distinct ports. The
 * INI file is written last, atomically: if a hook fails, no configuration file exists (the
 * certificate folder may remain and is harmless: the next attempt uses a new id).
 */
public final class ComponentCreator {
  /** The MPC port of the first component of a workspace. */
  public static final int FIRST_MPC_PORT = 14000;

  /** The MPC host written into new files. */
  public static final String DEFAULT_MPC_IP = "localhost";

  private final DatabaseHook databaseHook;
  private final CertificateHook certificateHook;

  public ComponentCreator(DatabaseHook databaseHook, CertificateHook certificateHook) {
    this.databaseHook = Objects.requireNonNull(databaseHook, "databaseHook");
    this.certificateHook = Objects.requireNonNull(certificateHook, "certificateHook");
  }

  /**
   * Creates a {@code component} named {@code name} in the workspace at {@code root}.
   *
   * @param name the INI file name in {@code etc/}, e.g. {@code config-n1.ini} ({@code .ini} is
   *     appended if missing)
   * @param force replace an existing file of that name (the component gets a new id)
   * @throws FedlinkException {@link ErrorCode#INVALID_ARGUMENT} for a name that is not a plain file
   *     name; {@link ErrorCode#ALREADY_EXISTS} if the file exists and {@code force} is false, or if
   *     a researcher is created in a workspace that has one; {@link ErrorCode#CONFIGURATION} if no
   *     port is left or the workspace cannot be written; {@link ErrorCode#INTERNAL} if a hook fails
   */
  public CreatedComponent create(Path root, Component component, String name, boolean force) {
    Objects.requireNonNull(component, "component");
    String fileName = fileName(name);
    Workspace ws = new Workspace(root.toAbsolutePath().normalize());
    try {
      Files.createDirectories(ws.certs());
      Files.createDirectories(ws.var());
    } catch (IOException e) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION, "cannot create workspace folders in " + ws.root() + ": " + e, e);
    }
    try (WorkspaceLock lock = WorkspaceLock.acquire(ws.root())) {
      return createLocked(ws, component, fileName, force);
    } catch (IOException e) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION, "cannot lock workspace " + ws.root() + ": " + e, e);
    }
  }

  private CreatedComponent createLocked(
      Workspace ws, Component component, String fileName, boolean force) throws IOException {
    Path configFile = ws.configFile(fileName);
    if (Files.exists(configFile) && !force) {
      throw new FedlinkException(
          ErrorCode.ALREADY_EXISTS,
          configFile
              + " already exists; choose another --name, or use --force to replace it"
              + " (the component then gets a new id and certificate)");
    }
    int highestPort = FIRST_MPC_PORT - 1;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(ws.etc(), "*.ini")) {
      for (Path other : files) {
        if (other.getFileName().equals(configFile.getFileName())) {
          continue;
        }
        Optional<IniDocument> doc = readQuietly(other);
        if (doc.isEmpty()) {
          continue;
        }
        if (component == Component.RESEARCHER
            && doc.get()
                .get("default", "component")
                .filter("researcher"::equalsIgnoreCase)
                .isPresent()) {
          throw new FedlinkException(
              ErrorCode.ALREADY_EXISTS,
              "workspace "
                  + ws.root()
                  + " already has a researcher ("
                  + other.getFileName()
                  + ", "
                  + doc.get().get("default", "id").orElse("no id")
                  + "); only one researcher per workspace: use another --root");
        }
        Optional<Integer> port = doc.get().get("mpc", "port").flatMap(ComponentCreator::integer);
        if (port.isPresent() && port.get() > highestPort) {
          highestPort = port.get();
        }
      }
    }
    int port = highestPort + 1;
    if (port > 65535) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "no MPC port left in workspace "
              + ws.root()
              + " (the highest in use is 65535); set [mpc] port by hand");
    }
    String id = component.newId();
    Path certificateDir = ws.certificateDir(id);
    Path database = ws.database(id);
    run(
        "generate the MPC certificate in " + certificateDir,
        () -> certificateHook.generate(id, DEFAULT_MPC_IP, certificateDir, force));
    run("create the database " + database, () -> databaseHook.create(database, component, id));

    Map<ConfigKey<?>, String> values = new LinkedHashMap<>();
    values.put(ConfigKeys.ID, id);
    values.put(ConfigKeys.COMPONENT, component.configName());
    values.put(ConfigKeys.VERSION, Integer.toString(ConfigKeys.CURRENT_VERSION));
    values.put(ConfigKeys.DB, ws.relativize(database).toString());
    values.put(ConfigKeys.MPC_PRIVATE_KEY, ws.relativize(ws.mpcPrivateKey(id)).toString());
    values.put(ConfigKeys.MPC_PUBLIC_KEY, ws.relativize(ws.mpcCertificate(id)).toString());
    values.put(ConfigKeys.MPC_IP, DEFAULT_MPC_IP);
    values.put(ConfigKeys.MPC_PORT, Integer.toString(port));
    ConfigWriter.write(configFile, component, values);
    return new CreatedComponent(
        component,
        id,
        ws.root(),
        configFile,
        database,
        certificateDir,
        ws.mpcPrivateKey(id),
        ws.mpcCertificate(id),
        DEFAULT_MPC_IP,
        port);
  }

  private static String fileName(String name) {
    if (name == null
        || name.isBlank()
        || name.contains("/")
        || name.contains("\\")
        || name.startsWith(".")) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "configuration name "
              + name
              + " is not a plain file name; use e.g. config-n1.ini (it goes"
              + " into <root>/etc/)");
    }
    return name.endsWith(".ini") ? name : name + ".ini";
  }

  private static Optional<IniDocument> readQuietly(Path file) {
    try {
      return Optional.of(IniDocument.read(file));
    } catch (FedlinkException e) {
      return Optional.empty(); // a broken file elsewhere must not block creating a component
    }
  }

  private static Optional<Integer> integer(String text) {
    try {
      return Optional.of(Integer.parseInt(text.strip()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void run(String what, Step step) {
    try {
      step.run();
    } catch (FedlinkException e) {
      throw e;
    } catch (Exception e) {
      throw new FedlinkException(
          ErrorCode.INTERNAL,
          "could not " + what + ": " + e.getMessage() + "; no configuration file was written",
          e);
    }
  }
}
