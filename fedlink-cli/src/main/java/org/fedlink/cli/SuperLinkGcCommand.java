package org.fedlink.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.fedlink.cli.config.ConfigOption;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.config.Component;
import org.fedlink.core.config.ConfigKeys;
import org.fedlink.core.config.FedlinkConfig;
import org.fedlink.superlink.GarbageCollection;
import org.fedlink.superlink.StateFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fedlink superlink gc}: the retention sweep, now, on a stopped SuperLink's state. */
@Command(
    name = "gc",
    mixinStandardHelpOptions = true,
    description = {
      "Remove stopped runs older than the retention period now: their tasks, results, relayed",
      "envelopes and blobs, then compact the database. Open runs are never touched.",
      "Run it while the SuperLink is stopped; a running SuperLink does the same every hour."
    })
final class SuperLinkGcCommand implements Callable<Integer> {
  @Option(
      names = "--home",
      paramLabel = "DIR",
      defaultValue = "fedlink-home/superlink",
      description = "The SuperLink's --home, without --config (default: ${DEFAULT-VALUE}).")
  Path home;

  @Option(
      names = "--older-than-days",
      paramLabel = "N",
      description = {
        "Remove runs stopped more than N days ago; 0 removes every stopped run.",
        "Default: [superlink] retention_days of --config, else 7."
      })
  Integer olderThanDays;

  @picocli.CommandLine.Mixin ConfigOption config = new ConfigOption();

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Optional<FedlinkConfig> fromFile = config.load(Component.SUPERLINK);
    if (olderThanDays != null && olderThanDays < 0) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "--older-than-days " + olderThanDays + " is negative: use 0 (every stopped run) or more");
    }
    int days =
        olderThanDays != null
            ? olderThanDays
            : fromFile
                .map(c -> c.get(ConfigKeys.RETENTION_DAYS))
                .orElse(ConfigKeys.RETENTION_DAYS.defaultValue().orElse(7));
    StateFiles files = StateFiles.of(home, fromFile.map(c -> c.path(ConfigKeys.DB)).orElse(null));
    if (!java.nio.file.Files.isRegularFile(files.database())) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "no SuperLink database at "
              + files.database()
              + ": pass the --config or --home the SuperLink runs with");
    }
    long blobBytesBefore = files.blobBytes();
    GarbageCollection.Result r =
        GarbageCollection.run(files, Duration.ofDays(days), Clock.systemUTC());
    var out = spec.commandLine().getOut();
    out.printf(
        "removed %d run(s) stopped more than %d day(s) ago: %d row(s), %d blob(s), %d bytes%n",
        r.removed().runs(), days, r.removed().rows(), r.removed().blobs(), r.removed().bytes());
    out.printf("blobs %s: %d -> %d bytes%n", files.blobs(), blobBytesBefore, files.blobBytes());
    out.printf(
        "database %s: %d -> %d bytes%n",
        files.database(), r.databaseBytesBefore(), r.databaseBytesAfter());
    out.flush();
    return 0;
  }
}
