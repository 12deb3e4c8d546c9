package org.fedlink.crypto;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Feeds arbitrary input to {@link OpenSshPrivateKeyReader#parse}: it returns a key pair or throws
 * {@link KeyFormatException}, and nothing else.
 *
 * <p>An input starting with {@code -} is taken as the PEM text itself; any other input is the
 * binary {@code openssh-key-v1} content, wrapped in PEM here so that the fuzzer mutates the key
 * structure rather than its base64. No passphrase is given: the bcrypt KDF takes tens of
 * milliseconds even at the lowest cost, too slow to fuzz, so an encrypted key stops at "the key is
 * passphrase-protected" once the fields before its private section are read.
 */
class OpenSshPrivateKeyReaderFuzzTest {
  @FuzzTest
  void parse(byte[] input) {
    String pem;
    if (input.length > 0 && input[0] == '-') {
      pem = new String(input, StandardCharsets.UTF_8);
    } else {
      pem =
          "-----BEGIN OPENSSH PRIVATE KEY-----\n"
              + Base64.getMimeEncoder(70, new byte[] {'\n'}).encodeToString(input)
              + "\n-----END OPENSSH PRIVATE KEY-----\n";
    }
    try {
      OpenSshPrivateKeyReader.parse(pem, null, "fuzz");
    } catch (KeyFormatException expected) {
      // the documented failure
    }
  }
}
