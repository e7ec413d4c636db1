/**
 * The blittable document format: JSON converted once into a self-contained binary layout that is read in place.
 *
 * <p>The byte layout is specified in {@code blittable/FORMAT.md} (constants in {@link dev.blitdb.blittable.BlitFormat}
 * name its sections); {@code blittable/README.md} lists the entry points. Writing: {@link
 * dev.blitdb.blittable.BlitWriter} (JSON), {@link dev.blitdb.blittable.BlitBuilder} (programmatic), {@link
 * dev.blitdb.blittable.BlitPatch} and {@link dev.blitdb.blittable.BlitDocuments} (modified copies). Reading: the
 * flyweights {@link dev.blitdb.blittable.BlitDocument}, {@link dev.blitdb.blittable.BlitObject}, {@link
 * dev.blitdb.blittable.BlitArray}, {@link dev.blitdb.blittable.BlitValue}, {@link dev.blitdb.blittable.BlitString},
 * keyed by {@link dev.blitdb.blittable.BlitKey}, and {@link dev.blitdb.blittable.BlitPath}. Checking: {@link
 * dev.blitdb.blittable.BlitValidator}. Output: {@link dev.blitdb.blittable.BlitJsonWriter} into a {@link
 * dev.blitdb.blittable.JsonSink}.
 */
package dev.blitdb.blittable;
