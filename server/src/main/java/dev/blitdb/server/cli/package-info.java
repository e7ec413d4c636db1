/** {@code blitdb backup|restore|export|import|compact}: maintenance from the command line. */
package dev.blitdb.server.cli;
