package org.fedlink.supernode.plans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.fedlink.core.store.SqliteDatabase;
import org.fedlink.crypto.digest.HashingAlgorithm;
import org.fedlink.ml.plan.JarTrainingPlanLoader;
import org.fedlink.ml.plan.PlanSources;
import org.fedlink.ml.plan.SourceFile;
import org.fedlink.proto.v1.Task;
import org.fedlink.supernode.NodeDatabase;
import org.fedlink.supernode.task.TaskRunner;
import org.fedlink.transport.TaskKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code approval_request} tasks on a real node database, without the network. */
class ApprovalDeskTest {
  @TempDir Path dir;

  /** A JAR naming its plan class only in the services file (no manifest attribute). */
  static byte[] servicesJar() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    try (JarOutputStream out = new JarOutputStream(bytes, m)) {
      out.putNextEntry(new JarEntry(JarTrainingPlanLoader.SERVICE_FILE));
      out.write("demo.Served\n".getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
      out.putNextEntry(new JarEntry("demo/Served.class"));
      out.write(new byte[] {(byte) 0xca, (byte) 0xfe});
      out.closeEntry();
    }
    return bytes.toByteArray();
  }

  private static Task.Builder request(byte[] jar) {
    return Task.newBuilder()
        .setTaskId("t")
        .setKind(TaskKeys.KIND_APPROVAL_REQUEST)
        .setModelBlobId("blob")
        .putConfig(TaskKeys.PLAN_SHA256, PlanCache.sha256(jar))
        .putConfig(TaskKeys.PLAN_NAME, "served.jar")
        .putConfig(TaskKeys.RESEARCHER_ID, "RESEARCHER_1");
  }

  private static TaskRunner.Blobs serving(byte[] jar) {
    return new TaskRunner.Blobs() {
      @Override
      public byte[] download(String blobId) {
        return jar;
      }

      @Override
      public String upload(byte[] data) {
        throw new UnsupportedOperationException();
      }
    };
  }

  @Test
  void recordsThePlanClassTheResearcherKeyAndTheSourcesSent() throws Exception {
    byte[] jar = servicesJar();
    try (SqliteDatabase db = NodeDatabase.openFile(dir.resolve("n.sqlite"))) {
      PlanStore store = new PlanStore(db);
      ApprovalDesk desk =
          new ApprovalDesk(
              new PlanPolicy(true, true, HashingAlgorithm.SHA256),
              store,
              new PlanCache(dir.resolve("plans")));
      Task task =
          request(jar)
              .putConfig(TaskKeys.RESEARCHER_KEY, "SHA256:key")
              .putConfig(TaskKeys.PLAN_SOURCE_PREFIX + "demo/Served.java", "class Served {}\n")
              .build();

      String answer = desk.handle(7, task, serving(jar));
      String again = desk.handle(7, task, serving(jar));

      TrainingPlanRecord p = store.list().get(0);
      assertThat(answer)
          .isEqualTo("training plan " + p.shortHash() + " (served.jar) is Pending on node 7");
      assertThat(again).endsWith("the sources sent were not recorded");
      assertThat(p.className()).isEqualTo("demo.Served");
      assertThat(p.researcherId()).isEqualTo("RESEARCHER_1");
      assertThat(p.researcherKey()).isEqualTo("SHA256:key");
      assertThat(store.sources(p))
          .containsExactly(new SourceFile("demo/Served.java", "class Served {}\n"));
    }
  }

  @Test
  void refusesOversizeSourcesAndFieldsBeforeStoringAnything() throws Exception {
    byte[] jar = servicesJar();
    try (SqliteDatabase db = NodeDatabase.openFile(dir.resolve("n.sqlite"))) {
      PlanStore store = new PlanStore(db);
      ApprovalDesk desk =
          new ApprovalDesk(
              new PlanPolicy(true, true, HashingAlgorithm.SHA256),
              store,
              new PlanCache(dir.resolve("plans")));
      Task big =
          request(jar)
              .putConfig(TaskKeys.PLAN_SOURCE_PREFIX + "A.java", "a".repeat(700_000))
              .putConfig(TaskKeys.PLAN_SOURCE_PREFIX + "B.java", "b".repeat(700_000))
              .build();
      Task longName = request(jar).putConfig(TaskKeys.PLAN_NAME, "n".repeat(300)).build();

      assertThatThrownBy(() -> desk.handle(7, big, serving(jar)))
          .hasMessageContaining("exceed " + PlanSources.MAX_TOTAL_BYTES + " bytes");
      assertThatThrownBy(() -> desk.handle(7, longName, serving(jar)))
          .hasMessageContaining("plan_name is longer than 256 characters (300)");
      assertThat(store.list()).isEmpty();
      assertThat(dir.resolve("plans")).doesNotExist();
    }
  }
}
