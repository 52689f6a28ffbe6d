package io.ringwal.peers;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The copy ceiling: each producer copies its records, back to back with no framing, into its own region of one
 * {@value #MAPPING_SIZE}-byte mapping that was pre-touched at open, wrapping around at the region's end. No
 * ring, no second thread, no CRC, nothing forced: the fastest a record can be put into mapped memory here.
 * Read-back checks every record still in the regions and that each producer's highest counter is its last.
 */
public final class PlainCopyContender implements Contender
{
    /** Size of the mapping. */
    public static final int MAPPING_SIZE = 256 << 20;

    private MappedByteBuffer mapping;
    private int regionRecords;
    private int recordSize;
    private long[] counts;

    @Override
    public String name()
    {
        return "plain-copy";
    }

    @Override
    public void open(final Path dir, final Workload workload) throws IOException
    {
        try (FileChannel channel = FileChannel.open(dir.resolve("plain-copy.dat"), StandardOpenOption.CREATE_NEW,
            StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, MAPPING_SIZE);
        }
        for (int i = 0; i < MAPPING_SIZE; i += 4096)
        {
            mapping.put(i, (byte)0);
        }
        recordSize = workload.recordSize();
        regionRecords = MAPPING_SIZE / workload.producers() / recordSize;
        counts = new long[workload.producers() * 16];
    }

    @Override
    public long publish(final int producer, final byte[] payload)
    {
        final long ticket = counts[producer * 16]++;
        final int index = producer * regionRecords + (int)(ticket % regionRecords);
        mapping.put(index * recordSize, payload, 0, recordSize);
        return ticket;
    }

    @Override
    public Completion completion()
    {
        return Completion.WRITTEN;
    }

    @Override
    public boolean completesOnReturn()
    {
        return true;
    }

    @Override
    public long completedTicket(final int producer)
    {
        return counts[producer * 16] - 1;
    }

    @Override
    public void awaitAll()
    {
        // copies are synchronous.
    }

    @Override
    public void close()
    {
        mapping.force();
    }

    @Override
    public VerifyResult readBackAndVerify(final Path dir, final Workload workload, final long[] published)
    {
        long read = 0;
        long mangled = 0;
        long missing = 0;
        String problem = null;
        final byte[] record = new byte[recordSize];
        for (int p = 0; p < published.length; p++)
        {
            final Payloads payloads = new Payloads(p, recordSize);
            long highest = -1;
            final long present = Math.min(published[p], regionRecords);
            for (int i = 0; i < present; i++)
            {
                mapping.get((p * regionRecords + i) * recordSize, record);
                read++;
                final long counter = Payloads.producerOf(record, 0) == p ? Payloads.counterOf(record, 0) : -1;
                if (counter < 0 || counter % regionRecords != i || !payloads.matches(record, 0, recordSize, counter))
                {
                    mangled++;
                    problem = problem != null ? problem : "producer " + p + " slot " + i + " is mangled";
                }
                highest = Math.max(highest, counter);
            }
            if (highest != published[p] - 1)
            {
                missing += Math.max(0, published[p] - 1 - highest);
                problem = problem != null ? problem : "producer " + p + ": highest counter " + highest;
            }
        }
        return new VerifyResult(read, read, missing, mangled, 0, problem);
    }
}
