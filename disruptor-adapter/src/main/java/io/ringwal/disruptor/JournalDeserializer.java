package io.ringwal.disruptor;

import org.agrona.DirectBuffer;

/**
 * Reads a journal record back into an event of a user's own Disruptor, the inverse of a {@link JournalSerializer}:
 * {@link JournallingEventHandler#replay(com.lmax.disruptor.RingBuffer, long, JournalDeserializer)} claims a ring
 * slot for each journal record and lets the deserializer fill the slot's preallocated event in place.
 *
 * <p>The event is a reused ring slot that still holds whatever was published there before: set every field that
 * the handlers read, not only those the record changes.
 *
 * @param <T> the event type.
 */
@FunctionalInterface
public interface JournalDeserializer<T>
{
    /**
     * Fills {@code event} from one journal record.
     *
     * @param journalSequence the record's journal sequence.
     * @param buffer          a read-only, zero-copy view of the mapped segment; valid only during this call.
     * @param offset          where the record's payload starts in {@code buffer}.
     * @param length          the payload length in bytes.
     * @param event           the ring slot's event to fill.
     */
    void read(long journalSequence, DirectBuffer buffer, int offset, int length, T event);

    /**
     * Fills {@code event} for a journal sequence that holds no record but a skipped-sequence frame (a
     * {@code JournalPipeline} producer whose translator threw, or {@code JournalWriter.skip()}; a
     * {@link JournallingEventHandler} never writes one). The ring still needs an event there, so that ring and
     * journal sequences stay a fixed offset apart: fill a no-op event that the handlers recognise and ignore.
     *
     * <p>The default throws {@link UnsupportedOperationException}, and the replay fails with an error naming the
     * sequence (a journal written by a {@code JournallingEventHandler} alone never takes this path).
     *
     * @param journalSequence the skipped journal sequence.
     * @param event           the ring slot's event to fill.
     * @throws UnsupportedOperationException unless overridden.
     */
    default void readSkipped(final long journalSequence, final T event)
    {
        throw new UnsupportedOperationException("journal sequence " + journalSequence + " is a skipped-sequence " +
            "frame; implement JournalDeserializer.readSkipped to publish a no-op event for it");
    }
}
