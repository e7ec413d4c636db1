/** {@code /studio}: the web studio, plain HTML/CSS/JS served from the server jar (no build step, no libraries). */
package dev.blitdb.server.http.studio;
