/** How the client proves who it is to a secure server (API key, client certificate) and whom it trusts (CA). */
package dev.blitdb.client.security;
