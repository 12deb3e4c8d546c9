package org.fedlink.djl;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.ml.worker.WorkerRuntime;

/**
 * Lets plan JARs use DJL in a plan worker: the worker's class path gains this module, DJL's API,
 * the PyTorch engine, its JNI and native jars and their dependencies; the worker reads the node's
 * unpacked libtorch ({@link DjlRuntime#cacheDir()}), bound read-only under bubblewrap, so a plan
 * can never change the native code the node itself loads. The node unpacks libtorch before the
 * first worker starts (the worker could not write there).
 */
public final class DjlWorkerRuntime implements WorkerRuntime {
  /** Classes (or resources) whose jars a DJL plan needs beside the plan API. */
  private static final List<String> ANCHORS =
      List.of(
          "org/fedlink/djl/DjlTrainingPlan.class",
          "ai/djl/engine/Engine.class",
          "ai/djl/pytorch/engine/PtEngine.class",
          "jnilib/pytorch.properties",
          "native/lib/pytorch.properties",
          "com/google/gson/Gson.class",
          "com/sun/jna/Native.class",
          "org/apache/commons/compress/utils/IOUtils.class",
          "org/slf4j/LoggerFactory.class");

  @Override
  public List<Path> classPath() {
    Set<Path> out = new LinkedHashSet<>();
    ClassLoader loader = DjlWorkerRuntime.class.getClassLoader();
    for (String anchor : ANCHORS) {
      URL url = loader.getResource(anchor);
      if (url == null) {
        throw new FedlinkException(
            ErrorCode.FAILED_PRECONDITION,
            "the node's class path lacks " + anchor + ", which DJL plans need; reinstall Fedlink");
      }
      out.add(jarOf(url, anchor));
    }
    return List.copyOf(out);
  }

  /** The node's cache folder, and its PyTorch thread settings when the node was given any. */
  @Override
  public Map<String, String> systemProperties() {
    Map<String, String> p = new java.util.TreeMap<>();
    p.put(DjlRuntime.CACHE_PROPERTY, DjlRuntime.cacheDir().toAbsolutePath().toString());
    for (String key : List.of(DjlRuntime.THREADS, DjlRuntime.INTEROP_THREADS)) {
      String v = System.getProperty(key);
      if (v != null && v.matches("\\d{1,3}")) {
        p.put(key, v);
      }
    }
    return p;
  }

  @Override
  public List<Path> readOnlyPaths() {
    return List.of(DjlRuntime.cacheDir().toAbsolutePath());
  }

  /** Names by which a plan's classes or manifest refer to DJL or to this module. */
  private static final List<byte[]> REFERENCES =
      Stream.of("ai/djl/", "ai.djl.", "org/fedlink/djl/", "org.fedlink.djl.")
          .map(r -> r.getBytes(java.nio.charset.StandardCharsets.US_ASCII))
          .toList();

  /**
   * Whether a class or the manifest of the plan JAR names a DJL class (or one of this module's, as
   * a TorchScript plan's class does): a plan that does not gets neither DJL's jars nor libtorch,
   * and the node does not unpack libtorch for it. A JAR that cannot be read counts as needing it
   * (the worker then reports what is wrong with it).
   */
  @Override
  public boolean neededBy(Path planJar) {
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(planJar.toFile())) {
      for (java.util.zip.ZipEntry e : java.util.Collections.list(zip.entries())) {
        String name = e.getName();
        if (!name.endsWith(".class") && !name.equals("META-INF/MANIFEST.MF")) {
          continue;
        }
        byte[] bytes;
        try (java.io.InputStream in = zip.getInputStream(e)) {
          bytes = in.readAllBytes();
        }
        for (byte[] r : REFERENCES) {
          if (contains(bytes, r)) {
            return true;
          }
        }
      }
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  private static boolean contains(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** Unpacks libtorch (by starting the engine in the node) unless the cache already holds it. */
  @Override
  public void prepare() {
    if (!unpacked(DjlRuntime.cacheDir())) {
      DjlRuntime.engine();
    }
  }

  /** True if the cache holds an unpacked libtorch with its JNI library (DJL writes that last). */
  static boolean unpacked(Path cache) {
    Path pytorch = cache.resolve("pytorch");
    if (!Files.isDirectory(pytorch)) {
      return false;
    }
    try (Stream<Path> versions = Files.list(pytorch)) {
      List<Path> dirs = new ArrayList<>(versions.filter(Files::isDirectory).toList());
      for (Path d : dirs) {
        try (Stream<Path> files = Files.list(d)) {
          if (files.anyMatch(f -> f.getFileName().toString().endsWith("libdjl_torch.so"))) {
            return true;
          }
        }
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  private static Path jarOf(URL url, String anchor) {
    try {
      String s = url.toString();
      if (s.startsWith("jar:")) {
        String file = s.substring(4, s.indexOf("!/"));
        return Path.of(new URL(file).toURI());
      }
      Path p = Path.of(url.toURI());
      int depth = anchor.split("/").length;
      for (int i = 0; i < depth; i++) {
        p = p.getParent();
      }
      return p;
    } catch (URISyntaxException | IOException | RuntimeException e) {
      throw new FedlinkException(
          ErrorCode.INTERNAL, "cannot locate the jar of " + anchor + " (" + url + ")", e);
    }
  }
}
