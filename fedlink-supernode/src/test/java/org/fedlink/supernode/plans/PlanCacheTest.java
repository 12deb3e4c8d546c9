package org.fedlink.supernode.plans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.digest.HashingAlgorithm;
import org.fedlink.ml.plan.PlanHash;
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

  /** A small plan-shaped JAR: one class entry and the plan attribute. */
  private static byte[] jar(String classBytes) throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    java.util.jar.Manifest m = new java.util.jar.Manifest();
    m.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().putValue("Fedlink-Training-Plan", "p.Plan");
    m.getMainAttributes().putValue("Created-By", "a build tool");
    try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(bytes, m)) {
      out.putNextEntry(new java.util.jar.JarEntry("p/Plan.class"));
      out.write(classBytes.getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    return bytes.toByteArray();
  }

  @Test
  void theVerifiedCopyHashesLikeTheReceivedJarAndATamperedCopyIsCaught() throws Exception {
    PlanCache cache = new PlanCache(dir.resolve("plans"));
    byte[] received = jar("benign");
    String sha = PlanCache.sha256(received);
    Path stored = cache.store(received, sha);
    HashingAlgorithm alg = HashingAlgorithm.SHA256;
    String hash = PlanHash.of(stored, alg);

    Path copy = cache.verifiedCopy(sha, hash, alg);

    assertThat(PlanHash.of(copy, alg)).isEqualTo(hash);
    assertThat(copy.getParent().getParent()).isEqualTo(dir.resolve("plans"));
    assertThat(Files.getPosixFilePermissions(copy.getParent()))
        .containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE,
            java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE);
    try (java.util.jar.JarFile j = new java.util.jar.JarFile(copy.toFile())) {
      assertThat(j.getManifest().getMainAttributes().getValue("Created-By")).isNull();
    }

    // Someone rewrites the copy: the next task hashes it again and refuses it.
    Files.write(copy, jar("evil"));
    assertThatThrownBy(() -> cache.verifiedCopy(sha, hash, alg))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("hashes to");
    assertThat(copy).doesNotExist();
    // ... and the copy after that is made again from the received JAR.
    assertThat(PlanHash.of(cache.verifiedCopy(sha, hash, alg), alg)).isEqualTo(hash);
  }

  @Test
  void aRefusedJarIsNamedByItsHashNotByItsPathOnTheNode() throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    java.util.jar.Manifest m = new java.util.jar.Manifest();
    m.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().putValue("Multi-Release", "true");
    try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(bytes, m)) {
      out.putNextEntry(new java.util.jar.JarEntry("p/Plan.class"));
      out.write(1);
      out.closeEntry();
    }
    byte[] received = bytes.toByteArray();
    String sha = PlanCache.sha256(received);
    Path stored = new PlanCache(dir.resolve("plans")).store(received, sha);

    assertThatThrownBy(() -> PlanCache.planHash(stored, HashingAlgorithm.SHA256))
        .isInstanceOfSatisfying(
            FedlinkException.class,
            e -> {
              assertThat(e.getMessage()).contains(stored.toString()).contains("Multi-Release");
              assertThat(e.peerMessage())
                  .doesNotContain(dir.toString())
                  .contains(sha.substring(0, 12))
                  .contains("Multi-Release");
            });
  }

  @Test
  void knownAnswerOfTheEmptyInput() {
    assertThat(PlanCache.sha256(new byte[0]))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }
}
