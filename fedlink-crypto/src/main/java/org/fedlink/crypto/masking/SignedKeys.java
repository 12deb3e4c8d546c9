package org.fedlink.crypto.masking;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import org.fedlink.crypto.channel.MpcIdentity;
import org.fedlink.crypto.channel.MpcSignature;
import org.fedlink.crypto.channel.RegisteredParty;

/**
 * A node's public masking keys (LOM: one X25519 key; SecAgg+: the encryption and mask keys), as it
 * advertises them through the aggregator: its node id, its component id, the keys and, when the
 * node has an MPC identity, an RSA-PSS signature with its registered certificate key over the
 * context (scheme, session or round), the node id and the keys, so neither the SuperLink nor the
 * researcher relaying them can substitute keys of its own. Immutable.
 *
 * @param node the node id
 * @param component the component id whose certificate signed ({@code ""} when unsigned)
 * @param keys the public keys, 32 or 64 bytes
 * @param signature the signature, empty when unsigned
 */
public record SignedKeys(long node, String component, byte[] keys, byte[] signature) {
  public SignedKeys {
    if (keys.length != 32 && keys.length != 64) {
      throw new IllegalArgumentException("public keys of " + keys.length + " bytes; 32 or 64");
    }
    if (component.length() > 256 || signature.length > 1024) {
      throw new IllegalArgumentException("component id or signature too long");
    }
  }

  /** Signs {@code keys} as {@code node} with {@code me}; unsigned when {@code me} is null. */
  public static SignedKeys sign(MpcIdentity me, long node, byte[] keys, String context)
      throws GeneralSecurityException {
    if (me == null) {
      return new SignedKeys(node, "", keys, new byte[0]);
    }
    return new SignedKeys(
        node, me.componentId(), keys, MpcSignature.sign(me, context, body(node, keys)));
  }

  public boolean signed() {
    return signature.length > 0;
  }

  /**
   * Checks the signature with the certificate registered for {@link #component()}.
   *
   * @throws GeneralSecurityException if it is unsigned, signed by another component or does not
   *     verify
   */
  public void verify(RegisteredParty party, String context) throws GeneralSecurityException {
    if (!signed()) {
      throw new GeneralSecurityException("the keys of node " + node + " are not signed");
    }
    if (!party.componentId().equals(component)) {
      throw new GeneralSecurityException(
          "the keys of node "
              + node
              + " are signed by '"
              + component
              + "', not '"
              + party.componentId()
              + "'");
    }
    MpcSignature.verify(party.certificate().publicKey(), context, body(node, keys), signature);
  }

  private static byte[] body(long node, byte[] keys) {
    byte[] id = Long.toString(node).getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[id.length + 1 + keys.length];
    System.arraycopy(id, 0, out, 0, id.length);
    out[id.length] = '/';
    System.arraycopy(keys, 0, out, id.length + 1, keys.length);
    return out;
  }
}
