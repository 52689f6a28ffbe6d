package io.ringwal.disruptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.format.CounterId;
import io.ringwal.journal.CountersFileReader;
import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalException;
import io.ringwal.journal.JournalFailedException;
import io.ringwal.testing.JournalFiles;
import io.ringwal.testing.Mounts;

/**
 * A real full disk through the pipeline: a loop-mounted 8 MiB ext4. The allocator cannot create the next segment,
 * the pipeline fails with the cause, waiters and later publishes get it, the JVM survives, close returns, and
 * every record acknowledged durable is on the device after the filesystem is unmounted and mounted again.
 */
class PipelineDiskFullTest
{
    private static final int SEGMENT = 256 * 1024;
    private static final int RECORD = 1000;
    private static final long DISK = 8L * 1024 * 1024;

    @TempDir
    Path tmp;

    @Test
    void shouldFailThePipelineCleanlyWhenTheDiskFillsAndKeepEveryAcknowledgedRecord() throws Exception
    {
        Mounts.requireRoot("pipeline disk-full test (loop-mounted ext4)");
        final Path image = tmp.resolve("disk.img");
        final Path mount = Files.createDirectory(tmp.resolve("mnt"));
        Mounts.mountExt4(image, DISK, mount);
        boolean mounted = true;
        try
        {
            final Path dir = mount.resolve("journal");
            final AtomicLong acknowledged = new AtomicLong(-1);
            // the early warning reaches the pipeline's listener (that it comes while the writer still has room is
            // pinned by JournalDiskFullWarningTest, which paces its writer so the race is not left to the scheduler)
            final AtomicLong published = new AtomicLong(-1);
            final AtomicInteger warnings = new AtomicInteger();
            final JournalPipeline pipeline = JournalPipeline.builder(dir)
                .journalConfig(JournalConfig.builder().segmentSize(SEGMENT).forcePolicy(ForcePolicy.everyBatch())
                    .build())
                .ringSize(256)
                .durabilityListener(acknowledged::set)
                .allocationListener((directory, size, cause) -> warnings.incrementAndGet())
                .build()
                .start();
            Throwable failure = null;
            for (int i = 0; i < 100_000 && failure == null; i++)
            {
                try
                {
                    published.set(pipeline.publish(JournalFiles.payload(i, RECORD), 0, RECORD));
                    assertThat(published.get()).isEqualTo(i);
                    if (i % 64 == 63)
                    {
                        pipeline.awaitDurable(published.get(), 10, TimeUnit.SECONDS);
                    }
                }
                catch (final JournalException ex)
                {
                    failure = ex;
                }
            }
            assertThat(failure).as("the 8 MiB disk never filled up").isInstanceOf(JournalFailedException.class);
            assertThat(failure).hasMessageContaining("no space left on device in " + dir + ": next segment of " +
                SEGMENT + " bytes could not be allocated");
            assertThat(causeChain(failure)).contains("No space left on device").contains(".seg.tmp");
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (warnings.get() == 0 && System.nanoTime() < deadline)
            {
                Thread.sleep(1);
            }
            assertThat(warnings).as("the allocation listener, once").hasValue(1);
            assertThat(pipeline.counters().allocationFailures()).isEqualTo(1);
            try (CountersFileReader counters = CountersFileReader.open(dir))
            {
                assertThat(counters.get(CounterId.ALLOCATION_FAILURES)).isEqualTo(1);
            }
            final long lastPublished = published.get();
            assertThatThrownBy(() -> pipeline.awaitDurable(lastPublished, 1, TimeUnit.SECONDS))
                .as("a waiter beyond the durable watermark gets the cause")
                .isInstanceOf(JournalFailedException.class);
            assertThatThrownBy(() -> pipeline.publish(new byte[8], 0, 8))
                .isInstanceOf(JournalFailedException.class);
            final long durable = pipeline.durableSequence();
            assertThat(acknowledged.get()).isEqualTo(durable).isGreaterThan(1000);
            pipeline.close();

            assertThat(Mounts.unmount(mount)).isTrue();
            mounted = false;
            Mounts.mountExistingExt4(image, mount);
            mounted = true;
            final List<byte[]> records = JournalFiles.readAll(dir);
            assertThat(records.size()).as("every acknowledged record survived").isGreaterThan((int)durable);
            for (int i = 0; i < records.size(); i++)
            {
                assertThat(records.get(i)).as("record %d", i).isEqualTo(JournalFiles.payload(i, RECORD));
            }
        }
        finally
        {
            if (mounted)
            {
                assertThat(Mounts.unmount(mount)).as("unmount " + mount).isTrue();
            }
        }
    }

    private static String causeChain(final Throwable failure)
    {
        final StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause())
        {
            text.append(t).append('\n');
        }
        return text.toString();
    }
}
