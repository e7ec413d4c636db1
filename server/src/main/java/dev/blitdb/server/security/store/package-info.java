/**
 * The security store: principals and the append-only audit log in the system database {@code <data>/.system}.
 */
package dev.blitdb.server.security.store;
