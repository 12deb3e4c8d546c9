package org.fedlink.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Feeds arbitrary bytes to {@link ParametersCodec#decode}: it returns parameters or throws {@link
 * FedlinkException} with {@link ErrorCode#INVALID_ARGUMENT}, and nothing else. See {@code
 * docs/fuzzing.md} for how to run it as a fuzzer; plain {@code mvn verify} replays the inputs under
 * {@code ParametersCodecFuzzTestInputs}.
 */
class ParametersCodecFuzzTest {
  @FuzzTest
  void decode(byte[] input) {
    try {
      ParametersCodec.decode(input);
    } catch (FedlinkException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }
  }
}
