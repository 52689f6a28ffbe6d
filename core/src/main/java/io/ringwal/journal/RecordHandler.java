package io.ringwal.journal;

import org.agrona.DirectBuffer;

/**
 * Receives the records a {@link JournalReader} delivers, one call per record, in sequence order.
 *
 * <p>The buffer is a zero-copy, read-only view of the mapped segment: it is valid only during the call, and
 * must neither be kept nor written to. Copy out whatever must outlive the call.
 */
@FunctionalInterface
public interface RecordHandler
{
    /**
     * Called for each record delivered.
     *
     * @param sequence the record's sequence.
     * @param buffer   the buffer holding the payload; valid only during this call.
     * @param offset   offset of the payload in {@code buffer}.
     * @param length   length of the payload in bytes.
     */
    void onRecord(long sequence, DirectBuffer buffer, int offset, int length);
}
