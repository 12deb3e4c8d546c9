package org.fedlink.transport;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.util.Objects;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.KeyFormatException;
import org.fedlink.crypto.OpenSshKeys;
import org.fedlink.crypto.OpenSshPublicKey;
import org.fedlink.crypto.TokenSigner;

/**
 * The keys with which a SuperNode or a researcher signs its calls to the SuperLink: its OpenSSH key
 * pair and the SuperLink's public key.
 *
 * <p>The SuperLink's key is learnt over the connection: before the first signed call, {@link
 * #interceptor()} asks the SuperLink for it ({@link SuperLinkKeyLookup}) on the same CA-verified
 * TLS channel, derives the ECDH key once and keeps both. A pinned copy ({@code
 * --auth-superlink-public-key}) is optional; if given, a SuperLink that answers with another key is
 * refused: every call fails locally with {@code UNAUTHENTICATED}, naming both fingerprints, and the
 * next call asks again. A call the SuperLink refuses ({@code UNAUTHENTICATED}) also makes the next
 * call ask again, so a SuperLink restarted with a new key is followed. Thread-safe.
 */
public final class ClientKeys {
  private final String role;
  private final KeyPair pair;
  private final OpenSshPublicKey publicKey;
  private final Path publicKeyFile;
  private final OpenSshPublicKey pinned;
  private final Path pinnedFile;
  private volatile Learnt learnt;

  /** The SuperLink key in use and the signer derived from it. */
  private record Learnt(OpenSshPublicKey superlinkKey, TokenSigner signer) {}

  private ClientKeys(
      String role,
      KeyPair pair,
      OpenSshPublicKey publicKey,
      Path publicKeyFile,
      OpenSshPublicKey pinned,
      Path pinnedFile) {
    this.role = role;
    this.pair = pair;
    this.publicKey = publicKey;
    this.publicKeyFile = publicKeyFile;
    this.pinned = pinned;
    this.pinnedFile = pinnedFile;
  }

