package org.fedlink.supernode.plans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanCacheTest {
  @TempDir Path dir;

  @Test
  void storesUnderTheSha256OfTheBytes() throws Exception {
    byte[] jar = "jar bytes".getBytes(StandardCharsets.UTF_8);
    String sha = PlanCache.sha256(jar);
    PlanCache cache = new PlanCache(dir.resolve("plans"));

    Path stored = cache.store(jar, sha);

    assertThat(Files.readAllBytes(stored)).isEqualTo(jar);
    assertThat(cache.find(sha)).contains(stored);
    assertThat(cache.find("0".repeat(64))).isEmpty();
  }

  @Test
  void refusesBytesThatDoNotMatchTheAnnouncedHash() {
    PlanCache cache = new PlanCache(dir);
    String other = PlanCache.sha256(new byte[] {1});

    assertThatThrownBy(() -> cache.store(new byte[] {2}, other))
        .hasMessageContaining("altered in transit");
    assertThat(cache.find(other)).isEmpty();
  }

  @Test
  void refusesReferencesThatAreNotAHashSoNoPathEscapes() {
    PlanCache cache = new PlanCache(dir);

    assertThatThrownBy(() -> cache.find("../../etc/passwd")).hasMessageContaining("not a SHA-256");
  }

  @Test
  void knownAnswerOfTheEmptyInput() {
    assertThat(PlanCache.sha256(new byte[0]))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }
}
