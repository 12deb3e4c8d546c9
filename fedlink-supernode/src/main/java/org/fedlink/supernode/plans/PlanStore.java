package org.fedlink.supernode.plans;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.store.SqliteDatabase;
import org.fedlink.ml.plan.PlanSources;
import org.fedlink.ml.plan.SourceFile;

/**
 * The training plans a node has received and their approval status (table {@code training_plan}). A
 * plan is identified by its hash under one algorithm; the same JAR hashed with another algorithm is
 * another plan. Thread-safe (the database serializes transactions).
 */
public final class PlanStore {
  private static final String SELECT =
      "SELECT plan_id, hash, algorithm, name, class_name, status, researcher_id, researcher_key,"
          + " notes, jar_path, jar_sha256, created_ms, updated_ms FROM training_plan";

  /** Fewest hex digits of a hash that name a plan. */
  public static final int MIN_PREFIX = 6;

  private static final Pattern HEX = Pattern.compile("[0-9a-f]+");

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
   * Records a plan as Pending, without a researcher key or sources.
   *
   * @see #request(String, String, String, String, String, String, Path, String, PlanSources)
   */
  public TrainingPlanRecord request(
      String hash,
      String algorithm,
      String name,
      String className,
      String researcherId,
      Path jar,
      String jarSha256) {
    return request(
        hash, algorithm, name, className, researcherId, null, jar, jarSha256, PlanSources.none());
  }

  /**
   * Records a plan as Pending, with the sources sent along, unless the node already knows it: then
   * nothing changes (a researcher cannot reset a rejection, or swap the sources an admin read, by
   * asking again).
   *
   * @param researcherKey fingerprint of the researcher's authenticated key, or null
   * @param sources the source files sent with the request (what the researcher claims)
   * @return the plan as stored
   */
  public TrainingPlanRecord request(
      String hash,
      String algorithm,
      String name,
      String className,
      String researcherId,
      String researcherKey,
      Path jar,
      String jarSha256,
      PlanSources sources) {
    Objects.requireNonNull(sources, "sources");
    long now = System.currentTimeMillis();
    return db.transaction(
        c -> {
          Optional<TrainingPlanRecord> known =
              one(c, SELECT + " WHERE hash = ? AND algorithm = ?", hash, algorithm);
          if (known.isPresent()) {
            return known.get();
          }
          long id;
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO training_plan (hash, algorithm, name, class_name, status,"
                      + " researcher_id, researcher_key, notes, jar_path, jar_sha256, created_ms,"
                      + " updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)",
                  Statement.RETURN_GENERATED_KEYS)) {
            s.setString(1, hash);
            s.setString(2, algorithm);
            s.setString(3, name);
            s.setString(4, className);
            s.setString(5, PlanStatus.PENDING.display());
            s.setString(6, researcherId);
            s.setString(7, researcherKey);
            s.setString(8, jar.toAbsolutePath().toString());
            s.setString(9, jarSha256);
            s.setLong(10, now);
            s.setLong(11, now);
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
              keys.next();
              id = keys.getLong(1);
            }
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO training_plan_source (plan_id, path, content) VALUES (?, ?, ?)")) {
            for (SourceFile f : sources.files()) {
              s.setLong(1, id);
              s.setString(2, f.path());
              s.setString(3, f.text());
              s.addBatch();
            }
            s.executeBatch();
          }
          return one(c, SELECT + " WHERE hash = ? AND algorithm = ?", hash, algorithm)
              .orElseThrow();
        });
  }

  /** The source files the researcher sent with {@code plan}, by path; empty if none. */
  public List<SourceFile> sources(TrainingPlanRecord plan) {
    return db.transaction(
        c -> {
          List<SourceFile> out = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT path, content FROM training_plan_source WHERE plan_id = ? ORDER BY path")) {
            s.setLong(1, plan.id());
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                out.add(new SourceFile(rs.getString(1), rs.getString(2)));
              }
            }
          }
          return out;
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
   * The plan an admin names by its hash or a prefix of it of at least {@value #MIN_PREFIX} hex
   * digits (any case). A full hash that is also a prefix of a longer one names the full match.
   *
   * @throws FedlinkException {@link ErrorCode#INVALID_ARGUMENT} if {@code ref} is not {@value
   *     #MIN_PREFIX}+ hex digits, or matches several plans (the message lists them); {@link
   *     ErrorCode#NOT_FOUND} if none matches
   */
  public TrainingPlanRecord get(String ref) {
    String r = ref == null ? "" : ref.strip().toLowerCase(Locale.ROOT);
    if (r.length() < MIN_PREFIX || !HEX.matcher(r).matches()) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "training plan reference '"
              + ref
              + "' is not a hash prefix; give at least "
              + MIN_PREFIX
              + " hex digits of the hash 'training-plan list' shows");
    }
    List<TrainingPlanRecord> matches =
        db.transaction(
            c -> {
              List<TrainingPlanRecord> out = new ArrayList<>();
              // substr compares exactly (LIKE would ignore case); 21 rows tell "more than 20".
              try (PreparedStatement s =
                  c.prepareStatement(
                      SELECT + " WHERE substr(hash, 1, ?) = ? ORDER BY plan_id LIMIT 21")) {
                s.setInt(1, r.length());
                s.setString(2, r);
                try (ResultSet rs = s.executeQuery()) {
                  while (rs.next()) {
                    out.add(read(rs));
                  }
                }
              }
              return out;
            });
    List<TrainingPlanRecord> exact = matches.stream().filter(p -> p.hash().equals(r)).toList();
    if (exact.size() == 1) {
      return exact.get(0);
    }
    if (matches.isEmpty()) {
      throw new FedlinkException(
          ErrorCode.NOT_FOUND,
          "no training plan with a hash starting "
              + r
              + " on this node; 'training-plan list'"
              + " shows their hashes");
    }
    if (matches.size() > 1) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "training plan prefix "
              + r
              + " matches "
              + (matches.size() > 20 ? "more than 20" : Integer.toString(matches.size()))
              + " plans: "
              + matches.stream()
                  .limit(20)
                  .map(p -> p.shortHash() + " (" + p.algorithm() + ", " + p.name() + ")")
                  .collect(Collectors.joining(", "))
              + "; give more digits");
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
    return find(plan.hash(), plan.algorithm()).orElseThrow();
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
          for (String table : List.of("training_plan_source", "training_plan")) {
            try (PreparedStatement s =
                c.prepareStatement("DELETE FROM " + table + " WHERE plan_id = ?")) {
              s.setLong(1, plan.id());
              s.executeUpdate();
            }
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
        rs.getString(9),
        Path.of(rs.getString(10)),
        rs.getString(11),
        rs.getLong(12),
        rs.getLong(13));
  }
}
