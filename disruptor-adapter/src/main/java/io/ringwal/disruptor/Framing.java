package io.ringwal.disruptor;

/**
 * Where a record's frame header and CRC32C are computed. {@link #WRITER} is the default.
 *
 * <p>Measured on a 2-core machine shared with other builds (the slow-tagged {@code FramingComparisonTest},
 * 3 rounds): with 64-byte records and no forcing, writer-side framing ran 2.75 to 4.44 M records/s and
 * producer-side 2.36 to 4.34 M records/s, with the winner changing from round to round; with 4 producers
 * writer-side was ahead in every round. On 2 cores the producers and the writer share the same CPUs, so moving
 * the CRC to the producers moves work rather than removing it, and the gain the design notes expect (many
 * producers feeding one writer) cannot show. Writer-side framing stays the default; producer-side remains
 * selectable for machines with spare cores, to be judged by the JMH pipeline benchmarks.
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
