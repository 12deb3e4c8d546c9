package org.fedlink.ml.plan;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipOutputStream;

/**
 * Turns a fuzz input into a JAR file on disk for the plan JAR fuzz tests.
 *
 * <p>An input starting with {@code PK} (a ZIP local header) is written as it is, so the fuzzer
 * mutates the archive structure the JDK parses. Any other input is a list of entries, fields
 * separated by {@code 0x00}: name, content, name, content...; entries are written with {@link
 * ZipOutputStream}, so the fuzzer explores the entry names and manifests the plan rules judge.
 */
final class FuzzJars {
  private FuzzJars() {}

  /** Writes the JAR of {@code input} to {@code file}, replacing it. */
  static void write(byte[] input, Path file) {
    try {
      Files.write(
          file, input.length >= 2 && input[0] == 'P' && input[1] == 'K' ? input : zip(input));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] zip(byte[] input) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      int start = 0;
      String name = null;
      for (int i = 0; i <= input.length; i++) {
        if (i < input.length && input[i] != 0) {
          continue;
        }
        byte[] field = java.util.Arrays.copyOfRange(input, start, i);
        start = i + 1;
        if (name == null) {
          name = new String(field, StandardCharsets.UTF_8);
          continue;
        }
        try {
          out.putNextEntry(new ZipEntry(name));
          out.write(field);
          out.closeEntry();
        } catch (ZipException duplicateOrEmptyName) {
          // the writer refuses what a hostile JAR could still hold; the raw form covers that
        }
        name = null;
      }
    }
    return bytes.toByteArray();
  }
}
