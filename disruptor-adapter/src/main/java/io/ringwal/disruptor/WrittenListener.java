package io.ringwal.disruptor;

/**
 * Told each time the written watermark of a {@link JournalPipeline} advances: the records are in the journal's
 * mapped segment, visible to readers and safe from a crash of this process (not of the machine unless also
 * durable). The notification for {@link io.ringwal.journal.ForcePolicy#never()}, under which the durable
 * watermark advances only at rotations and close.
 *
 * <p>Called on the writer thread, once per batch that wrote something, after
 * {@link JournalPipeline#writtenSequence()} shows the new value. It delays the writer for as long as it runs: keep
 * it short, never block in it, and never wait in it for the pipeline (that would deadlock). An exception thrown
 * here is logged and otherwise ignored; it does not fail the journal.
 */
@FunctionalInterface
public interface WrittenListener
{
    /** A listener that does nothing. */
    WrittenListener NONE = writtenSequence ->
    {
    };

    /**
     * The written watermark advanced.
     *
     * @param writtenSequence every record with a journal sequence up to and including this one is written.
     */
    void onWritten(long writtenSequence);
}
