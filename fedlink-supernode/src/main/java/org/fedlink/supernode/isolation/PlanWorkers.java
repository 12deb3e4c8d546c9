package org.fedlink.supernode.isolation;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.ml.TrainingPlan;
import org.fedlink.ml.worker.WorkerWire;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plan workers of a node: one worker process per run and plan, started on first use (or when
 * the plan arrives), kept warm across the rounds of the run, and ended when the run stops, after
 * {@link #IDLE} without a task, when more than {@link #MAX_WORKERS} are needed, or when the node
 * closes.
 *
 * <p>Thread-safe.
 */
public final class PlanWorkers implements AutoCloseable {
  private final java.util.concurrent.atomic.AtomicLong restarts =
      new java.util.concurrent.atomic.AtomicLong();
  private static final Logger log = LoggerFactory.getLogger(PlanWorkers.class);

  /** Workers kept at once; the least recently used goes first. */
  public static final int MAX_WORKERS = 4;

  /** A worker without a task for this long is ended. */
  public static final Duration IDLE = Duration.ofMinutes(10);

  private final PlanIsolation isolation;
  private final Path workRoot;
  private final Map<Key, PlanWorker> workers = new LinkedHashMap<>(16, 0.75f, true);
  private final ScheduledExecutorService sweeper;
  private boolean closed;

  private record Key(String runId, String planHash) {}

  /**
   * @param isolation where and within which limits workers run; not {@link
   *     PlanIsolation.Level#NONE}
   * @param workRoot a private folder of the node under which each worker gets its own folder
   */
  public PlanWorkers(PlanIsolation isolation, Path workRoot) {
    this.isolation = Objects.requireNonNull(isolation, "isolation");
    this.workRoot = Objects.requireNonNull(workRoot, "workRoot");
    if (isolation.level() == PlanIsolation.Level.NONE) {
      throw new IllegalArgumentException("plan_isolation = none runs no worker");
    }
    this.sweeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "plan-worker-sweeper");
              t.setDaemon(true);
              return t;
            });
    sweeper.scheduleWithFixedDelay(this::endIdle, 1, 1, TimeUnit.MINUTES);
    Workspace.deleteQuietly(workRoot); // folders of workers of an earlier process
  }

  /**
   * The plan of {@code jar} for run {@code runId}, running in that run's worker. The JAR must be
   * the node's own verified copy of an allowed plan.
   *
   * @param planHash the plan's hash (its identity on this node)
   * @param label how messages name the plan, e.g. "training plan 3f9a0c2d1b7e"
   * @param node how messages name this node, e.g. "node 12"
   */
  public TrainingPlan plan(String runId, String planHash, Path jar, String label, String node) {
    return new IsolatedPlan(this, new Key(runId, planHash), jar, label, node);
  }

  /**
   * Starts the worker of {@code runId} and {@code planHash} now (if not running) and loads the plan
   * in it: the plan's constructor runs in the worker, never in the node.
   *
   * @throws FedlinkException as the worker's calls
   */
  public void warm(String runId, String planHash, Path jar, String label, String node) {
    worker(new Key(runId, planHash), jar, label, node);
  }

  /** Ends the workers of a run (its tasks in progress fail as cancelled). */
  public void stopRun(String runId) {
    List<PlanWorker> ended = new ArrayList<>();
    synchronized (this) {
      Iterator<Map.Entry<Key, PlanWorker>> it = workers.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<Key, PlanWorker> e = it.next();
        if (e.getKey().runId().equals(runId)) {
          ended.add(e.getValue());
          it.remove();
        }
      }
    }
    for (PlanWorker w : ended) {
      log.info("run {} stopped: ending its plan worker (pid {})", runId, w.pid());
      w.kill("run stopped");
      w.close();
    }
  }

  /** Workers started again because the previous one of the same run and plan had died. */
  public long restarts() {
    return restarts.get();
  }

  /** Number of live workers (for tests and status). */
  public synchronized int size() {
    return (int) workers.values().stream().filter(PlanWorker::alive).count();
  }

  /** The process ids of the live workers of a run (for tests and status). */
  public synchronized List<Long> pids(String runId) {
    return workers.entrySet().stream()
        .filter(e -> e.getKey().runId().equals(runId) && e.getValue().alive())
        .map(e -> e.getValue().pid())
        .toList();
  }

  /** The live worker of {@code key}, started and loaded if needed. */
  PlanWorker worker(Key key, Path jar, String label, String node) {
    PlanWorker w;
    List<PlanWorker> evicted = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        throw new FedlinkException(ErrorCode.CANCELLED, "the node is stopping");
      }
      w = workers.get(key);
      if (w == null || !w.alive()) {
        if (w != null) {
          workers.remove(key);
          evicted.add(w);
          restarts.incrementAndGet();
        }
        Iterator<PlanWorker> lru = workers.values().iterator();
        while (workers.size() >= MAX_WORKERS && lru.hasNext()) {
          evicted.add(lru.next());
          lru.remove();
        }
        w = start(jar, label, node);
        workers.put(key, w);
      }
    }
    for (PlanWorker e : evicted) {
      e.close();
    }
    load(w, jar, label);
    return w;
  }

  private PlanWorker start(Path jar, String label, String node) {
    WorkerCommand.Line line = WorkerCommand.of(isolation, jar);
    Path dir = Workspace.create(workRoot, "worker-");
    PlanWorker w = PlanWorker.start(isolation, line.argv(), label, node, dir);
    log.info("{}: started a {} worker (pid {})", label, isolation.level().word(), w.pid());
    return w;
  }

  private void load(PlanWorker w, Path jar, String label) {
    String inWorker =
        isolation.level() == PlanIsolation.Level.SANDBOX
            ? WorkerCommand.SANDBOX_JAR
            : jar.toAbsolutePath().toString();
    try {
      w.loadOnce(inWorker);
    } catch (FedlinkException e) {
      // The loader names the JAR by its path: not for another party.
      String message = e.getMessage().replace(inWorker, "(the plan JAR)");
      throw new FedlinkException(e.code(), message);
    }
  }

  private void endIdle() {
    long now = System.nanoTime();
    List<PlanWorker> ended = new ArrayList<>();
    synchronized (this) {
      Iterator<PlanWorker> it = workers.values().iterator();
      while (it.hasNext()) {
        PlanWorker w = it.next();
        if (!w.alive() || now - w.lastUsedNanos() > IDLE.toNanos()) {
          ended.add(w);
          it.remove();
        }
      }
    }
    ended.forEach(PlanWorker::close);
  }

  /** Ends every worker. */
  @Override
  public void close() {
    List<PlanWorker> all;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(workers.values());
      workers.clear();
    }
    sweeper.shutdownNow();
    all.forEach(PlanWorker::close);
  }

  /** A plan whose calls go to its run's worker. */
  private static final class IsolatedPlan implements TrainingPlan {
    private final PlanWorkers workers;
    private final Key key;
    private final Path jar;
    private final String label;
    private final String node;

    IsolatedPlan(PlanWorkers workers, Key key, Path jar, String label, String node) {
      this.workers = workers;
      this.key = key;
      this.jar = jar;
      this.label = label;
      this.node = node;
    }

    @Override
    public String id() {
      return label;
    }

    @Override
    public org.fedlink.core.Parameters initialize(
        org.fedlink.ml.DataSummary summary, org.fedlink.ml.TrainingArgs args) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT, "a node does not initialize models; the researcher does");
    }

    @Override
    public org.fedlink.ml.LocalUpdate train(
        org.fedlink.core.Parameters global,
        org.fedlink.ml.Dataset data,
        org.fedlink.ml.TrainingArgs args) {
      byte[] model = org.fedlink.core.ParametersCodec.encode(global);
      byte[] request =
          new WorkerWire.Body().putBytes(model).putDataset(data).putStrings(args.toMap()).toBytes();
      // The update has the global model's layout: its size is known; metrics get 1 MiB.
      int maxReply = (int) Math.min(Integer.MAX_VALUE - 64L, model.length + (1L << 20));
      WorkerWire.Reader r = call(WorkerWire.TRAIN, request, maxReply);
      try {
        org.fedlink.core.Parameters trained = org.fedlink.core.ParametersCodec.decode(r.getBytes());
        long examples = r.getLong();
        java.util.Map<String, Double> metrics = r.getDoubles();
        r.end();
        return new org.fedlink.ml.LocalUpdate(trained, examples, metrics);
      } catch (RuntimeException e) {
        throw badReply(e);
      }
    }

    @Override
    public org.fedlink.ml.Metrics evaluate(
        org.fedlink.core.Parameters parameters, org.fedlink.ml.Dataset data) {
      byte[] request =
          new WorkerWire.Body()
              .putBytes(org.fedlink.core.ParametersCodec.encode(parameters))
              .putDataset(data)
              .toBytes();
      WorkerWire.Reader r = call(WorkerWire.EVALUATE, request, 1 << 20);
      try {
        org.fedlink.ml.Metrics m =
            new org.fedlink.ml.Metrics(r.getDouble(), r.getDouble(), r.getLong());
        r.end();
        return m;
      } catch (RuntimeException e) {
        throw badReply(e);
      }
    }

    private WorkerWire.Reader call(byte type, byte[] request, int maxReply) {
      return workers.worker(key, jar, label, node).call(type, request, maxReply);
    }

    private FedlinkException badReply(RuntimeException e) {
      return new FedlinkException(
          ErrorCode.TASK_FAILED, label + " returned an unreadable result: " + e.getMessage());
    }
  }
}
