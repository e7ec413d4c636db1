package dev.blitdb.server.operations;

/** What an operation does (the {@code Kind} of its JSON). */
public enum OperationKind {
    Backup, Restore, Export, Import, Compact, IndexRebuild
}
