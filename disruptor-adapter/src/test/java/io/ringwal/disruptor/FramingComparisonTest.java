package io.ringwal.disruptor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalConfig;

/**
 * A sanity comparison of producer-side against writer-side framing: prints throughput, asserts nothing about
 * time (the JMH benchmarks own real measurement). Tagged slow: run with
 * {@code mvn -pl disruptor-adapter -am test -Ptorture -Dtest=FramingComparisonTest}.
 */
@Tag("slow")
class FramingComparisonTest
{
    @TempDir
    Path dir;

    @Test
    void shouldPrintThroughputOfBothFramings() throws Exception
    {
        final int[] producerCounts = {1, 2, 4};
        final int[] sizes = {64, 1024};
        for (int round = 0; round < 3; round++)
        {
            for (final ForcePolicy policy : new ForcePolicy[] {ForcePolicy.never(), ForcePolicy.everyBatch()})
            {
                for (final int size : sizes)
                {
                    for (final int producers : producerCounts)
                    {
                        for (final Framing framing : Framing.values())
                        {
                            final double rate = run(framing, policy, producers, size,
                                (size <= 64 ? 2_000_000 : 300_000) / producers);
                            System.out.printf("round=%d policy=%s size=%d producers=%d framing=%s %.2f M rec/s%n",
                                round, policy, size, producers, framing, rate / 1e6);
                        }
                    }
                }
            }
        }
    }

    private double run(final Framing framing, final ForcePolicy policy, final int producers, final int size,
        final int perProducer) throws Exception
    {
        final Path journal = Files.createTempDirectory(dir, "run");
        final JournalConfig config = JournalConfig.builder().segmentSize(64 * 1024 * 1024).forcePolicy(policy)
            .build();
        final long start;
        final long end;
        try (JournalPipeline pipeline = JournalPipeline.builder(journal).journalConfig(config).ringSize(8192)
            .maxRecordSize(size).framing(framing).build().start())
        {
            final CountDownLatch go = new CountDownLatch(1);
            final List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++)
            {
                final Thread thread = new Thread(() ->
                {
                    final byte[] payload = new byte[size];
                    try
                    {
                        go.await();
                    }
                    catch (final InterruptedException ex)
                    {
                        return;
                    }
                    for (int i = 0; i < perProducer; i++)
                    {
                        payload[0] = (byte)i;
                        pipeline.publish(payload, 0, size);
                    }
                });
                thread.start();
                threads.add(thread);
            }
            start = System.nanoTime();
            go.countDown();
            for (final Thread thread : threads)
            {
                thread.join();
            }
            while (pipeline.writtenSequence() < (long)producers * perProducer - 1)
            {
                Thread.onSpinWait();
            }
            end = System.nanoTime();
            assertThat(pipeline.failure()).isNull();
        }
        return (double)producers * perProducer * 1e9 / (end - start);
    }
}
