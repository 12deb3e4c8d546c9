package org.fedlink.superlink.state;

/** A complete blob as recorded: its id and size in bytes. */
public record BlobRecord(String blobId, long size) {}
