package io.ringwal.disruptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalClosedException;
import io.ringwal.journal.JournalConfig;

/**
 * The written notification, for {@code never} users: awaitWritten and the written listener report records in
 * the mapped segment while the durable watermark stays put.
 */
class PipelineWrittenNotificationTest
{
    @TempDir
    Path dir;

    @Test
    void shouldWakeWrittenWaitersAndTellTheListenerUnderNeverWhileNothingIsDurable() throws Exception
    {
        final List<Long> told = new CopyOnWriteArrayList<>();
        final JournalPipeline pipeline = JournalPipeline.builder(dir)
            .journalConfig(JournalConfig.builder().segmentSize(4 * 1024 * 1024).forcePolicy(ForcePolicy.never())
                .build())
            .ringSize(1024).writtenListener(told::add).build().start();
        final byte[] record = new byte[32];
        long last = -1;
        try
        {
            final Thread waiter = new Thread(() ->
            {
                try
                {
                    pipeline.awaitWritten(4_999);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            });
            waiter.start();
            Thread.sleep(20); // the waiter parks
            for (int i = 0; i < 5_000; i++)
            {
                last = pipeline.publish(record, 0, record.length);
            }
            waiter.join(10_000);
            assertThat(waiter.isAlive()).as("the parked written-waiter was woken").isFalse();
            assertThat(pipeline.awaitWritten(last, 10, TimeUnit.SECONDS)).isTrue();
            assertThat(pipeline.writtenSequence()).isEqualTo(last);
            assertThat(pipeline.durableSequence()).as("never forces before close").isEqualTo(-1);
            assertThat(pipeline.awaitWritten(last + 1, 20, TimeUnit.MILLISECONDS)).as("not published").isFalse();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!told.contains(last) && System.nanoTime() < deadline)
            {
                Thread.sleep(1);
            }
            assertThat(told).as("the listener heard of the last record").contains(last).isSorted()
                .doesNotHaveDuplicates();
        }
        finally
        {
            pipeline.close();
        }
        final long end = last;
        assertThatThrownBy(() -> pipeline.awaitWritten(end + 1)).isInstanceOf(JournalClosedException.class);
        pipeline.awaitWritten(end); // written before the close: returns at once
    }
}
