package io.ringwal.disruptor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalClosedException;
import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalReader;

/**
 * Many producers: every record lands exactly once, in each producer's order, with contiguous sequences and
 * equal contents; and close while producers are mid-flight keeps everything whose publish returned.
 */
class JournalPipelineConcurrencyTest
{
    private static final int PRODUCERS = 4;
    private static final int MAX_SIZE = 300;

    @TempDir
    Path dir;

    /** A record: producer id (int), index (int), then bytes derived from both; size from 8 to MAX_SIZE. */
    static int recordLength(final int producer, final int index)
    {
        return 8 + (int)(mix(producer, index) % (MAX_SIZE - 7));
    }

    static long mix(final int producer, final int index)
    {
        long x = ((long)producer << 32) ^ index ^ 0x9E3779B97F4A7C15L;
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        return x & Long.MAX_VALUE;
    }

    static int encode(final MutableDirectBuffer buffer, final int producer, final int index)
    {
        final int length = recordLength(producer, index);
        buffer.putInt(0, producer);
        buffer.putInt(4, index);
        for (int i = 8; i < length; i++)
        {
            buffer.putByte(i, (byte)(producer * 31 + index + i));
        }
        return length;
    }

    static void verify(final DirectBuffer buffer, final int offset, final int length, final int producer,
        final int index)
    {
        assertThat(length).isEqualTo(recordLength(producer, index));
        for (int i = 8; i < length; i++)
        {
            if (buffer.getByte(offset + i) != (byte)(producer * 31 + index + i))
            {
                throw new AssertionError("content differs at byte " + i + " of record " + producer + "/" + index);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void shouldLandEveryRecordOnceInProducerOrderWithContiguousSequences(final Framing framing) throws Exception
    {
        runProducers(100_000, framing);
    }

    @Test
    @Tag("slow")
    void shouldLandFourMillionRecordsFromFourProducers() throws Exception
    {
        runProducers(1_000_000, Framing.WRITER);
    }

    private void runProducers(final int perProducer, final Framing framing) throws Exception
    {
        final JournalConfig config = JournalConfig.builder().segmentSize(8 * 1024 * 1024)
            .forcePolicy(ForcePolicy.everyBatch()).build();
        final long[][] returned = new long[PRODUCERS][perProducer];
        final AtomicReference<Throwable> error = new AtomicReference<>();
        try (JournalPipeline pipeline = JournalPipeline.builder(dir).journalConfig(config).ringSize(4096)
            .maxRecordSize(MAX_SIZE).framing(framing).build().start())
        {
            final CountDownLatch go = new CountDownLatch(1);
            final List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++)
            {
                final int producer = p;
                final Thread thread = new Thread(() ->
                {
                    try
                    {
                        final RecordTranslator<int[]> translator =
                            (buffer, arg) -> encode(buffer, arg[0], arg[1]);
                        final int[] arg = {producer, 0};
                        go.await();
                        for (int i = 0; i < perProducer; i++)
                        {
                            arg[1] = i;
                            returned[producer][i] = pipeline.publish(translator, arg);
                        }
                    }
                    catch (final Throwable ex)
                    {
                        error.compareAndSet(null, ex);
                    }
                }, "producer-" + p);
                thread.start();
                threads.add(thread);
            }
            go.countDown();
            for (final Thread thread : threads)
            {
                thread.join();
            }
            assertThat(error.get()).isNull();
            pipeline.awaitDurable((long)PRODUCERS * perProducer - 1);
            assertThat(pipeline.counters().records()).isEqualTo((long)PRODUCERS * perProducer);
        }

        final long total = (long)PRODUCERS * perProducer;
        final int[] nextIndex = new int[PRODUCERS];
        final long[] count = {0};
        try (JournalReader reader = JournalReader.open(dir, 0))
        {
            while (reader.poll((sequence, buffer, offset, length) ->
            {
                assertThat(sequence).isEqualTo(count[0]);
                final int producer = buffer.getInt(offset);
                final int index = buffer.getInt(offset + 4);
                assertThat(index).as("producer %d order", producer).isEqualTo(nextIndex[producer]);
                assertThat(returned[producer][index]).isEqualTo(sequence);
                verify(buffer, offset, length, producer, index);
                nextIndex[producer]++;
                count[0]++;
            }, 10_000) > 0)
            {
                // drain
            }
        }
        assertThat(count[0]).isEqualTo(total);
        assertThat(nextIndex).containsOnly(perProducer);
        final long[] all = Arrays.stream(returned).flatMapToLong(Arrays::stream).sorted().toArray();
        for (int i = 0; i < all.length; i++)
        {
            assertThat(all[i]).isEqualTo(i);
        }
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void shouldKeepEveryReturnedRecordWhenClosedWhileProducersAreMidFlight(final Framing framing) throws Exception
    {
        final JournalConfig config = JournalConfig.builder().segmentSize(1024 * 1024)
            .forcePolicy(ForcePolicy.everyBatch()).build();
        final int capacity = 2_000_000;
        final long[][] returned = new long[PRODUCERS][capacity];
        final int[] published = new int[PRODUCERS];
        final AtomicReference<Throwable> error = new AtomicReference<>();
        final JournalPipeline pipeline = JournalPipeline.builder(dir).journalConfig(config).ringSize(64)
            .maxRecordSize(MAX_SIZE).framing(framing).build().start();
        final CountDownLatch started = new CountDownLatch(PRODUCERS);
        final List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++)
        {
            final int producer = p;
            final Thread thread = new Thread(() ->
            {
                final byte[] scratch = new byte[MAX_SIZE];
                final org.agrona.concurrent.UnsafeBuffer buffer = new org.agrona.concurrent.UnsafeBuffer(scratch);
                started.countDown();
                int i = 0;
                try
                {
                    for (; i < capacity; i++)
                    {
                        final int length = encode(buffer, producer, i);
                        returned[producer][i] = (i & 1) == 0 ? pipeline.publish(scratch, 0, length) :
                            pipeline.publish(buffer, 0, length);
                    }
                }
                catch (final JournalClosedException expected)
                {
                    // the pipeline closed: this record and later ones were refused
                }
                catch (final Throwable ex)
                {
                    error.compareAndSet(null, ex);
                }
                published[producer] = i;
            }, "producer-" + p);
            thread.start();
            threads.add(thread);
        }
        started.await();
        Thread.sleep(150);
        pipeline.close();
        assertThat(pipeline.isClosed()).isTrue();
        for (final Thread thread : threads)
        {
            thread.join();
        }
        assertThat(error.get()).isNull();

        long returnedCount = 0;
        for (int p = 0; p < PRODUCERS; p++)
        {
            returnedCount += published[p];
            assertThat(published[p]).as("producer %d published before close", p).isLessThan(capacity);
        }
        assertThat(returnedCount).isPositive();
        assertThat(pipeline.durableSequence()).isEqualTo(returnedCount - 1);

        final int[] nextIndex = new int[PRODUCERS];
        final long[] count = {0};
        try (JournalReader reader = JournalReader.open(dir, 0))
        {
            while (reader.poll((sequence, buffer, offset, length) ->
            {
                final int producer = buffer.getInt(offset);
                final int index = buffer.getInt(offset + 4);
                assertThat(index).isEqualTo(nextIndex[producer]);
                assertThat(returned[producer][index]).isEqualTo(sequence);
                verify(buffer, offset, length, producer, index);
                nextIndex[producer]++;
                count[0]++;
            }, 10_000) > 0)
            {
                // drain
            }
        }
        assertThat(nextIndex).containsExactly(published);
        assertThat(count[0]).isEqualTo(returnedCount);
    }
}
