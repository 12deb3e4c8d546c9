package org.fedlink.supernode;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.store.ProcessLock;
import org.fedlink.core.store.SqliteDatabase;

/**
 * What many SuperNodes in one JVM share, so that a simulation can hold thousands of them: one node
 * database (training plans and their approvals, biprimes; each node keeps its own identity), one
 * scheduler for every node's registration, heartbeats and reconnections (a node holds no thread of
 * its own), and one fixed pool that runs every node's tasks, whose size caps how many local
 * trainings run at once (results are pushed from a pool of their own, so a slot is not held while a
 * push waits for the SuperLink; a task that waits for its peers' messages, a Joye-Libert key setup,
 * runs on a pool without a cap, so that it never waits behind the very peers it waits for). A real
 * site runs one SuperNode and needs none.
 *
 * <p>Thread-safe. Close it after the nodes that use it.
 */
public final class NodeHost implements AutoCloseable {
  private final Path databaseFile;
  private final ProcessLock lock;
  private final SqliteDatabase db;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService tasks;
  private final ExecutorService deliveries;
  private final ExecutorService exchanges;
  private final int taskThreads;

  private static final int DELIVERY_THREADS = 16;

  private NodeHost(Path databaseFile, int taskThreads) {
    this.databaseFile = databaseFile;
    this.taskThreads = taskThreads;
    this.lock = ProcessLock.acquire(databaseFile, "node database");
    try {
      this.db = NodeDatabase.openFile(databaseFile);
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
    this.scheduler = Executors.newScheduledThreadPool(2, threads("node-host-connection"));
    this.tasks = Executors.newFixedThreadPool(taskThreads, threads("node-host-task"));
    // Pushing results mostly waits for the SuperLink: more threads than cores keep it flowing.
    this.deliveries = Executors.newFixedThreadPool(DELIVERY_THREADS, threads("node-host-delivery"));
    // A task that waits for its peers' messages (a Joye-Libert key setup) cannot wait in the
    // capped pool: its peers' tasks would queue behind it and none would finish.
    this.exchanges = Executors.newCachedThreadPool(threads("node-host-exchange"));
  }

  /**
   * Opens (creating if needed) the shared node database at {@code databaseFile} and starts the
   * shared threads; {@code taskThreads} tasks of any nodes run at once.
   *
   * @throws FedlinkException CONFIGURATION if {@code taskThreads < 1}; if the database is held by
   *     another process
   */
  public static NodeHost open(Path databaseFile, int taskThreads) {
    if (taskThreads < 1) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "concurrent tasks " + taskThreads + " must be at least 1 (default: the number of cores)");
    }
    return new NodeHost(databaseFile, taskThreads);
  }

  /** How many tasks run at once. */
  public int taskThreads() {
    return taskThreads;
  }

  Path databaseFile() {
    return databaseFile;
  }

  SqliteDatabase database() {
    return db;
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  ExecutorService tasks() {
    return tasks;
  }

  ExecutorService deliveries() {
    return deliveries;
  }

  /** Runs the tasks that wait for other nodes' messages; no cap, threads made as needed. */
  ExecutorService exchanges() {
    return exchanges;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    tasks.shutdownNow();
    deliveries.shutdownNow();
    exchanges.shutdownNow();
    try {
      tasks.awaitTermination(5, TimeUnit.SECONDS);
      deliveries.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    db.close();
    lock.close();
  }

  private static java.util.concurrent.ThreadFactory threads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
