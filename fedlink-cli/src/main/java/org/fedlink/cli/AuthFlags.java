package org.fedlink.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/** Checks that the flags of one authentication setting are given together. */
final class AuthFlags {
  private AuthFlags() {}

  /**
   * Passes if all or none of {@code values} are set.
   *
   * @throws FedlinkException CONFIGURATION naming the flags given and those missing
   */
  static void allOrNone(String what, String[] flags, Path... values) {
    List<String> given = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < flags.length; i++) {
      (values[i] == null ? missing : given).add(flags[i]);
    }
    if (!given.isEmpty() && !missing.isEmpty()) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          what
              + " needs "
              + String.join(", ", flags)
              + " together: "
              + String.join(", ", given)
              + " given but "
              + String.join(", ", missing)
              + " missing");
    }
  }

  /**
   * Passes unless {@code option} is set without {@code required}.
   *
   * @throws FedlinkException CONFIGURATION naming both flags
   */
  static void requires(String option, Path value, String requiredFlag, Path required) {
    if (value != null && required == null) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          option + " is only used with authentication: pass " + requiredFlag + " too, or drop it");
    }
  }
}