  /**
   * Loads and checks the keys.
   *
   * @param role who signs, for messages: {@code supernode} or {@code researcher} (the flags are
   *     {@code --auth-<role>-private-key} and {@code --auth-<role>-public-key})
   * @param superlinkPublicKey the pinned SuperLink key file, or null to learn the key from the
   *     SuperLink
   * @throws FedlinkException CONFIGURATION naming the flag and file if a file is missing or
   *     malformed, the pair does not match, or the curves differ from the pinned SuperLink key's
   */
  public static ClientKeys load(
      String role, Path privateKey, Path publicKey, Path superlinkPublicKey) {
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(publicKey, "publicKey");
    KeyPair pair;
    OpenSshPublicKey own;
    try {
      pair = OpenSshKeys.loadPair(privateKey, publicKey);
      own = OpenSshPublicKey.read(publicKey);
    } catch (IOException | KeyFormatException e) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "cannot use the "
              + role
              + " key pair --auth-"
              + role
              + "-private-key "
              + privateKey
              + " / --auth-"
              + role
              + "-public-key "
              + publicKey
              + ": "
              + e.getMessage(),
          e);
    }
    OpenSshPublicKey server = null;
    if (superlinkPublicKey != null) {
      try {
        server = OpenSshPublicKey.read(superlinkPublicKey);
      } catch (IOException | KeyFormatException e) {
        throw new FedlinkException(
            ErrorCode.CONFIGURATION,
            "cannot read --auth-superlink-public-key " + superlinkPublicKey + ": " + e.getMessage(),
            e);
      }
    }
    ClientKeys keys = new ClientKeys(role, pair, own, publicKey, server, superlinkPublicKey);
    if (server != null) {
      try {
        // Checks the curves now; the pinned key is used once the SuperLink confirms it.
        new TokenSigner(pair, server);
      } catch (InvalidKeyException e) {
        throw new FedlinkException(ErrorCode.CONFIGURATION, keys.curveMismatch(server, e), e);
      }
    }
    return keys;
  }

  public OpenSshPublicKey publicKey() {
    return publicKey;
  }

  public Path publicKeyFile() {
    return publicKeyFile;
  }

  /** The SuperLink key in use: learnt from the SuperLink, else the pinned one; null if neither. */
  public OpenSshPublicKey superlinkKey() {
    Learnt l = learnt;
    return l != null ? l.superlinkKey() : pinned;
  }

  /**
   * An interceptor that signs every call made through it, learning the SuperLink's key on the
   * channel's first call. A call that cannot be signed (SuperLink unreachable, a key that differs
   * from the pin, a SuperLink without authentication) ends without reaching the SuperLink, with the
   * reason as its status: UNAVAILABLE and the like as the lookup saw them, otherwise {@code
   * UNAUTHENTICATED} whose cause is a {@link FedlinkException} with the full message.
   */
  public ClientInterceptor interceptor() {
    return new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
          MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
        TokenSigner signer;
        try {
          signer = signer(next);
        } catch (StatusRuntimeException e) {
          return new FailedCall<>(e.getStatus(), options);
        } catch (FedlinkException e) {
          return new FailedCall<>(
              Status.UNAUTHENTICATED.withDescription(e.getMessage()).withCause(e), options);
        }
        ClientCall<ReqT, RespT> call =
            new SigningInterceptor((m, request) -> AuthHeaders.of(signer.sign(m, request)))
                .interceptCall(method, options, next);
        return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
          @Override
          public void start(Listener<RespT> listener, Metadata headers) {
            super.start(
                new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                  @Override
                  public void onClose(Status status, Metadata trailers) {
                    if (status.getCode() == Status.Code.UNAUTHENTICATED) {
                      // The SuperLink may have a new key (restarted with another one): ask again
                      // before the next call rather than sign for a stale key forever.
                      forget(signer);
                    }
                    super.onClose(status, trailers);
                  }
                },
                headers);
          }
        };
      }
    };
  }

  /** Forgets the learnt key if it is still the one {@code signer} was made for. */
  private synchronized void forget(TokenSigner signer) {
    if (learnt != null && learnt.signer() == signer) {
      learnt = null;
    }
  }

  /** The signer, asking the SuperLink for its key on {@code channel} if not known yet. */
  private TokenSigner signer(Channel channel) {
    Learnt l = learnt;
    if (l != null) {
      return l.signer();
    }
    synchronized (this) {
      if (learnt != null) {
        return learnt.signer();
      }
      OpenSshPublicKey served;
      try {
        served = SuperLinkKeyLookup.fetch(channel);
      } catch (FedlinkException e) {
        if (pinned != null && e.code() == ErrorCode.FAILED_PRECONDITION) {
          throw new FedlinkException(
              ErrorCode.FAILED_PRECONDITION,
              e.getMessage() + " (pinned key " + pinned.fingerprint() + ")",
              e);
        }
        throw e;
      }
      if (pinned != null && !pinned.equals(served)) {
        throw new FedlinkException(
            ErrorCode.UNAUTHENTICATED,
            "the SuperLink's authentication key "
                + served.fingerprint()
                + " is not the pinned --auth-superlink-public-key "
                + pinnedFile
                + " ("
                + pinned.fingerprint()
                + "): refusing to sign for it. If the SuperLink's key was changed on purpose,"
                + " update the pinned file or drop the flag (TLS already authenticates the"
                + " SuperLink)");
      }
      try {
        TokenSigner signer = new TokenSigner(pair, served);
        learnt = new Learnt(served, signer);
        return signer;
      } catch (InvalidKeyException e) {
        throw new FedlinkException(ErrorCode.UNAUTHENTICATED, curveMismatch(served, e), e);
      }
    }
  }

  private String curveMismatch(OpenSshPublicKey server, InvalidKeyException e) {
    return "the "
        + role
        + " key ("
        + publicKey.keyType()
        + ") and the SuperLink key "
        + server.fingerprint()
        + " ("
        + server.keyType()
        + ") cannot agree a shared key: "
        + e.getMessage()
        + "; generate keys on the same curve (ssh-keygen -t ecdsa -b 384)";
  }
}
