package org.fedlink.djl;

import ai.djl.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts Deep Java Library's PyTorch engine offline, once per process.
 *
 * <p>Before the engine loads, this sets (unless already set by the user) {@code ai.djl.offline =
 * true} and {@code OPT_OUT_TRACKING = true} (nothing is downloaded or reported), the folder where
 * libtorch unpacks from the {@code pytorch-native-cpu} jar on the class path ({@code
 * ENGINE_CACHE_DIR} and {@code DJL_CACHE_DIR}, see {@link #cacheDir()}), and one intra-op and one
 * inter-op thread ({@code ai.djl.pytorch.num_threads}, {@code ai.djl.pytorch.num_interop_threads}):
 * a node runs beside other work, and on a busy two-core machine PyTorch's default thread pools are
 * two to three times slower. Thread-safe.
 */
public final class DjlRuntime {
  /** System property naming the folder of DJL's caches. */
  public static final String CACHE_PROPERTY = "fedlink.djl.cache";

  /** Environment variable naming the folder of DJL's caches (the property wins). */
  public static final String CACHE_ENV = "FEDLINK_DJL_CACHE";

  /** DJL's property for PyTorch's intra-op threads. */
  public static final String THREADS = "ai.djl.pytorch.num_threads";

  /** DJL's property for PyTorch's inter-op threads. */
  public static final String INTEROP_THREADS = "ai.djl.pytorch.num_interop_threads";

  /** DJL's engine name for PyTorch. */
  public static final String ENGINE = "PyTorch";

  private static final Logger log = LoggerFactory.getLogger(DjlRuntime.class);
  private static volatile Engine engine;

  private DjlRuntime() {}

  /**
   * The folder of DJL's caches: {@value #CACHE_PROPERTY}, else {@value #CACHE_ENV}, else {@code
   * ~/.cache/fedlink/djl}. A SuperNode started with a configuration sets the property to {@code
   * djl/} beside its database (the workspace's {@code var/djl}).
   */
  public static Path cacheDir() {
    String p = System.getProperty(CACHE_PROPERTY);
    if (p == null || p.isBlank()) {
      p = System.getenv(CACHE_ENV);
    }
    if (p == null || p.isBlank()) {
      return Path.of(System.getProperty("user.home"), ".cache", "fedlink", "djl");
    }
    return Path.of(p);
  }

  /** Sets the cache folder for this process unless the user chose one; before the engine starts. */
  public static void defaultCacheDir(Path dir) {
    if (System.getProperty(CACHE_PROPERTY) == null && System.getenv(CACHE_ENV) == null) {
      System.setProperty(CACHE_PROPERTY, dir.toAbsolutePath().toString());
    }
  }

  /**
   * The PyTorch engine, started on first use (about 1-5 s the first time on a machine, when
   * libtorch unpacks; under a second afterwards).
   *
   * @throws FedlinkException FAILED_PRECONDITION naming the cache folder if the engine cannot start
   */
  public static Engine engine() {
    Engine e = engine;
    if (e == null) {
      synchronized (DjlRuntime.class) {
        e = engine;
        if (e == null) {
          e = start();
          engine = e;
        }
      }
    }
    return e;
  }

  private static Engine start() {
    Path cache = cacheDir().toAbsolutePath();
    setDefault("ai.djl.offline", "true");
    setDefault("OPT_OUT_TRACKING", "true");
    setDefault("DJL_CACHE_DIR", cache.toString());
    setDefault("ENGINE_CACHE_DIR", cache.toString());
    setDefault(THREADS, "1");
    setDefault(INTEROP_THREADS, "1");
    setDefault("ai.djl.default_engine", ENGINE);
    long started = System.nanoTime();
    try {
      Files.createDirectories(cache);
      Engine e = Engine.getEngine(ENGINE);
      log.info(
          "PyTorch engine {} started in {} ms (natives in {}, {} intra-op thread(s))",
          e.getVersion(),
          (System.nanoTime() - started) / 1_000_000,
          cache,
          System.getProperty(THREADS));
      return e;
    } catch (Exception | LinkageError e) {
      throw new FedlinkException(
          ErrorCode.FAILED_PRECONDITION,
          "cannot start the PyTorch engine with its natives in "
              + cache
              + " ("
              + e.getMessage()
              + "); check that the folder is writable and has about 500 MB free, and that"
              + " pytorch-native-cpu is on the class path",
          e);
    }
  }

  private static void setDefault(String key, String value) {
    if (System.getProperty(key) == null && System.getenv(key) == null) {
      System.setProperty(key, value);
    }
  }
}
