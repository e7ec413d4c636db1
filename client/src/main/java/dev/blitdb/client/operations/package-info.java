/**
 * Administration: index definitions and their builder, index stats, errors, staleness and live priority,
 * database statistics ({@link dev.blitdb.client.operations.MaintenanceOperations}), and databases
 * ({@link dev.blitdb.client.operations.ServerOperations}).
 */
package dev.blitdb.client.operations;
