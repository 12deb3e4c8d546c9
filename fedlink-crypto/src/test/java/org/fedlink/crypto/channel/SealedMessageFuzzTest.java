package org.fedlink.crypto.channel;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Feeds arbitrary bytes to {@link SealedMessage#fromBytes}: it returns a message or throws {@link
 * MalformedMessageException}, and nothing else.
 */
class SealedMessageFuzzTest {
  @FuzzTest
  void fromBytes(byte[] input) {
    try {
      SealedMessage.fromBytes(input);
    } catch (MalformedMessageException expected) {
      // the documented failure
    }
  }
}
