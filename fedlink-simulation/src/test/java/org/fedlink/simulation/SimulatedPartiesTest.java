package org.fedlink.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.fedlink.crypto.x509.CertificateGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedPartiesTest {
  @TempDir Path dir;

  @Test
  void registersOnlyTheSimulationsPartiesAndMakesACertificateWhenFirstNeeded() {
    SimulatedParties parties = new SimulatedParties(dir, 10);
    assertThat(parties.lookup("sim-000010")).isEmpty(); // an 11th node
    assertThat(parties.lookup("sim-10")).isEmpty();
    assertThat(parties.lookup("node-1")).isEmpty();
    assertThat(parties.generated()).isZero();

    var registered = parties.lookup("sim-000003").orElseThrow();
    assertThat(registered.certificate().componentId()).isEqualTo("sim-000003");
    assertThat(parties.identity("sim-000003").componentId()).isEqualTo("sim-000003");
    assertThat(parties.lookup(SimulatedParties.RESEARCHER)).isPresent();
    assertThat(parties.generated()).isEqualTo(2);
  }

  @Test
  void keysAreOwnerOnlyAndAnotherSimulationInTheSameFolderReadsThemBack() throws Exception {
    var first = new SimulatedParties(dir, 2).lookup("sim-000001").orElseThrow();
    Path key = dir.resolve("sim-000001").resolve(CertificateGenerator.PRIVATE_KEY_FILE);
    assertThat(Files.getPosixFilePermissions(key))
        .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    var again = new SimulatedParties(dir, 2).lookup("sim-000001").orElseThrow();
    assertThat(again.certificate().publicKey()).isEqualTo(first.certificate().publicKey());
  }
}
