package io.ringwal.kafka;

import org.agrona.DirectBuffer;

/**
 * Chooses the Kafka key of a journal record, and with it (through the producer's partitioner) its partition.
 * Without one the shipper sends every record to partition 0 with no key: one total order.
 *
 * <p>Records with the same key keep their journal order; records of different partitions have no order
 * between them in Kafka (their sequence header still gives it).
 */
@FunctionalInterface
public interface RecordKeyFunction
{
    /**
     * The key of a record.
     *
     * @param sequence the record's journal sequence.
     * @param buffer   holds the payload; valid only during the call.
     * @param offset   where the payload starts in {@code buffer}.
     * @param length   the payload length.
     * @return the key bytes, or null for no key (the producer's partitioner then picks the partition).
     */
    byte[] key(long sequence, DirectBuffer buffer, int offset, int length);
}
