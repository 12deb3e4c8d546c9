package org.fedlink.cli.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.store.Party;
import org.fedlink.crypto.x509.CertificateValidator;
import org.fedlink.crypto.x509.PartyCertificate;

/**
 * Checks another party's MPC certificate before it is registered: readable PEM, currently valid,
 * subject O equal to the announced component id, RSA of at least 2048 bits. Stateless.
 */
public final class PartyCertificates {
  private PartyCertificates() {}

  /**
   * The registration of {@code id} with the certificate in {@code pem}, reachable at {@code ip} and
   * {@code port}.
   *
   * @throws FedlinkException {@link ErrorCode#NOT_FOUND} if the file cannot be read; {@link
   *     ErrorCode#INVALID_ARGUMENT} if the certificate is malformed, expired, not yet valid, issued
   *     to another id (both ids shown) or too weak, or the port is out of range
   */
  public static Party check(String id, Path pem, String ip, int port) {
    if (port < 1 || port > 65535) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT, "--port " + port + " is out of range; use 1..65535");
    }
    if (ip == null || ip.isBlank()) {
      throw new FedlinkException(ErrorCode.INVALID_ARGUMENT, "--ip must name a host or IP");
    }
    try {
      PartyCertificate certificate = CertificateValidator.load(pem, id);
      return new Party(
          id,
          Files.readString(pem),
          ip.strip(),
          port,
          certificate.notAfter().toEpochMilli(),
          System.currentTimeMillis());
    } catch (NoSuchFileException e) {
      throw new FedlinkException(
          ErrorCode.NOT_FOUND, "certificate file " + pem + " does not exist; check the path", e);
    } catch (IOException e) {
      throw new FedlinkException(
          ErrorCode.NOT_FOUND, "cannot read certificate file " + pem + ": " + e.getMessage(), e);
    } catch (CertificateException e) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "certificate " + pem + " refused for " + id + ": " + e.getMessage(),
          e);
    }
  }
}
