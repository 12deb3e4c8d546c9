package org.fedlink.crypto.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidAlgorithmParameterException;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BiprimeTest {
  @TempDir Path dir;

  @Test
  void shipsValidatedDefaultsOf1024And2048Bits() throws Exception {
    Biprime small = Biprime.defaultBiprime(1024);
    Biprime large = Biprime.defaultBiprime(2048);
    assertThat(small.bits()).isEqualTo(1024);
    assertThat(large.bits()).isEqualTo(2048);
    byte[] bytes = Biprime.unsignedBytes(small.modulus());
    assertThat(bytes).hasSize(128);
    assertThat(small.fingerprint())
        .isEqualTo(BiprimeFile.hex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    assertThatThrownBy(() -> Biprime.defaultBiprime(3072))
        .hasMessageContaining("no default biprime of 3072 bits");
  }

  @Test
  void generatedFileLoadsBackAndHoldsNoFactor() throws Exception {
    Biprime generated = BiprimeGenerator.generate(1024, false, TestBiprimes.seeded(4));
    assertThat(generated.bits()).isEqualTo(1024);
    String text = BiprimeFile.format(generated, "random", "2025-01-01T00:00:00Z", "test");
    assertThat(text).doesNotContain("p=").doesNotContain("q=");
    Path file = dir.resolve("n.txt");
    Files.writeString(file, text);
    assertThat(Biprime.load(file)).isEqualTo(generated);
  }

  @Test
  void rejectsFileWithWrongFingerprintOrBits() throws Exception {
    String good = BiprimeFile.format(Biprime.defaultBiprime(1024), "safe", "now", "x");
    Path wrongSha = dir.resolve("sha.txt");
    Files.writeString(wrongSha, good.replaceAll("sha256=.", "sha256=0"));
    assertThatThrownBy(() -> Biprime.load(wrongSha))
        .isInstanceOf(InvalidAlgorithmParameterException.class)
        .hasMessageContaining("n hashes to");
    Path wrongBits = dir.resolve("bits.txt");
    Files.writeString(wrongBits, good.replace("bits=1024", "bits=1023"));
    assertThatThrownBy(() -> Biprime.load(wrongBits)).hasMessageContaining("bits=1023");
    Path missing = dir.resolve("missing.txt");
    Files.writeString(missing, good.replaceAll("(?m)^n=.*$", ""));
    assertThatThrownBy(() -> Biprime.load(missing)).hasMessageContaining("'n' missing");
  }

  @Test
  void rejectsWeakModuli() {
    BigInteger p = BigInteger.probablePrime(512, TestBiprimes.seeded(5));
    assertThatThrownBy(() -> Biprime.of(p.multiply(p))).hasMessageContaining("perfect square");
    assertThatThrownBy(() -> Biprime.of(BigInteger.ONE.shiftLeft(1100)))
        .hasMessageContaining("even");
    BigInteger prime = BigInteger.probablePrime(1024, TestBiprimes.seeded(6));
    assertThatThrownBy(() -> Biprime.of(prime)).hasMessageContaining("is prime");
    BigInteger smallFactor =
        BigInteger.probablePrime(1020, TestBiprimes.seeded(7)).multiply(BigInteger.valueOf(65521));
    assertThatThrownBy(() -> Biprime.of(smallFactor))
        .hasMessageContaining("small prime factor 65521");
    assertThatThrownBy(() -> Biprime.of(BigInteger.valueOf(143)))
        .isInstanceOf(InvalidAlgorithmParameterException.class)
        .hasMessageContaining("8 bits; at least 1024");
  }
}
