package io.ringwal.disruptor;

import org.agrona.MutableDirectBuffer;

/**
 * Writes an event of a user's own Disruptor into the journal's claim, for {@link JournallingEventHandler}: the
 * handler asks for the length, claims exactly that many bytes in the active segment, and lets the serializer
 * write there directly (no intermediate copy).
 *
 * @param <T> the event type.
 */
public interface JournalSerializer<T>
{
    /**
     * The number of bytes {@link #write} will write for this event.
     *
     * @param event the event.
     * @return the length, from 0 to the journal's maximum record size.
     */
    int length(T event);

    /**
     * Writes the event into {@code buffer}, from index 0 to exactly {@link #length(Object)} bytes.
     *
     * @param event  the event.
     * @param buffer the claimed payload area of the journal frame; valid only during this call.
     */
    void write(T event, MutableDirectBuffer buffer);
}
