package dev.blitdb.storage.engine;

/** A tree's record while a write transaction changes it; becomes a {@link TreeRecord} at commit. */
final class MutableTree implements TreeRoot {

    long root;
    int depth;
    long entries;
    long branchPages;
    long leafPages;
    long overflowPages;
    boolean changed;
    /**
     * The leaf page and slot of the last cell inserted in this transaction (a hint for splits, see TreeEditor):
     * a key inserted right after it continues a sequential run.
     */
    long lastLeafPage = -1;
    int lastLeafIdx = -1;

    MutableTree(TreeRecord r) {
        root = r.root();
        depth = r.depth();
        entries = r.entries();
        branchPages = r.branchPages();
        leafPages = r.leafPages();
        overflowPages = r.overflowPages();
    }

    TreeRecord toRecord() {
        return new TreeRecord(root, depth, entries, branchPages, leafPages, overflowPages);
    }

    @Override
    public long root() {
        return root;
    }

    @Override
    public int depth() {
        return depth;
    }

    @Override
    public long entries() {
        return entries;
    }
}
