package org.fedlink.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComponentCreatorTest {
  @TempDir Path root;

  private final List<String> calls = new CopyOnWriteArrayList<>();

  private final ComponentCreator creator =
      new ComponentCreator(
          (db, component, id) -> {
            calls.add("db " + component + " " + id + " " + db);
            Files.writeString(db, "db");
          },
          (id, host, dir, force) -> {
            calls.add("cert " + id + " " + host + " " + dir + " " + force);
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("MPC_certificate.key"), "key");
            Files.writeString(dir.resolve("MPC_certificate.pem"), "pem");
          });

  @Test
  void createsTheWorkspaceLayoutAndALoadableConfiguration() throws Exception {
    CreatedComponent made = creator.create(root, Component.SUPERNODE, "config-n1.ini", false);

    Path abs = root.toAbsolutePath().normalize();
    assertThat(made.id())
        .matches("NODE_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertThat(made.configFile()).isEqualTo(abs.resolve("etc/config-n1.ini")).exists();
    assertThat(made.database()).isEqualTo(abs.resolve("var/db_" + made.id() + ".sqlite")).exists();
    assertThat(made.certificateDir()).isEqualTo(abs.resolve("etc/certs/cert_" + made.id()));
    assertThat(made.privateKey()).isEqualTo(made.certificateDir().resolve("MPC_certificate.key"));
    assertThat(made.certificate()).isEqualTo(made.certificateDir().resolve("MPC_certificate.pem"));
    assertThat(made.mpcIp()).isEqualTo("localhost");
    assertThat(made.mpcPort()).isEqualTo(14000);
    assertThat(calls)
        .containsExactly(
            "cert " + made.id() + " localhost " + made.certificateDir() + " false",
            "db supernode " + made.id() + " " + made.database());

    FedlinkConfig config = FedlinkConfig.load(made.configFile(), Component.SUPERNODE, Map.of());
    assertThat(config.id()).isEqualTo(made.id());
    assertThat(config.version()).isEqualTo(ConfigKeys.CURRENT_VERSION);
    assertThat(config.path(ConfigKeys.DB)).isEqualTo(made.database());
    assertThat(config.path(ConfigKeys.MPC_PRIVATE_KEY)).isEqualTo(made.privateKey());
    assertThat(config.path(ConfigKeys.MPC_PUBLIC_KEY)).isEqualTo(made.certificate());
    assertThat(config.get(ConfigKeys.MPC_PORT)).isEqualTo(14000);
    assertThat(Files.readString(made.configFile()))
        .contains("\ndb = var/db_" + made.id() + ".sqlite\n")
        .contains("\nprivate_key = etc/certs/cert_" + made.id() + "/MPC_certificate.key\n");
  }

  @Test
  void allocatesIncreasingPortsPerComponentCreated() {
    assertThat(creator.create(root, Component.SUPERNODE, "n1", false).mpcPort()).isEqualTo(14000);
    assertThat(creator.create(root, Component.RESEARCHER, "r", false).mpcPort()).isEqualTo(14001);
    assertThat(creator.create(root, Component.SUPERLINK, "link", false).mpcPort()).isEqualTo(14002);
    CreatedComponent n2 = creator.create(root, Component.SUPERNODE, "n2", false);

    assertThat(n2.mpcPort()).isEqualTo(14003);
    assertThat(n2.configFile().getFileName().toString()).isEqualTo("n2.ini");
  }

  @Test
  void refusesASecondResearcher() {
    CreatedComponent first = creator.create(root, Component.RESEARCHER, "config-r.ini", false);

    assertThatThrownBy(() -> creator.create(root, Component.RESEARCHER, "config-r2.ini", false))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("already has a researcher (config-r.ini, " + first.id() + ")")
        .hasMessageContaining("only one researcher per workspace")
        .satisfies(
            e -> assertThat(((FedlinkException) e).code()).isEqualTo(ErrorCode.ALREADY_EXISTS));
    assertThat(root.resolve("etc/config-r2.ini")).doesNotExist();
    assertThat(creator.create(root, Component.RESEARCHER, "config-r.ini", true).id())
        .isNotEqualTo(first.id());
  }

  @Test
  void refusesAnExistingNameUnlessForced() throws Exception {
    CreatedComponent first = creator.create(root, Component.SUPERNODE, "config-n1.ini", false);
    String before = Files.readString(first.configFile());

    assertThatThrownBy(() -> creator.create(root, Component.SUPERNODE, "config-n1.ini", false))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("config-n1.ini already exists")
        .hasMessageContaining("--force");
    assertThat(Files.readString(first.configFile())).isEqualTo(before);

    CreatedComponent replaced = creator.create(root, Component.SUPERNODE, "config-n1.ini", true);
    assertThat(replaced.id()).isNotEqualTo(first.id());
    assertThat(FedlinkConfig.load(replaced.configFile(), Component.SUPERNODE, Map.of()).id())
        .isEqualTo(replaced.id());
  }

  @Test
  void rejectsNamesThatAreNotPlainFileNames() {
    for (String bad : new String[] {"../evil.ini", "a/b.ini", "", " ", ".hidden"}) {
      assertThatThrownBy(() -> creator.create(root, Component.SUPERNODE, bad, false))
          .as(bad)
          .isInstanceOf(FedlinkException.class)
          .hasMessageContaining("is not a plain file name");
    }
  }

  @Test
  void writesNoConfigurationWhenAHookFails() {
    ComponentCreator failing =
        new ComponentCreator(
            (db, c, id) -> {
              throw new IOException("disk full");
            },
            CertificateHook.NONE);

    assertThatThrownBy(() -> failing.create(root, Component.SUPERNODE, "n1", false))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("could not create the database")
        .hasMessageContaining("disk full")
        .hasMessageContaining("no configuration file was written");
    assertThat(root.resolve("etc/n1.ini")).doesNotExist();
  }

  @Test
  void concurrentThreadsGetDistinctPorts() throws Exception {
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<CreatedComponent>> results = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      String name = "n" + i;
      results.add(
          pool.submit(
              () -> {
                start.await();
                return creator.create(root, Component.SUPERNODE, name, false);
              }));
    }
    start.countDown();
    List<Integer> ports = new ArrayList<>();
    for (Future<CreatedComponent> r : results) {
      ports.add(r.get(30, TimeUnit.SECONDS).mpcPort());
    }
    pool.shutdown();

    assertThat(ports)
        .containsExactlyInAnyOrder(14000, 14001, 14002, 14003, 14004, 14005, 14006, 14007);
  }

  @Test
  void concurrentProcessesGetDistinctPorts() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("java.class.path");
    List<Process> processes = new ArrayList<>();
    for (String prefix : new String[] {"a", "b"}) {
      processes.add(
          new ProcessBuilder(java, "-cp", classpath, Racer.class.getName(), root.toString(), prefix)
              .redirectErrorStream(true)
              .start());
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!(Files.exists(root.resolve("ready-a")) && Files.exists(root.resolve("ready-b")))) {
      assertThat(System.nanoTime()).as("racers did not start").isLessThan(deadline);
      Thread.sleep(10);
    }
    Files.writeString(root.resolve("go"), "");
    for (Process p : processes) {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    }

    List<Integer> ports = new ArrayList<>();
    try (var files = Files.newDirectoryStream(root.resolve("etc"), "*.ini")) {
      for (Path file : files) {
        ports.add(FedlinkConfig.load(file, Component.SUPERNODE, Map.of()).get(ConfigKeys.MPC_PORT));
      }
    }
    assertThat(ports)
        .containsExactlyInAnyOrder(
            14000, 14001, 14002, 14003, 14004, 14005, 14006, 14007, 14008, 14009);
  }

  /** One racing process: waits for {@code <root>/go}, then creates five nodes. */
  static final class Racer {
    public static void main(String[] args) throws Exception {
      Path root = Path.of(args[0]);
      Files.writeString(root.resolve("ready-" + args[1]), "");
      while (!Files.exists(root.resolve("go"))) {
        Thread.sleep(2);
      }
      ComponentCreator creator = new ComponentCreator(DatabaseHook.NONE, CertificateHook.NONE);
      for (int i = 0; i < 5; i++) {
        creator.create(root, Component.SUPERNODE, args[1] + i, false);
      }
    }
  }
}
