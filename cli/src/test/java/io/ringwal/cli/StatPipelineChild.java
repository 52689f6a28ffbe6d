package io.ringwal.cli;

import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

import io.ringwal.disruptor.JournalPipeline;
import io.ringwal.journal.JournalConfig;

/**
 * Child JVM for {@link StatCommandTest}: a {@link JournalPipeline} (which publishes its counters file) fed by one
 * producer at a steady pace; prints {@code STARTED} once it is up and runs until killed.
 */
public final class StatPipelineChild
{
    private StatPipelineChild()
    {
    }

    /**
     * Entry point.
     *
     * @param args the journal directory.
     */
    public static void main(final String[] args)
    {
        final JournalPipeline pipeline = JournalPipeline.builder(Path.of(args[0]))
            .journalConfig(JournalConfig.builder().segmentSize(256 * 1024).build()).ringSize(512).maxRecordSize(64)
            .build().start();
        System.out.println("STARTED");
        System.out.flush();
        final byte[] record = new byte[64];
        for (long i = 0; ; i++)
        {
            pipeline.publish(record, 0, record.length);
            if ((i & 31) == 31)
            {
                LockSupport.parkNanos(100_000);
            }
        }
    }
}
