package io.ringwal.disruptor.torture;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.UnsafeBuffer;

import io.ringwal.disruptor.JournalPipeline;
import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalConfig;

/**
 * Child JVM for {@link PipelineProcessKillTest}: opens a {@link JournalPipeline} on a journal, starts several
 * producer threads that publish {@link TortureRecords} at full speed, and streams what it was told to stdout
 * until it is killed:
 * <ul>
 *     <li>{@code START next} once the pipeline is open: the sequence the next record gets;</li>
 *     <li>{@code D seq} when the {@link io.ringwal.disruptor.DurabilityListener} reported seq durable;</li>
 *     <li>{@code A seq} when producer 0's {@code awaitDurable(seq)} returned (not under the never policy);</li>
 *     <li>{@code W seq} when {@link JournalPipeline#writtenSequence()} reached seq (in the page cache).</li>
 * </ul>
 * A line is printed only after the event it reports happened.
 */
public final class PipelineKillChild
{
    private PipelineKillChild()
    {
    }

    /**
     * Entry point.
     *
     * @param args directory, force policy, segment size, then each producer's next counter.
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final Path dir = Path.of(args[0]);
        final ForcePolicy policy = ForcePolicy.parse(args[1]);
        final int segmentSize = Integer.parseInt(args[2]);
        final int producers = args.length - 3;
        final long[] next = new long[producers];
        for (int i = 0; i < producers; i++)
        {
            next[i] = Long.parseLong(args[3 + i]);
        }
        final PrintStream out = new PrintStream(
            new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), false);
        final AtomicLong listened = new AtomicLong(-1);
        final JournalConfig config = JournalConfig.builder().segmentSize(segmentSize).forcePolicy(policy)
            .maxRecordSize(4096).build();
        final JournalPipeline pipeline = JournalPipeline.builder(dir).journalConfig(config).ringSize(1024)
            .maxRecordSize(TortureRecords.MAX_LENGTH).durabilityListener(listened::set).build().start();
        synchronized (out)
        {
            out.println("START " + (pipeline.writtenSequence() + 1));
            out.flush();
        }
        final boolean await = policy.kind() != ForcePolicy.Kind.NEVER;
        for (int p = 0; p < producers; p++)
        {
            final int producer = p;
            final Thread thread = new Thread(() ->
            {
                final UnsafeBuffer buffer = new UnsafeBuffer(new byte[TortureRecords.MAX_LENGTH]);
                long counter = next[producer];
                try
                {
                    while (true)
                    {
                        final int length = TortureRecords.encode(buffer, producer, counter);
                        final long sequence = pipeline.publish(buffer, 0, length);
                        counter++;
                        if (await && producer == 0 && (counter & 63) == 0)
                        {
                            pipeline.awaitDurable(sequence);
                            synchronized (out)
                            {
                                out.println("A " + sequence);
                                out.flush();
                            }
                        }
                    }
                }
                catch (final Throwable ex)
                {
                    synchronized (out)
                    {
                        out.println("ERROR producer " + producer + ": " + ex);
                        out.flush();
                    }
                }
            }, "producer-" + p);
            thread.start();
        }
        long lastDurable = -1;
        long lastWritten = -1;
        while (true)
        {
            // read the written watermark first: what it shows was in the mapping before the line is printed
            final long written = pipeline.writtenSequence();
            final long durable = listened.get();
            synchronized (out)
            {
                if (durable > lastDurable)
                {
                    out.println("D " + durable);
                    lastDurable = durable;
                }
                if (written > lastWritten)
                {
                    out.println("W " + written);
                    lastWritten = written;
                }
                out.flush();
            }
            TimeUnit.MICROSECONDS.sleep(500);
        }
    }
}
