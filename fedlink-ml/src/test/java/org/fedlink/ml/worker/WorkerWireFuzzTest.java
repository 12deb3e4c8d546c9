package org.fedlink.ml.worker;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * Reads arbitrary bytes as a plan worker's reply, as a node reads a possibly hostile worker: {@link
 * WorkerWire#read} returns a frame or throws {@link EOFException} or {@link
 * WorkerProtocolException}, and every {@link WorkerWire.Reader} method returns or throws {@link
 * WorkerProtocolException}, and nothing else.
 *
 * <p>The first byte {@code n} (taken modulo 16) is followed by {@code n} operation bytes, each
 * choosing one reader method (modulo 9: int, long, double, bytes, string, string map, double map,
 * dataset, end); the rest is the stream the node reads, with a frame limit of 1 MiB.
 */
class WorkerWireFuzzTest {
  private static final int MAX_FRAME = 1 << 20;

  @FuzzTest
  void read(byte[] input) throws IOException {
    if (input.length == 0) {
      return;
    }
    int ops = Math.min((input[0] & 0xff) % 16, input.length - 1);
    DataInputStream stream =
        new DataInputStream(new ByteArrayInputStream(input, 1 + ops, input.length - 1 - ops));
    WorkerWire.Frame frame;
    try {
      frame = WorkerWire.read(stream, MAX_FRAME);
    } catch (EOFException | WorkerProtocolException expected) {
      return;
    }
    WorkerWire.Reader reader = new WorkerWire.Reader(frame.body());
    try {
      for (int i = 1; i <= ops; i++) {
        switch ((input[i] & 0xff) % 9) {
          case 0 -> reader.getInt();
          case 1 -> reader.getLong();
          case 2 -> reader.getDouble();
          case 3 -> reader.getBytes();
          case 4 -> reader.getString();
          case 5 -> reader.getStrings();
          case 6 -> reader.getDoubles();
          case 7 -> reader.getDataset();
          default -> reader.end();
        }
      }
    } catch (WorkerProtocolException expected) {
      // the documented failure
    }
  }
}
