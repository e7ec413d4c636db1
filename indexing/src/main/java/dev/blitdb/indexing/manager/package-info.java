/** A database's indexes: definitions kept in the store, one worker each, admin operations. */
package dev.blitdb.indexing.manager;
