package dev.blitdb.storage.engine;

/** Where a tree starts: its root page (0 for an empty tree) and its depth (1 = the root is a leaf). */
interface TreeRoot {
    long root();

    int depth();

    long entries();
}
