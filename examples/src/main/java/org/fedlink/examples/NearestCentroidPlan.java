package org.fedlink.examples;

import java.util.Map;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;
import org.fedlink.ml.DataSummary;
import org.fedlink.ml.Dataset;
import org.fedlink.ml.LocalUpdate;
import org.fedlink.ml.Metrics;
import org.fedlink.ml.TrainingArgs;
import org.fedlink.ml.TrainingPlan;

/**
 * A nearest-centroid classifier as a researcher's training plan: features are standardised with the
 * federation's mean and standard deviation, each class is represented by the mean of its
 * standardised examples, and an example belongs to the class of the nearest centroid. One local
 * "epoch" computes the node's class means (classes it has no example of keep the global centroid);
 * FedAvg's example-weighted average of them is the federated class mean.
 *
 * <p>Metrics are therefore the same every round: the class means do not depend on the incoming
 * centroids, so round 1 already reaches the final model and later rounds recompute it. Only when a
 * node lacks a class does the global centroid it feeds back make the model settle over a few
 * rounds.
 *
 * <p>Model tensors: {@code mean} and {@code scale} ([features], fixed), {@code centroids}
 * ([classes, features]). Stateless and thread-safe.
 */
public final class NearestCentroidPlan implements TrainingPlan {
  /** The plan's id. */
  public static final String ID = "nearest-centroid";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Parameters initialize(DataSummary summary, TrainingArgs args) {
    int features = summary.features();
    int classes = Math.max(2, summary.classes());
    float[] mean = new float[features];
    float[] scale = new float[features];
    double[] std = summary.std();
    for (int j = 0; j < features; j++) {
      mean[j] = (float) summary.mean()[j];
      scale[j] = std[j] > 1e-12 ? (float) (1.0 / std[j]) : 1f;
    }
    return Parameters.of(
        new Tensor("mean", new int[] {features}, mean),
        new Tensor("scale", new int[] {features}, scale),
        Tensor.zeros("centroids", classes, features));
  }

  @Override
  public LocalUpdate train(Parameters global, Dataset data, TrainingArgs args) {
    float[] mean = global.get("mean").data();
    float[] scale = global.get("scale").data();
    Tensor centroids = global.get("centroids");
    int classes = centroids.shape()[0];
    int features = centroids.shape()[1];
    double[] sums = new double[classes * features];
    long[] counts = new long[classes];
    float[] x = data.x();
    for (int i = 0; i < data.rows(); i++) {
      int c = data.y()[i];
      if (c < 0 || c >= classes) {
        continue;
      }
      counts[c]++;
      for (int j = 0; j < features; j++) {
        sums[c * features + j] += (x[i * data.cols() + j] - mean[j]) * scale[j];
      }
    }
    float[] updated = centroids.data().clone();
    for (int c = 0; c < classes; c++) {
      if (counts[c] > 0) {
        for (int j = 0; j < features; j++) {
          updated[c * features + j] = (float) (sums[c * features + j] / counts[c]);
        }
      }
    }
    Parameters out =
        Parameters.of(
            global.get("mean").copy(),
            global.get("scale").copy(),
            new Tensor("centroids", centroids.shape().clone(), updated));
    Metrics m = evaluate(out, data);
    return new LocalUpdate(out, data.rows(), Map.of("train_loss", m.loss()));
  }

  @Override
  public Metrics evaluate(Parameters parameters, Dataset data) {
    float[] mean = parameters.get("mean").data();
    float[] scale = parameters.get("scale").data();
    Tensor centroids = parameters.get("centroids");
    int classes = centroids.shape()[0];
    int features = centroids.shape()[1];
    float[] cs = centroids.data();
    float[] x = data.x();
    double[] score = new double[classes];
    double loss = 0;
    long correct = 0;
    for (int i = 0; i < data.rows(); i++) {
      int best = 0;
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        double d2 = 0;
        for (int j = 0; j < features; j++) {
          double diff = (x[i * data.cols() + j] - mean[j]) * scale[j] - cs[c * features + j];
          d2 += diff * diff;
        }
        score[c] = -0.5 * d2;
        if (score[c] > max) {
          max = score[c];
          best = c;
        }
      }
      double norm = 0;
      for (int c = 0; c < classes; c++) {
        norm += Math.exp(score[c] - max);
      }
      int label = data.y()[i];
      if (label >= 0 && label < classes) {
        loss += -(score[label] - max - Math.log(norm));
      }
      if (best == label) {
        correct++;
      }
    }
    int n = Math.max(1, data.rows());
    return new Metrics(loss / n, (double) correct / n, data.rows());
  }
}
