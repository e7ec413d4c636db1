/** The BlitDB Java client SDK. */
package dev.blitdb.client;
