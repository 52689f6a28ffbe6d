package io.ringwal.disruptor;

import org.agrona.MutableDirectBuffer;

/**
 * A {@link RecordTranslator} that is also told the journal sequence its record will get, before the record is
 * published: the caller can note "request X is sequence N" while nothing can yet make N durable, so that a
 * {@link DurabilityListener} or an await never sees a sequence the caller does not know yet. ({@code publish}
 * returns the sequence only after the slot was published, by which time the writer may already have forced it.)
 *
 * @param <A> the type of the argument the record is written from.
 */
@FunctionalInterface
public interface SequencedRecordTranslator<A>
{
    /**
     * Writes one record into {@code buffer}, starting at index 0.
     *
     * @param buffer   the slot's payload area. Its {@code capacity()} is what the slot holds now (at least the
     *                 pipeline's slot size); a put beyond it grows the slot up to the maximum record size, and so
     *                 does {@code checkLimit(limit)} for code that writes through {@code byteBuffer()}. Valid only
     *                 during this call.
     * @param sequence the journal sequence the record gets: the value {@code publish} will return. If this call
     *                 throws, the sequence is journaled as skipped (no record).
     * @param arg      the argument passed to publish.
     * @return the number of bytes written: the record length, from 0 to the pipeline's maximum record size.
     */
    int translateTo(MutableDirectBuffer buffer, long sequence, A arg);
}
