package org.fedlink.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.fedlink.crypto.AuthMetadata;
import org.fedlink.crypto.EcdhKeyAgreement;
import org.fedlink.crypto.Hkdf;
import org.fedlink.crypto.KeyedNonceCache;
import org.fedlink.crypto.KnownKeys;
import org.fedlink.crypto.OpenSshPublicKey;
import org.fedlink.crypto.TokenSigner;
import org.fedlink.crypto.TokenVerifier;
import org.fedlink.proto.v1.HeartbeatRequest;
import org.junit.jupiter.api.Test;

/**
 * The worked example of docs/authenticate-supernodes.md ("Wire format"), recomputed with the
 * production code. Every literal here is copied from that page; if this test fails, the page or the
 * wire format changed, and the other must follow.
 */
class WireFormatExampleTest {
  private static final HexFormat HEX = HexFormat.of();

  // Inputs, as the page gives them.
  private static final String NODE_SCALAR = "01".repeat(48);
  private static final String SUPERLINK_SCALAR = "02".repeat(48);
  private static final String METHOD = "fedlink.v1.Fleet/Heartbeat";
  private static final long TIMESTAMP = 1_800_000_000_000L;
  private static final String NONCE = "000102030405060708090a0b0c0d0e0f";

  // Outputs, as the page gives them.
  private static final String NODE_KEY_LINE =
      "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBEPjryoNuQhnUJdod2UPQm0hV6ReEN5kb/hXGYsibfDUsiQ0COA7pxHZw0xRyzREE90S486iDVES8GsIMdLqE5ujQGH4MQ6XRP0Y2RXvNPbyxnDjTGPuuAvMYT7LkfLBlg==";
  private static final String SUPERLINK_KEY_LINE =
      "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBDFhQMJoyIQc3dHcu1GhHVFtKFzdppefHbkjC5qUNvB+o7rLj0IA44JjQzhITRnN9JShpFffQrPn4iolUwBJUwW11vAgjyqtoXQa8am6qnPDnblx7wbRgNlSThoqTTPfoA==";
  private static final String REQUEST = "0854";
  private static final String ECDH_SECRET =
      "49ca5424673f106fc1968da5deb509bb51af15f9a4ffda8f0a41dd2528a086e7a9f0f24b9b2ac7f90577c5363ce9a445";
  private static final String DERIVED_KEY =
      "89b4d1d4d4b189ea9e1a101ce55f4e9fb7b4e7cef3d54198e379170c11e99008";
  private static final String MAC_INPUT =
      "000000186665646c696e6b2f763120726571756573742d746f6b656e0000001a6665646c696e6b2e76312e466c6565742f486561727462656174000001a3185c500000000010000102030405060708090a0b0c0d0e0f000000020854";
  private static final String TOKEN =
      "11873dfbdd4609f5b498969355404697536cd0dd6bbd608b200ec6f66fa0434e";
  private static final String TOKEN_HEADER = "EYc9+91GCfW0mJaTVUBGl1Ns0N1rvWCLIA7G9m+gQ04=";
  private static final String NONCE_HEADER = "AAECAwQFBgcICQoLDA0ODw==";

