package io.ringwal.disruptor;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalConfig;

/**
 * A child JVM for {@link PipelineJvmExitTest}: publishes records into a pipeline and never closes it.
 *
 * <p>Arguments: directory, record count (-1: publish until killed), policy ({@code never}, {@code bounded},
 * {@code everyBatch}), shutdown drain timeout in ms. Prints {@code started} and then, every 1,000 records,
 * {@code published S} with the last sequence whose publish returned; after the last record
 * {@code done S} and returns from main without calling close.
 */
public final class PipelineExitChild
{
    private PipelineExitChild()
    {
    }

    /**
     * Runs the child.
     *
     * @param args see the class comment.
     */
    public static void main(final String[] args)
    {
        final Path dir = Path.of(args[0]);
        final long count = Long.parseLong(args[1]);
        final ForcePolicy policy = switch (args[2])
        {
            case "never" -> ForcePolicy.never();
            case "bounded" -> ForcePolicy.bounded(50, TimeUnit.MILLISECONDS, 4 * 1024 * 1024);
            default -> ForcePolicy.everyBatch();
        };
        final long drainMillis = Long.parseLong(args[3]);
        final JournalPipeline pipeline = JournalPipeline.builder(dir)
            .journalConfig(JournalConfig.builder().segmentSize(8 * 1024 * 1024).forcePolicy(policy).build())
            .ringSize(16 * 1024).shutdownDrainTimeout(drainMillis, TimeUnit.MILLISECONDS).build().start();
        System.out.println("started");
        final byte[] record = new byte[64];
        long last = -1;
        for (long i = 0; count < 0 || i < count; i++)
        {
            record[0] = (byte)i;
            last = pipeline.publish(record, 0, record.length);
            if (i % 1000 == 999)
            {
                System.out.println("published " + last);
            }
        }
        System.out.println("done " + last);
    }
}
