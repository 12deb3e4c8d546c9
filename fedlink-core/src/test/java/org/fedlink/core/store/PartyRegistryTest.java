package org.fedlink.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartyRegistryTest {
  @TempDir Path dir;

  private SqliteDatabase open() {
    return SqliteDatabase.open(dir.resolve("p.sqlite"), "classpath:db/partytest");
  }

  private static Party party(String id, String ip) {
    return new Party(id, "PEM " + id, ip, 14000, 2_000_000_000_000L, 1L);
  }

  @Test
  void registersListsFindsAndDeletesParties() {
    try (SqliteDatabase db = open()) {
      PartyRegistry r = new PartyRegistry(db);
      assertThat(r.register(party("NODE_b", "h1"), false)).isFalse();
      r.register(party("NODE_a", "h2"), false);

      assertThat(r.list()).extracting(Party::id).containsExactly("NODE_a", "NODE_b");
      assertThat(r.find("NODE_b")).contains(party("NODE_b", "h1"));
      r.delete("NODE_b");
      assertThat(r.find("NODE_b")).isEmpty();
    }
  }

  @Test
  void refusesDuplicatesUnlessUpsertAndSurvivesReopening() {
    try (SqliteDatabase db = open()) {
      PartyRegistry r = new PartyRegistry(db);
      r.register(party("NODE_a", "h1"), false);

      assertThatThrownBy(() -> r.register(party("NODE_a", "h2"), false))
          .isInstanceOfSatisfying(
              FedlinkException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS))
          .hasMessageContaining("--upsert");
      assertThat(r.register(party("NODE_a", "h2"), true)).isTrue();
    }
    try (SqliteDatabase db = open()) {
      assertThat(new PartyRegistry(db).find("NODE_a")).map(Party::ip).contains("h2");
    }
  }

  @Test
  void deletingAnUnknownPartyIsNotFound() {
    try (SqliteDatabase db = open()) {
      assertThatThrownBy(() -> new PartyRegistry(db).delete("NODE_x"))
          .isInstanceOfSatisfying(
              FedlinkException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
          .hasMessageContaining("NODE_x");
    }
  }

  @Test
  void rejectsAPortOutOfRange() {
    assertThatThrownBy(() -> new Party("NODE_a", "pem", "h", 0, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1..65535");
  }
}
