package org.fedlink.supernode.plans;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.store.SqliteDatabase;

/**
 * The training plans a node has received and their approval status (table {@code training_plan}). A
 * plan is identified by its hash under one algorithm; the same JAR hashed with another algorithm is
 * another plan. Thread-safe (the database serializes transactions).
 */
public final class PlanStore {
  private static final String SELECT =
      "SELECT plan_id, hash, algorithm, name, class_name, status, researcher_id, notes, jar_path,"
          + " jar_sha256, created_ms, updated_ms FROM training_plan";

  private final SqliteDatabase db;

  public PlanStore(SqliteDatabase db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  /** The first 12 hex digits of {@code hash}. */
  public static String shortHash(String hash) {
    return hash.length() <= 12 ? hash : hash.substring(0, 12);
  }

  /** The plan with this hash under this algorithm, if the node knows it. */
  public Optional<TrainingPlanRecord> find(String hash, String algorithm) {
    return db.transaction(
        c -> one(c, SELECT + " WHERE hash = ? AND algorithm = ?", hash, algorithm));
  }

  /**
   * Records a plan as Pending unless the node already knows it (then its status is kept: a
   * researcher cannot reset a rejection by asking again).
   *
   * @return the plan as stored
   */
  public TrainingPlanRecord request(
      String hash,
      String algorithm,
      String name,
      String className,
      String researcherId,
      Path jar,
      String jarSha256) {
    long now = System.currentTimeMillis();
    return db.transaction(
        c -> {
          Optional<TrainingPlanRecord> known =
              one(c, SELECT + " WHERE hash = ? AND algorithm = ?", hash, algorithm);
          if (known.isPresent()) {
            return known.get();
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO training_plan (hash, algorithm, name, class_name, status,"
                      + " researcher_id, notes, jar_path, jar_sha256, created_ms, updated_ms)"
                      + " VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)",
                  Statement.RETURN_GENERATED_KEYS)) {
            s.setString(1, hash);
            s.setString(2, algorithm);
            s.setString(3, name);
            s.setString(4, className);
            s.setString(5, PlanStatus.PENDING.display());
            s.setString(6, researcherId);
            s.setString(7, jar.toAbsolutePath().toString());
            s.setString(8, jarSha256);
            s.setLong(9, now);
            s.setLong(10, now);
            s.executeUpdate();
          }
          return one(c, SELECT + " WHERE hash = ? AND algorithm = ?", hash, algorithm)
              .orElseThrow();
        });
  }

  /** Every plan, oldest first. */
  public List<TrainingPlanRecord> list() {
    return db.transaction(
        c -> {
          List<TrainingPlanRecord> out = new ArrayList<>();
          try (PreparedStatement s = c.prepareStatement(SELECT + " ORDER BY plan_id");
              ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              out.add(read(rs));
            }
          }
          return out;
        });
  }

  /**
   * The plan an admin names: its number ({@code 3}) or a prefix of its hash of at least 6 digits.
   *
   * @throws FedlinkException {@link ErrorCode#NOT_FOUND} if none matches; {@link
   *     ErrorCode#INVALID_ARGUMENT} if a hash prefix matches several plans
   */
  public TrainingPlanRecord get(String ref) {
    String r = ref == null ? "" : ref.strip().toLowerCase(java.util.Locale.ROOT);
    List<TrainingPlanRecord> matches =
        list().stream()
            .filter(
                p -> Long.toString(p.id()).equals(r) || (r.length() >= 6 && p.hash().startsWith(r)))
            .toList();
    if (matches.isEmpty()) {
      throw new FedlinkException(
          ErrorCode.NOT_FOUND,
          "no training plan " + ref + " on this node; 'training-plan list' shows ids and hashes");
    }
    if (matches.size() > 1) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "training plan reference " + ref + " matches " + matches.size() + " plans; use its id");
    }
    return matches.get(0);
  }

  /**
   * Sets the status (and notes, if not null) of the plan {@code ref} names.
   *
   * @throws FedlinkException as {@link #get}
   */
  public TrainingPlanRecord setStatus(String ref, PlanStatus status, String notes) {
    TrainingPlanRecord plan = get(ref);
    long now = System.currentTimeMillis();
    db.transaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE training_plan SET status = ?, notes = COALESCE(?, notes), updated_ms = ?"
                      + " WHERE plan_id = ?")) {
            s.setString(1, status.display());
            s.setString(2, notes);
            s.setLong(3, now);
            s.setLong(4, plan.id());
            s.executeUpdate();
          }
          return null;
        });
    return get(Long.toString(plan.id()));
  }

  /**
   * Forgets the plan {@code ref} names (its JAR file stays in the cache until the node deletes it).
   *
   * @throws FedlinkException as {@link #get}
   */
  public TrainingPlanRecord delete(String ref) {
    TrainingPlanRecord plan = get(ref);
    db.transaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("DELETE FROM training_plan WHERE plan_id = ?")) {
            s.setLong(1, plan.id());
            s.executeUpdate();
          }
          return null;
        });
    return plan;
  }

  private static Optional<TrainingPlanRecord> one(Connection c, String sql, String... args)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setString(i + 1, args[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  private static TrainingPlanRecord read(ResultSet rs) throws SQLException {
    return new TrainingPlanRecord(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        PlanStatus.parse(rs.getString(6)),
        rs.getString(7),
        rs.getString(8),
        Path.of(rs.getString(9)),
        rs.getString(10),
        rs.getLong(11),
        rs.getLong(12));
  }
}
