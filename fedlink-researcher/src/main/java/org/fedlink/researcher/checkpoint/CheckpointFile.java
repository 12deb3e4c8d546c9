package org.fedlink.researcher.checkpoint;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.ParametersCodec;
import org.fedlink.researcher.RoundMetrics;

/**
 * The checkpoint of an experiment's output folder: {@code <output>/checkpoint/checkpoint.flc},
 * replaced after every round. It is written whole to {@code checkpoint.flc.tmp}, flushed to disk
 * ({@code fsync}), renamed over the previous one and the folder flushed, so a process killed at any
 * moment leaves either the previous checkpoint or the new one, never a mix. The file ends with the
 * SHA-256 of its content, so a damaged file is refused rather than resumed from.
 *
 * <p>Format (big-endian, strings as {@link DataOutputStream#writeUTF}): magic {@code FLCK}, version
 * 1, run id, round, settings (count, then key and value), strategy state (likewise), history
 * (count, then per round: round, nodes, train loss, validation loss, validation accuracy, seconds,
 * dropped count and messages, epsilon from version 2 on), model ({@link ParametersCodec} bytes,
 * length first), SHA-256. Stateless; one writer per output folder.
 */
public final class CheckpointFile {
  /** The folder, inside the output folder, that holds the checkpoint. */
  public static final String FOLDER = "checkpoint";

  public static final String FILE = "checkpoint.flc";

  private static final int MAGIC = 0x464c434b; // "FLCK"
  private static final int VERSION = 2; // 2: each round ends with its epsilon (NaN without DP)

  private CheckpointFile() {}

  /** The checkpoint file of an output folder. */
  public static Path of(Path outputDir) {
    return outputDir.resolve(FOLDER).resolve(FILE);
  }

  /** Replaces the output folder's checkpoint atomically. */
  public static void write(Path outputDir, Checkpoint c) {
    Path file = of(outputDir);
    Path tmp = file.resolveSibling(FILE + ".tmp");
    try {
      Files.createDirectories(file.getParent());
      byte[] bytes = encode(c);
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel d = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
        d.force(true);
      } catch (IOException e) {
        // Some file systems cannot open a folder for fsync; the rename itself stays atomic.
      }
    } catch (IOException e) {
      throw new FedlinkException(
          ErrorCode.INTERNAL, "cannot write the checkpoint " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads the output folder's checkpoint.
   *
   * @throws FedlinkException NOT_FOUND if there is none, FAILED_PRECONDITION if it is damaged
   */
  public static Checkpoint read(Path outputDir) {
    Path file = of(outputDir);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new FedlinkException(
          ErrorCode.NOT_FOUND,
          "no checkpoint in "
              + outputDir
              + " (expected "
              + file
              + "): give the --output folder of the run to resume");
    } catch (IOException e) {
      throw new FedlinkException(
          ErrorCode.INTERNAL, "cannot read the checkpoint " + file + ": " + e.getMessage(), e);
    }
    try {
      return decode(bytes);
    } catch (IOException | RuntimeException e) {
      throw new FedlinkException(
          ErrorCode.FAILED_PRECONDITION,
          "the checkpoint " + file + " is damaged (" + e.getMessage() + "); start a new run",
          e);
    }
  }

  static byte[] encode(Checkpoint c) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(MAGIC);
    out.writeInt(VERSION);
    out.writeUTF(c.runId());
    out.writeInt(c.round());
    writeMap(out, c.settings());
    writeMap(out, c.strategyState());
    out.writeInt(c.history().size());
    for (RoundMetrics m : c.history()) {
      out.writeInt(m.round());
      out.writeInt(m.nodes());
      out.writeDouble(m.trainLoss());
      out.writeDouble(m.valLoss());
      out.writeDouble(m.valAccuracy());
      out.writeDouble(m.seconds());
      out.writeInt(m.dropped().size());
      for (String d : m.dropped()) {
        out.writeUTF(d);
      }
      out.writeDouble(m.epsilon());
    }
    byte[] model = ParametersCodec.encode(c.model());
    out.writeInt(model.length);
    out.write(model);
    out.flush();
    out.write(sha256(bytes.toByteArray()));
    return bytes.toByteArray();
  }

  static Checkpoint decode(byte[] bytes) throws IOException {
    if (bytes.length < 32 + 8) {
      throw new IOException(bytes.length + " bytes, too short");
    }
    byte[] body = Arrays.copyOf(bytes, bytes.length - 32);
    if (!MessageDigest.isEqual(
        sha256(body), Arrays.copyOfRange(bytes, bytes.length - 32, bytes.length))) {
      throw new IOException("SHA-256 does not match the content");
    }
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
    if (in.readInt() != MAGIC) {
      throw new IOException("not a Fedlink checkpoint");
    }
    int version = in.readInt();
    if (version != 1 && version != VERSION) {
      throw new IOException("version " + version + ", this Fedlink reads versions 1 to " + VERSION);
    }
    String runId = in.readUTF();
    int round = in.readInt();
    Map<String, String> settings = readMap(in);
    Map<String, String> strategy = readMap(in);
    int rounds = count(in, body.length);
    List<RoundMetrics> history = new ArrayList<>(rounds);
    for (int i = 0; i < rounds; i++) {
      int r = in.readInt();
      int nodes = in.readInt();
      double trainLoss = in.readDouble();
      double valLoss = in.readDouble();
      double valAccuracy = in.readDouble();
      double seconds = in.readDouble();
      int n = count(in, body.length);
      List<String> dropped = new ArrayList<>(n);
      for (int k = 0; k < n; k++) {
        dropped.add(in.readUTF());
      }
      double epsilon = version >= 2 ? in.readDouble() : Double.NaN;
      history.add(
          new RoundMetrics(r, nodes, trainLoss, valLoss, valAccuracy, seconds, dropped, epsilon));
    }
    int length = count(in, body.length);
    byte[] model = in.readNBytes(length);
    if (model.length != length || in.available() != 0) {
      throw new IOException("model length does not match the file");
    }
    return new Checkpoint(runId, round, ParametersCodec.decode(model), history, settings, strategy);
  }

  private static void writeMap(DataOutputStream out, Map<String, String> map) throws IOException {
    out.writeInt(map.size());
    for (Map.Entry<String, String> e : map.entrySet()) {
      out.writeUTF(e.getKey());
      out.writeUTF(e.getValue());
    }
  }

  private static Map<String, String> readMap(DataInputStream in) throws IOException {
    int n = count(in, Integer.MAX_VALUE);
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      out.put(in.readUTF(), in.readUTF());
    }
    return out;
  }

  /** A count read from the file, checked against what the file can hold. */
  private static int count(DataInputStream in, int limit) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > limit) {
      throw new IOException("count " + n + " out of range");
    }
    return n;
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
