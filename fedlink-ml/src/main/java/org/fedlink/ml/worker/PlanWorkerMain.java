package org.fedlink.ml.worker;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import org.fedlink.core.Parameters;
import org.fedlink.core.ParametersCodec;
import org.fedlink.ml.Dataset;
import org.fedlink.ml.LocalUpdate;
import org.fedlink.ml.Metrics;
import org.fedlink.ml.TrainingArgs;
import org.fedlink.ml.TrainingPlan;
import org.fedlink.ml.plan.JarTrainingPlanLoader;

/**
 * The plan worker: a separate JVM a SuperNode starts to run a researcher's training plan. It reads
 * {@link WorkerWire} requests on standard input and answers on standard output, one at a time; what
 * the plan prints goes to standard error (which the node logs). It exits when its input ends.
 *
 * <p>The worker holds no key, no database and no dataset: the node sends it the rows of one task at
 * a time. Limits (heap, time) are the node's to enforce, from outside.
 */
public final class PlanWorkerMain {
  /** Largest request a worker accepts. */
  static final int MAX_REQUEST_BYTES = Integer.MAX_VALUE - 64;

  private final DataInputStream in;
  private final DataOutputStream out;
  private TrainingPlan plan;

  PlanWorkerMain(DataInputStream in, DataOutputStream out) {
    this.in = in;
    this.out = out;
  }

  public static void main(String[] args) {
    DataOutputStream protocol =
        new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)));
    DataInputStream requests =
        new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in)));
    // The plan's own prints must not mix with the protocol.
    System.setOut(System.err);
    System.setIn(new ByteArrayInputStream(new byte[0]));
    int status = new PlanWorkerMain(requests, protocol).serve();
    // Threads the plan left running must not keep the worker alive.
    Runtime.getRuntime().halt(status);
  }

  /** Serves requests until the input ends; returns the exit status. */
  int serve() {
    while (true) {
      WorkerWire.Frame request;
      try {
        request = WorkerWire.read(in, MAX_REQUEST_BYTES);
      } catch (EOFException e) {
        return 0;
      } catch (IOException | RuntimeException e) {
        System.err.println("plan worker: unreadable request: " + e.getMessage());
        return 2;
      }
      byte[] reply;
      byte type = WorkerWire.OK;
      try {
        reply = answer(request);
      } catch (Throwable t) { // the plan's failure, whatever it is, goes back as an error reply
        type = WorkerWire.ERROR;
        reply = error(t);
      }
      try {
        WorkerWire.write(out, type, reply);
      } catch (IOException e) {
        return 0; // the node went away
      }
    }
  }

  private byte[] answer(WorkerWire.Frame request) {
    WorkerWire.Reader r = new WorkerWire.Reader(request.body());
    switch (request.type()) {
      case WorkerWire.LOAD -> {
        Path jar = Path.of(r.getString());
        r.end();
        plan = JarTrainingPlanLoader.load(jar);
        return new WorkerWire.Body().putString(plan.getClass().getName()).toBytes();
      }
      case WorkerWire.TRAIN -> {
        Parameters global = ParametersCodec.decode(r.getBytes());
        Dataset data = r.getDataset();
        TrainingArgs args = TrainingArgs.fromMap(r.getStrings());
        r.end();
        LocalUpdate update = loaded().train(global, data, args);
        return new WorkerWire.Body()
            .putBytes(ParametersCodec.encode(update.parameters()))
            .putLong(update.numExamples())
            .putDoubles(update.metrics())
            .toBytes();
      }
      case WorkerWire.EVALUATE -> {
        Parameters parameters = ParametersCodec.decode(r.getBytes());
        Dataset data = r.getDataset();
        r.end();
        Metrics m = loaded().evaluate(parameters, data);
        return new WorkerWire.Body()
            .putDouble(m.loss())
            .putDouble(m.accuracy())
            .putLong(m.count())
            .toBytes();
      }
      default -> throw new WorkerProtocolException("unknown request type " + request.type());
    }
  }

  private TrainingPlan loaded() {
    if (plan == null) {
      throw new IllegalStateException("no training plan loaded");
    }
    return plan;
  }

  private static byte[] error(Throwable t) {
    String message = t.getMessage() == null ? "" : t.getMessage();
    if (message.length() > WorkerWire.MAX_MESSAGE_CHARS) {
      message = message.substring(0, WorkerWire.MAX_MESSAGE_CHARS) + "...";
    }
    return new WorkerWire.Body().putString(t.getClass().getName()).putString(message).toBytes();
  }
}
