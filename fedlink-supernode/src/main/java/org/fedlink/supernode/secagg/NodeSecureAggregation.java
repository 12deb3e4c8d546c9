package org.fedlink.supernode.secagg;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;
import org.fedlink.crypto.channel.MpcChannel;
import org.fedlink.crypto.channel.MpcIdentity;
import org.fedlink.crypto.channel.RegisteredParty;
import org.fedlink.crypto.secagg.Guard;
import org.fedlink.crypto.secagg.protocol.CiphertextBlob;
import org.fedlink.crypto.secagg.protocol.GuardDerivation;
import org.fedlink.crypto.secagg.protocol.SecAggKeys;
import org.fedlink.ml.LocalUpdate;
import org.fedlink.proto.v1.Envelope;
import org.fedlink.proto.v1.Task;
import org.fedlink.proto.v1.TaskResult;
import org.fedlink.supernode.task.TaskPolicy;
import org.fedlink.supernode.task.TaskRunner;

/**
 * A node's Joye-Libert secure aggregation: its policy, the identify and setup tasks, the key shares
 * sent to it (relayed, or delivered to its MPC endpoint with {@code [mpc] transport = direct}), and
 * the encryption of its training updates. The node encrypts the update's delta (trained minus
 * global weights), clipped, quantized and weighted by its example count, masked for the task's
 * round with masks precomputed in the background. Thread-safe; {@link #close()} stops the
 * background work and the MPC endpoint.
 */
public final class NodeSecureAggregation implements AutoCloseable {
  private static final int MAX_SESSIONS = 4;

  private final SecureAggregationSettings settings;
  private final ShareMailbox mailbox = new ShareMailbox();
  private final NodeKeySetup setup;
  private final ExecutorService background;
  private final Map<String, NodeSession> sessions = new LinkedHashMap<>();
  private final NodeMasking masking;
  private MpcEndpoint endpoint;

