package io.ringwal.disruptor;

import org.agrona.MutableDirectBuffer;

/**
 * Writes a record straight into a ring slot, so an object can be serialised into the journal pipeline with no
 * intermediate copy. Pass the object as {@code arg} rather than capturing it in a lambda, so that a single
 * translator instance can be reused and publishing allocates nothing.
 *
 * @param <A> the type of the argument the record is written from.
 */
@FunctionalInterface
public interface RecordTranslator<A>
{
    /**
     * Writes one record into {@code buffer}, starting at index 0.
     *
     * @param buffer the slot's payload area. Its {@code capacity()} is what the slot holds now (at least the
     *               pipeline's slot size); a put beyond it grows the slot up to the maximum record size, and so
     *               does {@code checkLimit(limit)} for code that writes through {@code byteBuffer()}. Valid only
     *               during this call.
     * @param arg    the argument passed to publish.
     * @return the number of bytes written: the record length, from 0 to the pipeline's maximum record size.
     */
    int translateTo(MutableDirectBuffer buffer, A arg);
}
