package dev.pixels.storage;

import java.net.URI;

/**
 * Where the DynamoDB tables are.
 *
 * @param local true for a local DynamoDB-compatible server at {@code endpoint} (dummy credentials,
 *     tables created when missing); false for AWS with the default credential and region chain
 * @param endpoint the local server; ignored for AWS
 * @param tablePrefix prepended to every table name, e.g. {@code pixels-} gives {@code pixels-log}
 * @param callTimeout the longest one store call may take, retries included; it bounds how late a
 *     write can land after it was given up on
 */
public record DynamoDbSettings(boolean local, URI endpoint, String tablePrefix, java.time.Duration callTimeout) {}