  /**
   * @param relay sends envelopes through the SuperLink (the node's Fleet Relay call); not used with
   *     {@code [mpc] transport = direct}
   */
  public NodeSecureAggregation(SecureAggregationSettings settings, Consumer<List<Envelope>> relay) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.background =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "secagg-masks");
              t.setDaemon(true);
              return t;
            });
    this.setup = new NodeKeySetup(settings, mailbox, relay, directSender(settings), background);
    this.masking = new NodeMasking(settings);
  }

  private static DirectSender directSender(SecureAggregationSettings settings) {
    if (!settings.transport().equals("direct")
        || settings.direct() == null
        || settings.identity() == null) {
      return null;
    }
    return new DirectSender(settings.identity(), settings.direct(), settings.setupTimeout());
  }

  /**
   * Starts the MPC endpoint if secure aggregation is enabled with {@code [mpc] transport = direct};
   * does nothing otherwise or if already started.
   *
   * @throws FedlinkException (CONFIGURATION) if the MPC identity, certificate or address is missing
   *     or unusable
   */
  public synchronized void start() {
    if (endpoint != null || !settings.enabled() || !settings.transport().equals("direct")) {
      return;
    }
    if (settings.direct() == null || settings.identity() == null) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "[mpc] transport = direct needs this node's MPC certificate and key ([mpc] public_key,"
              + " private_key) and the ip and port to listen on; configure them or use transport ="
              + " relay");
    }
    endpoint = MpcEndpoint.start(settings.identity(), settings.direct(), settings, this::offer);
  }

  /** The policy to check before every task (see {@link SecureAggregationPolicy}). */
  public TaskPolicy policy() {
    return new SecureAggregationPolicy(settings);
  }

  /**
   * Takes a relayed or directly delivered envelope if it belongs to secure aggregation; returns
   * false otherwise.
   */
  public boolean offer(Envelope envelope) {
    if (!envelope.getTopic().equals(SecAggKeys.TOPIC_SHARE)) {
      return false;
    }
    mailbox.offer(envelope);
    return true;
  }

  /**
   * True for the setup and stage task kinds of every scheme (Joye-Libert identify and setup, LOM
   * keys, SecAgg+ share, mask and unmask), which {@link #execute} runs.
   */
  public boolean handles(Task task) {
    return SecAggKeys.isSecureKind(task.getKind());
  }

  /** Runs a setup or stage task; its answer becomes the result blob. */
  public void execute(long nodeId, Task task, TaskRunner.Blobs blobs, TaskResult.Builder result) {
    switch (task.getKind()) {
      case SecAggKeys.KIND_IDENTIFY -> {
        result.setBlobId(blobs.upload(identify(nodeId, task)));
        return;
      }
      case SecAggKeys.KIND_LOM_KEYS -> {
        result.setBlobId(blobs.upload(masking.lomKeys(nodeId, task)));
        return;
      }
      case SecAggKeys.KIND_SAP_SHARE, SecAggKeys.KIND_SAP_MASK, SecAggKeys.KIND_SAP_UNMASK -> {
        byte[] input =
            task.getModelBlobId().isEmpty() ? null : blobs.download(task.getModelBlobId());
        result.setBlobId(blobs.upload(masking.secAggPlusStage(nodeId, task, input)));
        return;
      }
      default -> {
        // Joye-Libert setup below
      }
    }
    NodeKeySetup.Outcome o = setup.run(nodeId, task);
    synchronized (sessions) {
      sessions.put(o.session().params().session(), o.session());
      while (sessions.size() > MAX_SESSIONS) {
        String eldest = sessions.keySet().iterator().next();
        sessions.remove(eldest).close();
      }
    }
    result.setBlobId(blobs.upload(o.sealedSum()));
  }

  /**
   * Encrypts a training update for the task's session and round.
   *
   * @throws FedlinkException if the session is unknown, the round was already encrypted, the layout
   *     differs from the setup's or the weight exceeds the bit budget
   */
  public byte[] encrypt(long nodeId, Task task, Parameters global, LocalUpdate update) {
    String scheme = SecAggKeys.scheme(task.getConfigMap());
    if (scheme.equals(SecAggKeys.SCHEME_LOM)) {
      return masking.lomProtect(
          nodeId, task, delta(global, update.parameters()), update.numExamples());
    }
    if (scheme.equals(SecAggKeys.SCHEME_SECAGG_PLUS)) {
      return masking.secAggPlusAdvertise(
          nodeId, task, delta(global, update.parameters()), update.numExamples());
    }
    String id = task.getConfigMap().get(SecAggKeys.SESSION);
    NodeSession s;
    synchronized (sessions) {
      s = sessions.get(id);
    }
    if (s == null) {
      throw new FedlinkException(
          ErrorCode.FAILED_PRECONDITION,
          "no secure-aggregation session "
              + id
              + " on node "
              + nodeId
              + " (was the node restarted?); the researcher must redo the setup");
    }
    float[] delta = delta(global, update.parameters());
    if (delta.length != s.params().length()) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "update has " + delta.length + " values; the setup announced " + s.params().length());
    }
    try {
      Guard guard = GuardDerivation.guard(s.guardSeed(), id, task.getRound(), s.budget());
      BigInteger[] plaintexts = s.encoder().encode(delta, update.numExamples(), guard);
      BigInteger[] masks = s.claim(task.getRound());
      BigInteger[] ciphertexts = s.scheme().encrypt(plaintexts, masks);
      if (!"false".equals(task.getConfigMap().get(SecAggKeys.PRECOMPUTE_NEXT))) {
        s.precompute(task.getRound() + 1);
      }
      int width = CiphertextBlob.widthFor(s.scheme().biprime().bits());
      return new CiphertextBlob(id, task.getRound(), width, ciphertexts).toBytes();
    } catch (InvalidAlgorithmParameterException e) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "cannot encode the update under the bit budget: "
              + e.getMessage()
              + " (the researcher sets maxWeight)");
    } catch (GeneralSecurityException e) {
      throw new FedlinkException(ErrorCode.INTERNAL, "guard derivation failed: " + e.getMessage());
    }
  }

  private byte[] identify(long nodeId, Task task) {
    String session = task.getConfigMap().getOrDefault(SecAggKeys.SESSION, "");
    MpcIdentity me = requireIdentity(settings, nodeId);
    RegisteredParty researcher =
        researcher(settings, nodeId, task.getConfigMap().getOrDefault(SecAggKeys.RESEARCHER, ""));
    try {
      return MpcChannel.seal(
              Long.toString(nodeId).getBytes(StandardCharsets.UTF_8),
              me.privateKey(),
              me.componentId(),
              researcher.certificate().publicKey(),
              researcher.componentId(),
              SecAggKeys.identifyContext(session))
          .toBytes();
    } catch (GeneralSecurityException e) {
      throw NodeKeySetup.refused("cannot seal with this node's MPC key: " + e.getMessage());
    }
  }

  static MpcIdentity requireIdentity(SecureAggregationSettings settings, long nodeId) {
    if (settings.identity() == null) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "node "
              + nodeId
              + " has no MPC certificate configured ([mpc] private_key); create one with fedlink"
              + " configuration create");
    }
    return settings.identity();
  }

  static RegisteredParty researcher(SecureAggregationSettings settings, long nodeId, String id) {
    if (id.isEmpty()) {
      throw new FedlinkException(ErrorCode.INVALID_ARGUMENT, "task names no researcher component");
    }
    return settings
        .parties()
        .lookup(id)
        .orElseThrow(
            () ->
                NodeKeySetup.refused(
                    "researcher component '"
                        + id
                        + "' is not registered on node "
                        + nodeId
                        + "; register its certificate with fedlink certificate register"
                        + " --component-id "
                        + id));
  }

  private static float[] delta(Parameters global, Parameters trained) {
    long size = global.size();
    if (size > Integer.MAX_VALUE) {
      throw new FedlinkException(ErrorCode.INVALID_ARGUMENT, "model too large: " + size);
    }
    float[] out = new float[(int) size];
    int at = 0;
    for (int t = 0; t < global.tensors().size(); t++) {
      Tensor g = global.tensors().get(t);
      float[] a = trained.tensors().get(t).data();
      float[] b = g.data();
      for (int i = 0; i < b.length; i++) {
        out[at++] = a[i] - b[i];
      }
    }
    return out;
  }

  @Override
  public void close() {
    synchronized (sessions) {
      sessions.values().forEach(NodeSession::close);
      sessions.clear();
    }
    background.shutdownNow();
    synchronized (this) {
      if (endpoint != null) {
        endpoint.close();
        endpoint = null;
      }
    }
  }
}
