package io.ringwal.journal;

/**
 * What opening a journal does about damage that is not a torn tail of the last segment.
 */
public enum RecoveryMode
{
    /** Fail the open with a {@link JournalCorruptedException} naming the file and byte offset. The default. */
    STRICT,

    /**
     * Explicit repair: truncate the journal at the first damage (cut the damaged segment there, delete every
     * later segment) and report what was dropped in the {@link RecoveryReport}.
     */
    TRUNCATE_AT_DAMAGE
}
