package org.fedlink.superlink.dispatch;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.fedlink.proto.v1.BlobChunk;
import org.fedlink.superlink.Calls;
import org.fedlink.superlink.state.BlobReader;

/**
 * Sends a blob on a {@code DownloadBlob} stream one chunk at a time, each only when the transport
 * is ready for it: a reader that stalls holds at most one chunk in gRPC's buffer and no thread
 * here. Reading runs in gRPC's on-ready callbacks, on the server's executor. Thread-safe.
 */
public final class BlobDownload {
  private final BlobReader reader;
  private final ServerCallStreamObserver<BlobChunk> out;
  private final FlowGauge gauge;
  private boolean finished;
  private boolean paused;

  private BlobDownload(
      BlobReader reader, ServerCallStreamObserver<BlobChunk> out, FlowGauge gauge) {
    this.reader = reader;
    this.out = out;
    this.gauge = gauge;
  }

  /**
   * Starts sending; call it from the service method. The reader is closed when the blob is sent, on
   * failure and when the peer cancels.
   */
  public static void start(BlobReader reader, StreamObserver<BlobChunk> observer, FlowGauge gauge) {
    ServerCallStreamObserver<BlobChunk> out = (ServerCallStreamObserver<BlobChunk>) observer;
    BlobDownload d = new BlobDownload(reader, out, gauge);
    out.setOnCancelHandler(d::cancelled);
    out.setOnReadyHandler(d::pump);
    d.pump();
  }

  private synchronized void pump() {
    try {
      while (!finished && out.isReady() && !out.isCancelled()) {
        out.onNext(reader.next());
        gauge.downloadChunkSent();
        if (reader.done()) {
          end();
          out.onCompleted();
        }
      }
    } catch (RuntimeException e) {
      end();
      Calls.fail("DownloadBlob", out, e);
    }
    pause(!finished);
  }

  private synchronized void cancelled() {
    end();
  }

  private void end() {
    finished = true;
    reader.close();
    pause(false);
  }

  /** Counts this download as waiting for its reader, or no longer. */
  private void pause(boolean now) {
    if (paused != now) {
      paused = now;
      gauge.downloadPaused(now);
    }
  }
}
