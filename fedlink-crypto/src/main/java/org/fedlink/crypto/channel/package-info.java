/**
 * The authenticated, confidential channel of the secure-aggregation setup: {@link
 * org.fedlink.crypto.channel.MpcChannel#seal} and {@link
 * org.fedlink.crypto.channel.MpcChannel#open} over the parties' RSA-2048 certificate keys, carried
 * as {@link org.fedlink.crypto.channel.SealedMessage} bytes by any transport (the SuperLink relay
 * or mutual TLS).
 */
package org.fedlink.crypto.channel;
