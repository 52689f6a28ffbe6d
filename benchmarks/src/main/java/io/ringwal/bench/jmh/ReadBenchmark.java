package io.ringwal.bench.jmh;

import java.util.concurrent.TimeUnit;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalReader;
import io.ringwal.journal.JournalWriter;
import io.ringwal.journal.RecordHandler;

/**
 * Replay throughput of {@link JournalReader#poll}: every record's sequence and CRC32C are checked before it is
 * delivered. The trial writes 512 MiB of records (two 256 MiB segments, so the reader crosses a segment
 * boundary) and closes the writer; the benchmark polls up to {@code limit} records per op, and when the reader
 * reaches the end it reopens at sequence 0 (inside the measured time, once per 512 MiB). The files are in the
 * page cache (just written): this is hot replay, bounded by CRC32C and memory, not by the disk.
 *
 * <p>Results: the {@code records} and {@code bytes} secondary results are records/s and payload bytes/s; the
 * primary score is polls/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "-Dagrona.disable.bounds.checks=true", "-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ReadBenchmark
{
    /** Bytes of records written for the trial. */
    public static final long JOURNAL_BYTES = 512L * 1024 * 1024;

    /** Payload size in bytes. */
    @Param({"64", "1024"})
    public int payloadSize;

    /** Most records per poll. */
    @Param({"64"})
    public int limit;

    private java.nio.file.Path directory;
    private JournalReader reader;
    private final Consumer consumer = new Consumer();

    /** Counts what was read: records/s and bytes/s as secondary results. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Counters
    {
        /** Records delivered. */
        public long records;
        /** Payload bytes delivered. */
        public long bytes;

        /**
         * Clears the counters for the next iteration.
         */
        @Setup(Level.Iteration)
        public void clear()
        {
            records = 0;
            bytes = 0;
        }
    }

    static final class Consumer implements RecordHandler
    {
        long bytes;
        long checksum;

        @Override
        public void onRecord(final long sequence, final DirectBuffer buffer, final int offset, final int length)
        {
            bytes += length;
            checksum += buffer.getByte(offset + length - 1);
        }
    }

    /**
     * Writes the journal and opens a reader at sequence 0.
     */
    @Setup(Level.Trial)
    public void open()
    {
        directory = BenchDirs.fresh("read");
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[payloadSize]);
        for (int i = 0; i < payloadSize; i++)
        {
            payload.putByte(i, (byte)i);
        }
        try (JournalWriter writer = JournalWriter.open(directory, JournalConfig.builder()
            .segmentSize(AppendBenchmark.SEGMENT_SIZE)
            .forcePolicy(ForcePolicy.never())
            .build()))
        {
            long written = 0;
            while (written < JOURNAL_BYTES)
            {
                writer.append(payload, 0, payloadSize);
                written += payloadSize + 24;
            }
        }
        reader = JournalReader.open(directory, 0);
    }

    /**
     * Closes the reader and deletes the journal.
     */
    @TearDown(Level.Trial)
    public void close()
    {
        reader.close();
        BenchDirs.delete(directory);
    }

    /**
     * Polls up to {@code limit} records; at the end of the journal starts again from sequence 0.
     *
     * @param counters the record and byte counters.
     * @return a value derived from the payloads.
     */
    @Benchmark
    public long poll(final Counters counters)
    {
        final Consumer consumer = this.consumer;
        final long bytesBefore = consumer.bytes;
        int read = reader.poll(consumer, limit);
        if (read == 0)
        {
            reader.close();
            reader = JournalReader.open(directory, 0);
            read = reader.poll(consumer, limit);
        }
        counters.records += read;
        counters.bytes += consumer.bytes - bytesBefore;
        return consumer.checksum;
    }
}
