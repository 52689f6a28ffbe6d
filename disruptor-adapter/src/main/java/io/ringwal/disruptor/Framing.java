package io.ringwal.disruptor;

/**
 * Where a record's frame header and CRC32C are computed. {@link #WRITER} is the default.
 *
 * <p>Producer-side framing moves the CRC from the writer to the producers. That pays where producers run on cores
 * of their own; where they share the writer's cores it moves work rather than removing it. Writer-side framing is
 * the default because it was never slower on the machines measured (docs/BENCHMARKS-PIPELINE.md, "Framing").
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
