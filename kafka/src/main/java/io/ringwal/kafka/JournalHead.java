package io.ringwal.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import org.agrona.DirectBuffer;

import io.ringwal.format.SegmentFileNames;
import io.ringwal.journal.JournalReader;
import io.ringwal.journal.RecordHandler;

/**
 * Measures how far a journal reaches: a second reader that runs ahead to the last committed record, counting
 * records and payload bytes from where it started. The shipper's lag is the difference between this head and
 * what Kafka committed. Reading ahead checks every frame once more (CRC32C); it runs at most every
 * {@link ShipperConfig#lagIntervalNanos()} and at most {@value #MAX_RECORDS_PER_MEASURE} records at a time.
 */
final class JournalHead implements RecordHandler, AutoCloseable
{
    static final int MAX_RECORDS_PER_MEASURE = 4_000_000;

    private final JournalReader reader;
    private long bytes;

    JournalHead(final Path directory, final long fromSequence)
    {
        reader = JournalReader.open(directory, fromSequence);
    }

    /**
     * The first sequence the journal directory keeps: the base of its first segment.
     *
     * @param directory the journal directory.
     * @return the sequence.
     * @throws ShipperException if the directory holds no segment.
     */
    static long firstKeptSequence(final Path directory)
    {
        final long[] bases;
        try
        {
            bases = SegmentFileNames.listSegmentBases(directory);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list journal directory " + directory + ": " + ex, ex);
        }
        if (bases.length == 0)
        {
            throw new ShipperException(directory + " holds no journal (no segment files)");
        }
        return bases[0];
    }

    /**
     * Reads ahead to the journal's end as it is now (or by {@value #MAX_RECORDS_PER_MEASURE} records).
     */
    void advance()
    {
        int total = 0;
        int n;
        while (total < MAX_RECORDS_PER_MEASURE && (n = reader.poll(this, 4096)) > 0)
        {
            total += n;
        }
    }

    long nextSequence()
    {
        return reader.nextSequence();
    }

    long bytes()
    {
        return bytes;
    }

    @Override
    public void onRecord(final long sequence, final DirectBuffer buffer, final int offset, final int length)
    {
        bytes += length;
    }

    @Override
    public void close()
    {
        reader.close();
    }
}
