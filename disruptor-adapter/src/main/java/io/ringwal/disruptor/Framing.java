package io.ringwal.disruptor;

/**
 * Where a record's frame header and CRC32C are computed.
 */
public enum Framing
{
    /**
     * The writer thread frames each record as it copies the payload from the slot into the segment
     * ({@code JournalWriter.append}).
     */
    WRITER,

    /**
     * The producer frames the record in its slot (the journal sequence is known at claim time), in parallel with
     * other producers; the writer thread only checks the sequence and copies the finished frame
     * ({@code JournalWriter.appendFrame}).
     */
    PRODUCER
}
