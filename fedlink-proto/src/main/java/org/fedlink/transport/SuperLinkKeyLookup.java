package org.fedlink.transport;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.TimeUnit;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.KeyFormatException;
import org.fedlink.crypto.OpenSshPublicKey;
import org.fedlink.proto.v1.AuthGrpc;
import org.fedlink.proto.v1.GetSuperLinkKeyRequest;

/**
 * Asks the SuperLink for its authentication public key ({@code fedlink.v1.Auth/GetSuperLinkKey}).
 * The call carries no token; it is only as trustworthy as the channel, so callers use it over TLS
 * verified against {@code --root-certificates}. Stateless and thread-safe.
 */
public final class SuperLinkKeyLookup {
  /** How long one lookup may take. */
  static final long DEADLINE_SECONDS = 20;

  private SuperLinkKeyLookup() {}

  /**
   * Fetches the key.
   *
   * @param channel a channel to the SuperLink that does not sign its calls
   * @return the SuperLink's key
   * @throws StatusRuntimeException if the SuperLink cannot be reached (e.g. UNAVAILABLE)
   * @throws FedlinkException FAILED_PRECONDITION if the SuperLink runs without node authentication
   *     (it serves no key), INVALID_ARGUMENT if its answer is not a supported OpenSSH key
   */
  public static OpenSshPublicKey fetch(Channel channel) {
    String line;
    try {
      line =
          AuthGrpc.newBlockingStub(channel)
              .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
              .getSuperLinkKey(GetSuperLinkKeyRequest.getDefaultInstance())
              .getPublicKey();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        throw new FedlinkException(
            ErrorCode.FAILED_PRECONDITION,
            "the SuperLink serves no authentication key: it runs without node authentication"
                + " (no --auth-list-public-keys); remove the --auth-* flags here or turn"
                + " authentication on there",
            e);
      }
      throw e;
    }
    try {
      return OpenSshPublicKey.parse(line);
    } catch (KeyFormatException e) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "the SuperLink's authentication key is not a supported OpenSSH ECDSA key: "
              + e.getMessage(),
          e);
    }
  }
}
