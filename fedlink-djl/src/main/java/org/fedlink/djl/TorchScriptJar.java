package org.fedlink.djl;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.ml.plan.JarTrainingPlanLoader;

/**
 * Wraps a TorchScript file in a training-plan JAR: the {@code .pt} file, a {@code plan.properties}
 * with the loss and input shape, and a class {@value #PLAN_CLASS} whose only code is a constructor
 * calling {@link TorchScriptPlan}'s. The JAR's bytes depend only on those inputs (fixed entry times
 * and order), so the same model and settings always give the same plan hash, which a node's admin
 * approves like any plan JAR's.
 */
public final class TorchScriptJar {
  /** The plan class inside the JAR (defined by the JAR, as a plan JAR's class must be). */
  public static final String PLAN_CLASS = "fedlink.torchscript.ScriptedModel";

  /** The one supported loss: softmax cross-entropy on class logits. */
  public static final String CROSS_ENTROPY = "cross-entropy";

  /** Largest TorchScript file accepted (the plan JAR limit of one entry). */
  public static final long MAX_MODEL_BYTES = 256L << 20;

  private static final long FIXED_TIME = 315_532_800_000L + 86_400_000L * 2; // 1980-01-03
  private static final Pattern SHAPE = Pattern.compile("\\d{1,7}(,\\d{1,7}){0,4}");

  private TorchScriptJar() {}

  /**
   * Writes the plan JAR of {@code model} to {@code jar} (atomically).
   *
   * @param loss {@value #CROSS_ENTROPY}
   * @param inputShape the model's input per row as comma-separated sizes (e.g. {@code 1,8,8}), or
   *     null or empty for the flat row of features
   * @throws FedlinkException INVALID_ARGUMENT naming the file or setting that is wrong
   */
  public static void write(Path model, String loss, String inputShape, Path jar) {
    if (!CROSS_ENTROPY.equals(loss)) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "--loss " + loss + " is not supported; use --loss " + CROSS_ENTROPY);
    }
    String shape = inputShape == null ? "" : inputShape.replace(" ", "");
    if (!shape.isEmpty() && !SHAPE.matcher(shape).matches()) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "--input-shape " + inputShape + " must be sizes separated by commas, such as 1,28,28");
    }
    byte[] pt = readModel(model);
    String name = model.getFileName().toString();
    String props =
        "# Fedlink TorchScript plan\n"
            + "name="
            + name.replaceAll("[^A-Za-z0-9._-]", "_")
            + "\nloss="
            + loss
            + "\ninput_shape="
            + shape
            + "\n";
    try {
      Path dir = jar.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, jar.getFileName().toString(), ".tmp");
      try {
        try (OutputStream out = Files.newOutputStream(tmp);
            ZipOutputStream zip = new ZipOutputStream(out)) {
          put(
              zip,
              "META-INF/MANIFEST.MF",
              ("Manifest-Version: 1.0\r\n"
                      + JarTrainingPlanLoader.PLAN_ATTRIBUTE
                      + ": "
                      + PLAN_CLASS
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.UTF_8));
          put(zip, PLAN_CLASS.replace('.', '/') + ".class", planClass());
          put(zip, TorchScriptPlan.SETTINGS_ENTRY, props.getBytes(StandardCharsets.UTF_8));
          put(zip, TorchScriptPlan.MODEL_ENTRY, pt);
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new FedlinkException(
          ErrorCode.INTERNAL, "cannot write the plan JAR " + jar + ": " + e.getMessage(), e);
    }
  }

  private static byte[] readModel(Path model) {
    try {
      if (!Files.isRegularFile(model)) {
        throw new FedlinkException(
            ErrorCode.NOT_FOUND, "TorchScript file " + model + " does not exist; check the path");
      }
      long size = Files.size(model);
      if (size > MAX_MODEL_BYTES) {
        throw new FedlinkException(
            ErrorCode.INVALID_ARGUMENT,
            "TorchScript file "
                + model
                + " holds "
                + size
                + " bytes, more than "
                + MAX_MODEL_BYTES);
      }
      byte[] pt = Files.readAllBytes(model);
      // torch.jit.save writes a zip archive whose entries include "constants.pkl" and "code/".
      if (pt.length < 4 || pt[0] != 'P' || pt[1] != 'K') {
        throw new FedlinkException(
            ErrorCode.INVALID_ARGUMENT,
            "TorchScript file "
                + model
                + " is not a TorchScript archive; save it with"
                + " torch.jit.script(model).save(\"model.pt\")");
      }
      if (!new String(pt, StandardCharsets.ISO_8859_1)
          .toLowerCase(Locale.ROOT)
          .contains("constants.pkl")) {
        throw new FedlinkException(
            ErrorCode.INVALID_ARGUMENT,
            "TorchScript file "
                + model
                + " is a zip but not TorchScript (no constants.pkl); save it with"
                + " torch.jit.script(model).save(\"model.pt\"), not torch.save");
      }
      return pt;
    } catch (IOException e) {
      throw new FedlinkException(
          ErrorCode.NOT_FOUND, "cannot read TorchScript file " + model + ": " + e.getMessage(), e);
    }
  }

  private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setTime(FIXED_TIME);
    zip.putNextEntry(e);
    zip.write(bytes);
    zip.closeEntry();
  }

  /**
   * The class file (Java 17) of {@code public final class ScriptedModel extends TorchScriptPlan}
   * with a public constructor calling {@code super()}, and nothing else.
   */
  static byte[] planClass() {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(0xCAFEBABE);
      out.writeShort(0); // minor
      out.writeShort(61); // major: Java 17
      out.writeShort(10); // constant pool count (entries 1..9)
      out.writeByte(10); // 1: Methodref super.<init>()V
      out.writeShort(2);
      out.writeShort(3);
      out.writeByte(7); // 2: Class super
      out.writeShort(4);
      out.writeByte(12); // 3: NameAndType <init> ()V
      out.writeShort(5);
      out.writeShort(6);
      out.writeByte(1); // 4
      out.writeUTF(TorchScriptPlan.class.getName().replace('.', '/'));
      out.writeByte(1); // 5
      out.writeUTF("<init>");
      out.writeByte(1); // 6
      out.writeUTF("()V");
      out.writeByte(7); // 7: Class this
      out.writeShort(8);
      out.writeByte(1); // 8
      out.writeUTF(PLAN_CLASS.replace('.', '/'));
      out.writeByte(1); // 9
      out.writeUTF("Code");
      out.writeShort(0x0001 | 0x0010 | 0x0020); // public final super
      out.writeShort(7); // this
      out.writeShort(2); // super
      out.writeShort(0); // interfaces
      out.writeShort(0); // fields
      out.writeShort(1); // methods
      out.writeShort(0x0001); // public
      out.writeShort(5); // <init>
      out.writeShort(6); // ()V
      out.writeShort(1); // attributes
      out.writeShort(9); // Code
      out.writeInt(17); // attribute length
      out.writeShort(1); // max stack
      out.writeShort(1); // max locals
      out.writeInt(5); // code length
      out.writeByte(0x2a); // aload_0
      out.writeByte(0xb7); // invokespecial #1
      out.writeShort(1);
      out.writeByte(0xb1); // return
      out.writeShort(0); // exception table
      out.writeShort(0); // code attributes
      out.writeShort(0); // class attributes
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
