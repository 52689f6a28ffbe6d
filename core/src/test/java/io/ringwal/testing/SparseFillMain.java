package io.ringwal.testing;

import java.nio.file.Path;

import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalException;
import io.ringwal.journal.JournalWriter;
import io.ringwal.journal.WriteMode;
import io.ringwal.segment.PreallocationMode;
import io.ringwal.segment.PretouchMode;

/**
 * Child-process main for the disk-full negative control: appends through SPARSE segments on a (nearly) full
 * filesystem. A store into a hole that the filesystem cannot back raises SIGBUS, so this process is expected to
 * die; it prints {@code CLEAN_FAILURE} if the journal failed cleanly instead and {@code NO_FAULT} if everything
 * fit. With {@link WriteMode#STAGED} (the optional second argument) the writer copies frames in with
 * {@code write(2)}, which reports the full disk as an error instead, so that run is expected to fail cleanly.
 */
public final class SparseFillMain
{
    private SparseFillMain()
    {
    }

    /**
     * Entry point.
     *
     * @param args the journal directory and, optionally, the write mode (default MAPPED).
     */
    public static void main(final String[] args)
    {
        final JournalConfig config = JournalConfig.builder().segmentSize(1024 * 1024)
            .preallocationMode(PreallocationMode.SPARSE).pretouchMode(PretouchMode.NONE).forcePolicy(ForcePolicy.everyBatch())
            .writeMode(args.length > 1 ? WriteMode.valueOf(args[1]) : WriteMode.MAPPED).build();
        final byte[] payload = JournalFiles.payload(7, 1000);
        try (JournalWriter writer = JournalWriter.open(Path.of(args[0]), config))
        {
            System.out.println("OPENED");
            for (int i = 0; i < 100_000; i++)
            {
                writer.append(payload, 0, payload.length);
                writer.endOfBatch();
                if (i % 100 == 0)
                {
                    System.out.println("APPENDED " + i);
                }
            }
            System.out.println("NO_FAULT");
        }
        catch (final JournalException ex)
        {
            System.out.println("CLEAN_FAILURE " + ex);
        }
    }
}