  @Test
  void recomputesTheDocumentedExample() throws Exception {
    KeyPair node = pair(NODE_SCALAR);
    KeyPair superlink = pair(SUPERLINK_SCALAR);
    OpenSshPublicKey nodePublic = OpenSshPublicKey.of((ECPublicKey) node.getPublic(), null);
    OpenSshPublicKey linkPublic = OpenSshPublicKey.of((ECPublicKey) superlink.getPublic(), null);
    byte[] request = SignedBytes.of(HeartbeatRequest.newBuilder().setNodeId(42).build());
    byte[] secret = EcdhKeyAgreement.sharedSecret(node.getPrivate(), superlink.getPublic());
    byte[] key = EcdhKeyAgreement.deriveKey(node.getPrivate(), superlink.getPublic());
    byte[] macInput = macInput(METHOD, TIMESTAMP, HEX.parseHex(NONCE), request);
    AuthMetadata signed =
        new TokenSigner(node, linkPublic, () -> TIMESTAMP, fixed(HEX.parseHex(NONCE)))
            .sign(METHOD, request);
    assertThat(nodePublic.toLine()).isEqualTo(NODE_KEY_LINE);
    assertThat(linkPublic.toLine()).isEqualTo(SUPERLINK_KEY_LINE);
    assertThat(HEX.formatHex(request)).isEqualTo(REQUEST);
    assertThat(HEX.formatHex(secret)).isEqualTo(ECDH_SECRET);
    assertThat(HEX.formatHex(key)).isEqualTo(DERIVED_KEY);
    assertThat(HEX.formatHex(macInput)).isEqualTo(MAC_INPUT);
    // The page's HKDF and HMAC recipe, step by step, gives the same key and token.
    byte[] hkdf =
        Hkdf.derive(
            "fedlink/v1 node-auth salt".getBytes(StandardCharsets.US_ASCII),
            HEX.parseHex(ECDH_SECRET),
            "fedlink/v1 node-auth".getBytes(StandardCharsets.US_ASCII),
            32);
    assertThat(HEX.formatHex(hkdf)).isEqualTo(DERIVED_KEY);
    Mac hmac = Mac.getInstance("HmacSHA256");
    hmac.init(new SecretKeySpec(hkdf, "HmacSHA256"));
    assertThat(HEX.formatHex(hmac.doFinal(HEX.parseHex(MAC_INPUT)))).isEqualTo(TOKEN);
    // The production signer puts exactly these values in the four headers.
    assertThat(signed.publicKey()).isEqualTo(NODE_KEY_LINE);
    assertThat(signed.timestamp()).isEqualTo("1800000000000");
    assertThat(signed.nonce()).isEqualTo(NONCE_HEADER);
    assertThat(signed.token()).isEqualTo(TOKEN_HEADER);
    assertThat(HEX.formatHex(Base64.getDecoder().decode(signed.token()))).isEqualTo(TOKEN);
    // The SuperLink derives the same key from its side and accepts the request.
    assertThat(HEX.formatHex(EcdhKeyAgreement.deriveKey(superlink.getPrivate(), node.getPublic())))
        .isEqualTo(DERIVED_KEY);
    KnownKeys listed = KnownKeys.parse(NODE_KEY_LINE, "example");
    TokenVerifier verifier =
        new TokenVerifier(
            superlink,
            listed,
            new KeyedNonceCache(100, Duration.ofSeconds(60), listed),
            () -> TIMESTAMP);
    assertThat(verifier.verify(METHOD, HEX.parseHex(REQUEST), signed).publicKey())
        .isEqualTo(nodePublic);
    // CreateNode.identity is the raw key blob: the base64 field of the key line, decoded.
    assertThat(nodePublic.blob())
        .isEqualTo(Base64.getDecoder().decode(NODE_KEY_LINE.split(" ")[1]));
  }

  /** The MAC input exactly as the page lays it out, built independently of the production code. */
  private static byte[] macInput(String method, long timestamp, byte[] nonce, byte[] request) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    field(out, "fedlink/v1 request-token".getBytes(StandardCharsets.US_ASCII));
    field(out, method.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(ByteBuffer.allocate(8).putLong(timestamp).array());
    field(out, nonce);
    field(out, request);
    return out.toByteArray();
  }

  private static void field(ByteArrayOutputStream out, byte[] value) {
    out.writeBytes(ByteBuffer.allocate(4).putInt(value.length).array());
    out.writeBytes(value);
  }

  private static KeyPair pair(String scalarHex) throws Exception {
    BigInteger d = new BigInteger(1, HEX.parseHex(scalarHex));
    ECNamedCurveParameterSpec curve = ECNamedCurveTable.getParameterSpec("secp384r1");
    org.bouncycastle.math.ec.ECPoint q = curve.getG().multiply(d).normalize();
    KeyFactory kf = KeyFactory.getInstance("EC");
    AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
    params.init(new ECGenParameterSpec("secp384r1"));
    ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
    ECPoint w = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
    return new KeyPair(
        kf.generatePublic(new ECPublicKeySpec(w, spec)),
        kf.generatePrivate(new ECPrivateKeySpec(d, spec)));
  }

  /** A "random" source that returns the documented nonce. */
  private static SecureRandom fixed(byte[] nonce) {
    return new SecureRandom() {
      private static final long serialVersionUID = 1L;

      @Override
      public void nextBytes(byte[] bytes) {
        System.arraycopy(nonce, 0, bytes, 0, bytes.length);
      }
    };
  }
}
