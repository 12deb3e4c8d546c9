package org.fedlink.supernode.secagg;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.secagg.protocol.SecAggKeys;
import org.fedlink.proto.v1.Task;
import org.fedlink.transport.TaskKeys;
import org.junit.jupiter.api.Test;

class SecureAggregationPolicyTest {
  static final Task PLAIN = Task.newBuilder().setKind(TaskKeys.KIND_TRAIN).build();
  static final Task SECURE =
      Task.newBuilder().setKind(TaskKeys.KIND_TRAIN).putConfig(SecAggKeys.SESSION, "s").build();
  static final Task SETUP = Task.newBuilder().setKind(SecAggKeys.KIND_SETUP).build();
  static final Task EVALUATE = Task.newBuilder().setKind(TaskKeys.KIND_EVALUATE).build();

  static SecureAggregationPolicy policy(boolean enabled, boolean forced) {
    return new SecureAggregationPolicy(
        SecureAggregationSettings.builder().enabled(enabled).forced(forced).build());
  }

  @Test
  void enabledNodeTrainsPlainOrEncrypted() {
    assertThatCode(() -> policy(true, false).check(1, PLAIN)).doesNotThrowAnyException();
    assertThatCode(() -> policy(true, false).check(1, SECURE)).doesNotThrowAnyException();
    assertThatCode(() -> policy(true, false).check(1, SETUP)).doesNotThrowAnyException();
  }

  @Test
  void forcedNodeRefusesPlainTraining() {
    assertThatThrownBy(() -> policy(true, true).check(4, PLAIN))
        .isInstanceOf(FedlinkException.class)
        .hasMessageStartingWith("secure aggregation required by node 4");
    assertThatCode(() -> policy(true, true).check(4, SECURE)).doesNotThrowAnyException();
    assertThatCode(() -> policy(true, true).check(4, EVALUATE)).doesNotThrowAnyException();
  }

  @Test
  void disabledNodeRefusesSecureTrainingAndSetup() {
    assertThatThrownBy(() -> policy(false, false).check(2, SECURE))
        .hasMessageStartingWith("secure aggregation not enabled on node 2");
    assertThatThrownBy(() -> policy(false, false).check(2, SETUP))
        .hasMessageStartingWith("secure aggregation not enabled on node 2");
    assertThatCode(() -> policy(false, false).check(2, PLAIN)).doesNotThrowAnyException();
  }

  @Test
  void forcingWithoutEnablingIsAConfigurationError() {
    assertThatThrownBy(
            () -> SecureAggregationSettings.builder().enabled(false).forced(true).build())
        .hasMessageContaining("force_secure_aggregation = True needs secure_aggregation = True");
  }

  @Test
  void everySchemeFallsUnderThePolicyAndOnlyListedSchemesAreTaken() {
    Task lomTrain =
        Task.newBuilder()
            .setKind(TaskKeys.KIND_TRAIN)
            .putConfig(SecAggKeys.SESSION, "s")
            .putConfig(SecAggKeys.SCHEME, SecAggKeys.SCHEME_LOM)
            .build();
    Task lomKeys =
        Task.newBuilder()
            .setKind(SecAggKeys.KIND_LOM_KEYS)
            .putConfig(SecAggKeys.SCHEME, SecAggKeys.SCHEME_LOM)
            .build();
    Task unmask =
        Task.newBuilder()
            .setKind(SecAggKeys.KIND_SAP_UNMASK)
            .putConfig(SecAggKeys.SCHEME, SecAggKeys.SCHEME_SECAGG_PLUS)
            .build();
    assertThatThrownBy(() -> policy(false, false).check(3, lomKeys))
        .hasMessageStartingWith("secure aggregation not enabled on node 3");
    assertThatThrownBy(() -> policy(false, false).check(3, unmask))
        .hasMessageStartingWith("secure aggregation not enabled on node 3");
    SecureAggregationPolicy jlOnly =
        new SecureAggregationPolicy(
            SecureAggregationSettings.builder().schemes(java.util.Set.of("joye-libert")).build());
    assertThatThrownBy(() -> jlOnly.check(5, lomTrain))
        .hasMessage(
            "secure aggregation scheme 'lom' is not accepted by node 5 ([security]"
                + " secure_aggregation_schemes = joye-libert); choose one of those with --secagg");
    assertThatThrownBy(() -> jlOnly.check(5, unmask)).hasMessageContaining("'secagg+'");
    assertThatCode(() -> jlOnly.check(5, SECURE)).doesNotThrowAnyException();
    assertThatCode(() -> jlOnly.check(5, PLAIN)).doesNotThrowAnyException();
    assertThatThrownBy(
            () -> SecureAggregationSettings.builder().schemes(java.util.Set.of("paillier")).build())
        .hasMessageContaining("names 'paillier'; allowed: joye-libert, lom, secagg+");
  }
}
