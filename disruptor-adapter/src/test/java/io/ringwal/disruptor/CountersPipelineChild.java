package io.ringwal.disruptor;

import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.UnsafeBuffer;

import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalConfig;

/**
 * Child JVM for {@link PipelineCountersFileTest}: runs a {@link JournalPipeline} that publishes 64-byte records,
 * prints {@code STARTED} once the pipeline (and its counters file) is up, and either runs until killed
 * ({@code records} &lt; 0) or publishes that many records, closes the pipeline, prints {@code CLOSED last} and
 * exits.
 */
public final class CountersPipelineChild
{
    private CountersPipelineChild()
    {
    }

    /**
     * Entry point.
     *
     * @param args directory, force policy, segment size, records (-1: until killed), pause between batches in µs.
     */
    public static void main(final String[] args)
    {
        final Path dir = Path.of(args[0]);
        final JournalConfig config = JournalConfig.builder().segmentSize(Integer.parseInt(args[2]))
            .forcePolicy(ForcePolicy.parse(args[1])).build();
        final long records = Long.parseLong(args[3]);
        final long pauseNanos = Long.parseLong(args[4]) * 1000;
        final JournalPipeline pipeline = JournalPipeline.builder(dir).journalConfig(config).ringSize(1024)
            .maxRecordSize(64).build().start();
        System.out.println("STARTED");
        System.out.flush();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        long last = -1;
        for (long i = 0; records < 0 || i < records; i++)
        {
            buffer.putLong(0, i);
            last = pipeline.publish(buffer, 0, 64);
            if ((i & 63) == 63 && pauseNanos > 0)
            {
                LockSupport.parkNanos(pauseNanos);
            }
        }
        pipeline.close();
        System.out.println("CLOSED " + last);
        System.out.flush();
    }
}
