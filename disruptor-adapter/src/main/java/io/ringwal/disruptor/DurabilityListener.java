package io.ringwal.disruptor;

/**
 * Told each time the durable watermark of a {@link JournalPipeline} advances.
 *
 * <p>Called on the writer thread, once per advance, after the force that made the records durable and after
 * {@link JournalPipeline#durableSequence()} shows the new value. It delays the writer for as long as it runs:
 * keep it short, never block in it, and never wait in it for durability (that would deadlock). An exception
 * thrown here is logged and otherwise ignored; it does not fail the journal.
 */
@FunctionalInterface
public interface DurabilityListener
{
    /** A listener that does nothing. */
    DurabilityListener NONE = durableSequence ->
    {
    };

    /**
     * The durable watermark advanced.
     *
     * @param durableSequence every record with a journal sequence up to and including this one is durable.
     */
    void onDurable(long durableSequence);
}
