/**
 * Joye-Libert secure aggregation: the researcher learns only the weighted mean of the nodes'
 * updates.
 *
 * <p>One round, with every node i holding a key sk_i ({@link
 * org.fedlink.crypto.secagg.JoyeLibert#generateKey}) and the researcher sk_0 = -(sum sk_i)
 * (computed once per party set with {@link org.fedlink.crypto.secagg.AdditiveSharing} over the
 * {@link org.fedlink.crypto.channel.MpcChannel}):
 *
 * <ol>
 *   <li>everyone agrees on a {@link org.fedlink.crypto.secagg.Biprime} and a {@link
 *       org.fedlink.crypto.secagg.BitBudget}; the researcher draws a {@link
 *       org.fedlink.crypto.secagg.Guard} for the round;
 *   <li>while training, a node runs {@link org.fedlink.crypto.secagg.Masks#computeMasks}; the
 *       researcher does the same with sk_0;
 *   <li>after training: {@link org.fedlink.crypto.secagg.VectorEncoder#encode} then {@link
 *       org.fedlink.crypto.secagg.JoyeLibert#encrypt(java.math.BigInteger[],
 *       java.math.BigInteger[])};
 *   <li>the researcher: {@link org.fedlink.crypto.secagg.JoyeLibert#accumulate} each node's
 *       ciphertexts, {@link org.fedlink.crypto.secagg.JoyeLibert#decrypt(java.math.BigInteger[],
 *       java.math.BigInteger[])}, {@link org.fedlink.crypto.secagg.VectorEncoder#decode}.
 * </ol>
 *
 * Any inconsistency ends in {@link org.fedlink.crypto.secagg.AggregationIntegrityException}: the
 * round must be discarded, never partially used.
 */
package org.fedlink.crypto.secagg;
