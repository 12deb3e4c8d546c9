package org.fedlink.ml.plan;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.ml.TrainingPlan;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JarTrainingPlanLoaderTest {
  @TempDir static Path work;
  static Map<String, byte[]> classes;

  @TempDir Path dir;

  @BeforeAll
  static void compilePlans() throws Exception {
    classes =
        TestJars.compile(
            work,
            Map.of(
                "p.Plan", TestJars.planSource("Plan", "jar-plan"),
                "p.Other", TestJars.planSource("Other", "other-plan"),
                "p.NotAPlan", "package p; public class NotAPlan {}",
                "p.NoDefaultConstructor",
                    TestJars.planSource("NoDefaultConstructor", "x")
                        .replace(
                            "implements TrainingPlan {",
                            "implements TrainingPlan {\n  public NoDefaultConstructor(int a) {}"),
                "p.Exploding",
                    TestJars.planSource("Exploding", "x")
                        .replace(
                            "implements TrainingPlan {",
                            "implements TrainingPlan {\n  public Exploding() { throw new IllegalStateException(\"boom\"); }")));
  }

  Path jar(String planAttribute, String serviceFile) throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("META-INF/MANIFEST.MF", TestJars.manifest(planAttribute, "test"));
    if (serviceFile != null) {
      entries.put(JarTrainingPlanLoader.SERVICE_FILE, serviceFile.getBytes(UTF_8));
    }
    entries.putAll(classes);
    return TestJars.jar(dir.resolve("plan.jar"), entries, 0);
  }

  @Test
  void loadsThePlanNamedByTheManifestInItsOwnClassLoader() throws Exception {
    try (LoadedTrainingPlan loaded = JarTrainingPlanLoader.open(jar("p.Plan", null))) {
      TrainingPlan plan = loaded.plan();

      assertThat(plan.id()).isEqualTo("jar-plan");
      assertThat(loaded.className()).isEqualTo("p.Plan");
      assertThat(plan.getClass().getClassLoader())
          .isSameAs(loaded.classLoader())
          .isInstanceOf(URLClassLoader.class);
      assertThat(loaded.classLoader().getParent()).isSameAs(TrainingPlan.class.getClassLoader());
    }
  }

  @Test
  void loadReturnsThePlanDirectly() throws Exception {
    assertThat(JarTrainingPlanLoader.load(jar("p.Other", null)).id()).isEqualTo("other-plan");
  }

  @Test
  void fallsBackToTheServiceFile() throws Exception {
    TrainingPlan plan = JarTrainingPlanLoader.load(jar(null, "# the plan\np.Other\n"));

    assertThat(plan.id()).isEqualTo("other-plan");
  }

  @Test
  void manifestAttributeWinsOverServiceFile() throws Exception {
    assertThat(JarTrainingPlanLoader.load(jar("p.Plan", "p.Other\n")).id()).isEqualTo("jar-plan");
  }

  @Test
  void refusesJarNamingNoPlan() throws Exception {
    assertRefused(jar(null, null))
        .hasMessageContaining("names no training plan")
        .hasMessageContaining("Fedlink-Training-Plan: fully.qualified.ClassName")
        .hasMessageContaining("META-INF/services/org.fedlink.ml.TrainingPlan");
  }

  @Test
  void refusesServiceFileListingSeveralPlans() throws Exception {
    assertRefused(jar(null, "p.Plan\np.Other\n")).hasMessageContaining("lists 2 plans");
  }

  @Test
  void refusesMissingClass() throws Exception {
    assertRefused(jar("p.Missing", null))
        .hasMessageContaining("does not contain the training plan class p.Missing");
  }

  @Test
  void refusesClassNotImplementingTrainingPlan() throws Exception {
    assertRefused(jar("p.NotAPlan", null))
        .hasMessageContaining("p.NotAPlan does not implement org.fedlink.ml.TrainingPlan");
  }

  @Test
  void refusesClassWithoutNoArgumentConstructor() throws Exception {
    assertRefused(jar("p.NoDefaultConstructor", null))
        .hasMessageContaining("needs a public no-argument constructor");
  }

  @Test
  void reportsAFailingConstructor() throws Exception {
    assertRefused(jar("p.Exploding", null))
        .hasMessageContaining("failed in its constructor")
        .hasMessageContaining("boom");
  }

  @Test
  void refusesAPlanClassFromTheApplicationClassPath() throws Exception {
    assertRefused(jar(AppClassPathPlan.class.getName(), null))
        .hasMessageContaining("is not defined by the JAR but by the application class path");
  }

  @Test
  void refusesMissingFile() {
    assertThatThrownBy(() -> JarTrainingPlanLoader.load(dir.resolve("none.jar")))
        .isInstanceOf(FedlinkException.class)
        .satisfies(e -> assertThat(((FedlinkException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
  }

  private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertRefused(
      Path jar) {
    return assertThatThrownBy(() -> JarTrainingPlanLoader.load(jar))
        .isInstanceOf(FedlinkException.class)
        .satisfies(
            e -> assertThat(((FedlinkException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageStartingWith("training plan JAR " + jar);
  }
}
