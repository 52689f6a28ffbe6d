package io.ringwal.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalWriter;

/**
 * Writes small journals for the command tests.
 */
public final class Journals
{
    public static final int SEGMENT_SIZE = 64 * 1024;

    private Journals()
    {
    }

    public static JournalConfig config()
    {
        return JournalConfig.builder().segmentSize(SEGMENT_SIZE).forcePolicy(ForcePolicy.never()).build();
    }

    public static byte[] payload(final long i)
    {
        return ("record-" + i).getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes records "record-0" .. "record-(n-1)", each padded with '.' to {@code size} bytes if larger. */
    public static void write(final Path dir, final int records, final int size)
    {
        write(dir, records, size, SEGMENT_SIZE);
    }

    /**
     * Writes records as {@link #write(Path, int, int)} does, into segments of {@code segmentSize} bytes (from 128 KiB
     * on, the writer leaves a seek index file beside each segment it finishes).
     */
    public static void write(final Path dir, final int records, final int size, final int segmentSize)
    {
        final JournalConfig config = JournalConfig.builder().segmentSize(segmentSize)
            .forcePolicy(ForcePolicy.never()).build();
        try (JournalWriter writer = JournalWriter.open(dir, config))
        {
            for (int i = 0; i < records; i++)
            {
                final byte[] text = payload(i);
                final byte[] bytes = new byte[Math.max(size, text.length)];
                java.util.Arrays.fill(bytes, (byte)'.');
                System.arraycopy(text, 0, bytes, 0, text.length);
                writer.append(bytes, 0, bytes.length);
                if (i % 16 == 15)
                {
                    writer.endOfBatch();
                }
            }
            writer.endOfBatch();
        }
    }
}
