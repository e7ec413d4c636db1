/** The blittable document format: see {@code blittable/FORMAT.md}. */
package dev.blitdb.blittable;
