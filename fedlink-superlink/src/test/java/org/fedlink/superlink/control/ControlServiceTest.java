package org.fedlink.superlink.control;

import static org.assertj.core.api.Assertions.assertThat;

import org.fedlink.proto.v1.Task;
import org.fedlink.superlink.auth.AuthenticatedKey;
import org.fedlink.transport.TaskKeys;
import org.junit.jupiter.api.Test;

class ControlServiceTest {
  private static final AuthenticatedKey KEY =
      new AuthenticatedKey(new byte[] {1, 2}, "SHA256:verified");

  @Test
  void stampsTheAuthenticatedResearcherKeyOverWhatTheResearcherClaims() {
    Task claimed =
        Task.newBuilder()
            .setTaskId("t")
            .putConfig(TaskKeys.RESEARCHER_KEY, "SHA256:forged")
            .putConfig(TaskKeys.PLAN_NAME, "p.jar")
            .build();

    Task stamped = ControlService.withResearcherKey(claimed, KEY);

    assertThat(stamped.getConfigMap())
        .containsEntry(TaskKeys.RESEARCHER_KEY, "SHA256:verified")
        .containsEntry(TaskKeys.PLAN_NAME, "p.jar");
  }

  @Test
  void removesAClaimedKeyWhenResearchersAreNotAuthenticated() {
    Task claimed =
        Task.newBuilder()
            .setTaskId("t")
            .putConfig(TaskKeys.RESEARCHER_KEY, "SHA256:forged")
            .build();
    Task plain = Task.newBuilder().setTaskId("u").build();

    assertThat(ControlService.withResearcherKey(claimed, null).getConfigMap())
        .doesNotContainKey(TaskKeys.RESEARCHER_KEY);
    assertThat(ControlService.withResearcherKey(plain, null)).isSameAs(plain);
  }
}
