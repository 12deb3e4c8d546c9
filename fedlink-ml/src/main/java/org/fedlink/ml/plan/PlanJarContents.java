package org.fedlink.ml.plan;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * What a training-plan JAR holds, for an admin deciding whether to approve it: its file entries
 * with their real (decompressed) sizes, the plan class it names and the text of its {@code .java}
 * entries. It never loads a class and never writes a file; entry names are returned as they are
 * (print them through {@link org.fedlink.core.TerminalText}).
 *
 * <p>Every read is bounded: at most {@value #MAX_ENTRIES} entries are listed (the rest counted), an
 * entry is measured up to {@link PlanHash#MAX_ENTRY_BYTES} and all of them up to {@link
 * PlanHash#MAX_TOTAL_BYTES}, source text is read up to {@link PlanSources#MAX_TOTAL_BYTES} in all,
 * and the services file up to {@value #MAX_SERVICES_BYTES}. Immutable.
 */
public final class PlanJarContents {
  /** Most entries listed; further entries are only counted. */
  public static final int MAX_ENTRIES = 10_000;

  /** Most bytes read of the services file naming the plan class. */
  public static final int MAX_SERVICES_BYTES = 64 * 1024;

  /**
   * One file entry.
   *
   * @param name the entry name as the JAR spells it (foreign text)
   * @param size decompressed bytes, or -1 if larger than {@link PlanHash#MAX_ENTRY_BYTES}
   */
  public record Entry(String name, long size) {}

  /**
   * A {@code .java} entry whose text is not shown.
   *
   * @param name the entry name (foreign text)
   * @param reason why, e.g. "not UTF-8 text"
   */
  public record Withheld(String name, String reason) {}

  private final long jarBytes;
  private final List<Entry> entries;
  private final int unlisted;
  private final String planClass;
  private final List<SourceFile> sources;
  private final List<Withheld> withheld;

  private PlanJarContents(
      long jarBytes,
      List<Entry> entries,
      int unlisted,
      String planClass,
      List<SourceFile> sources,
      List<Withheld> withheld) {
    this.jarBytes = jarBytes;
    this.entries = List.copyOf(entries);
    this.unlisted = unlisted;
    this.planClass = planClass;
    this.sources = List.copyOf(sources);
    this.withheld = List.copyOf(withheld);
  }

  /**
   * Reads {@code jar}.
   *
   * @throws FedlinkException {@link ErrorCode#NOT_FOUND} if the file does not exist; {@link
   *     ErrorCode#INVALID_ARGUMENT} if it is not a readable JAR or its entries expand to more than
   *     {@link PlanHash#MAX_TOTAL_BYTES}
   */
  public static PlanJarContents read(Path jar) {
    return read(jar, PlanHash.MAX_TOTAL_BYTES);
  }

  /** {@link #read(Path)}, refusing the JAR once more than {@code maxExpanded} bytes are read. */
  static PlanJarContents read(Path jar, long maxExpanded) {
    Objects.requireNonNull(jar, "jar");
    if (!Files.isRegularFile(jar)) {
      throw new FedlinkException(
          ErrorCode.NOT_FOUND, "training plan JAR " + jar + " does not exist");
    }
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      List<ZipEntry> files = new ArrayList<>();
      int unlisted = 0;
      Enumeration<? extends ZipEntry> all = zip.entries();
      while (all.hasMoreElements()) {
        ZipEntry e = all.nextElement();
        if (e.isDirectory()) {
          continue;
        }
        if (files.size() < MAX_ENTRIES) {
          files.add(e);
        } else {
          unlisted++;
        }
      }
      files.sort(Comparator.comparing(ZipEntry::getName));
      List<Entry> entries = new ArrayList<>(files.size());
      List<SourceFile> sources = new ArrayList<>();
      List<Withheld> withheld = new ArrayList<>();
      long sourceBudget = PlanSources.MAX_TOTAL_BYTES;
      Expansion expansion = new Expansion(jar, maxExpanded);
      for (ZipEntry e : files) {
        if (e.getName().endsWith(PlanSources.SUFFIX)) {
          byte[] bytes = readAtMost(zip, e, sourceBudget);
          expansion.spend(bytes.length);
          if (bytes.length > sourceBudget) {
            withheld.add(
                new Withheld(
                    e.getName(),
                    "over the " + PlanSources.MAX_TOTAL_BYTES + " bytes of source text shown"));
            entries.add(new Entry(e.getName(), measure(zip, e, expansion)));
            continue;
          }
          entries.add(new Entry(e.getName(), bytes.length));
          String text = SourceFile.strictUtf8(bytes);
          if (text == null) {
            withheld.add(new Withheld(e.getName(), "not UTF-8 text"));
          } else {
            sources.add(new SourceFile(e.getName(), text));
            sourceBudget -= bytes.length;
          }
        } else {
          entries.add(new Entry(e.getName(), measure(zip, e, expansion)));
        }
      }
      return new PlanJarContents(
          Files.size(jar), entries, unlisted, planClass(zip), sources, withheld);
    } catch (IOException | IllegalArgumentException e) {
      // IllegalArgumentException: ZipFile reports an entry comment that is not UTF-8 so.
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "training plan JAR " + jar + " is not a readable JAR: " + e.getMessage());
    }
  }

  /**
   * The plan class {@code jar} names (see {@link #planClass()}), reading only its manifest and
   * services file.
   *
   * @throws FedlinkException {@link ErrorCode#INVALID_ARGUMENT} if it is not a readable JAR
   */
  public static Optional<String> planClassOf(Path jar) {
    Objects.requireNonNull(jar, "jar");
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      return Optional.ofNullable(planClass(zip));
    } catch (IOException | IllegalArgumentException e) {
      // IllegalArgumentException: ZipFile reports an entry comment that is not UTF-8 so.
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "training plan JAR " + jar + " is not a readable JAR: " + e.getMessage());
    }
  }

  /** The size of the JAR file in bytes. */
  public long jarBytes() {
    return jarBytes;
  }

  /** File entries (directories left out) by name; at most {@value #MAX_ENTRIES}. */
  public List<Entry> entries() {
    return entries;
  }

  /** How many file entries are beyond {@value #MAX_ENTRIES} and not listed. */
  public int unlistedEntries() {
    return unlisted;
  }

  /**
   * The plan class the JAR names, as {@link JarTrainingPlanLoader} finds it: the manifest attribute
   * {@value JarTrainingPlanLoader#PLAN_ATTRIBUTE}, else the single class of {@value
   * JarTrainingPlanLoader#SERVICE_FILE}; empty if it names none or several.
   */
  public Optional<String> planClass() {
    return Optional.ofNullable(planClass);
  }

  /** The {@code .java} entries' text, by name. */
  public List<SourceFile> sources() {
    return sources;
  }

  /** The {@code .java} entries whose text is not shown, and why. */
  public List<Withheld> withheldSources() {
    return withheld;
  }

  private static String planClass(ZipFile zip) throws IOException {
    String attribute = PlanHash.planAttribute(zip);
    if (attribute != null) {
      return attribute;
    }
    ZipEntry services = zip.getEntry(JarTrainingPlanLoader.SERVICE_FILE);
    if (services == null) {
      return null;
    }
    byte[] bytes = readAtMost(zip, services, MAX_SERVICES_BYTES);
    if (bytes.length > MAX_SERVICES_BYTES) {
      return null;
    }
    List<String> names = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        int hash = line.indexOf('#');
        String name = (hash >= 0 ? line.substring(0, hash) : line).strip();
        if (!name.isEmpty()) {
          names.add(name);
        }
      }
    }
    return names.size() == 1 ? names.get(0) : null;
  }

  /** Up to {@code limit + 1} bytes of the entry, so a caller can tell it is over the limit. */
  private static byte[] readAtMost(ZipFile zip, ZipEntry e, long limit) throws IOException {
    try (InputStream in = zip.getInputStream(e)) {
      return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
    }
  }

  /** The decompressed size of the entry, counted up to {@link PlanHash#MAX_ENTRY_BYTES}. */
  private static long measure(ZipFile zip, ZipEntry e, Expansion expansion) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long n = 0;
    try (InputStream in = zip.getInputStream(e)) {
      for (int r; (r = in.read(buffer)) > 0; ) {
        n += r;
        expansion.spend(r);
        if (n > PlanHash.MAX_ENTRY_BYTES) {
          return -1;
        }
      }
    }
    return n;
  }

  /**
   * The decompressed bytes read so far from one JAR. Entries can share compressed data, so a small
   * JAR can expand without bound even though each entry is measured only up to {@link
   * PlanHash#MAX_ENTRY_BYTES}: past the limit, the JAR is refused as {@link PlanHash#of} refuses
   * it.
   */
  private static final class Expansion {
    private final Path jar;
    private final long max;
    private long read;

    Expansion(Path jar, long max) {
      this.jar = jar;
      this.max = max;
    }

    void spend(long bytes) {
      read += bytes;
      if (read > max) {
        throw new FedlinkException(
            ErrorCode.INVALID_ARGUMENT,
            "training plan JAR "
                + jar
                + " expands to more than "
                + max
                + " bytes, the most allowed for a plan; load large data as a dataset");
      }
    }
  }
}
