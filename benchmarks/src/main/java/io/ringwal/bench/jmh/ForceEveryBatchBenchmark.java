package io.ringwal.bench.jmh;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import org.agrona.BitUtil;
import org.agrona.concurrent.UnsafeBuffer;
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

import io.ringwal.bench.load.CounterSnapshot;
import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalWriter;
import io.ringwal.segment.PreallocationMode;
import io.ringwal.segment.PretouchMode;
import io.ringwal.segment.internal.SegmentPreallocator;

/**
 * Durable (force-every-batch) throughput with 1 KiB records on one thread: each op appends a batch of
 * {@code batch} records and ends the batch, which forces them. Score = batches/s; records/s = score × batch.
 * <ul>
 *     <li>{@code ringwal}: {@link JournalWriter} with {@link ForcePolicy#everyBatch()} and the default 64 MiB
 *     segments and DIRECT preallocation. Rotations (and the allocator's zero-filling of the next segment, which
 *     doubles the bytes written to disk) are part of the cost; each iteration prints their share.</li>
 *     <li>{@code groupCommitBaseline}: the classic group commit: frame the batch (same 24-byte header + payload
 *     per record, no CRC) into a direct buffer, {@code FileChannel.write} it at the file position, then
 *     {@code force(false)} (fdatasync). The file is a 256 MiB zero-filled (DIRECT) preallocated file, reused by
 *     wrapping to the start: no allocation, no rotation.</li>
 * </ul>
 *     <li>{@code groupCommitJournal}: the same group commit, but written the way a journal has to write it: every
 *     byte once, into a sequence of 64 MiB files, each made when the previous one is full, on the same thread,
 *     and deleted after it is filled to keep the disk from filling up. With {@code prepare=ZERO_FILL} each file
 *     is zero-filled with page-sized writes and forced first (real blocks, as ringwal's allocator does); with
 *     {@code prepare=FALLOCATE} it gets unwritten extents from {@code fallocate(1)}; with {@code prepare=NONE}
 *     the writes extend an empty file. This is the baseline that pays for the blocks as ringwal does.</li>
 * </ul>
 * Run side by side: {@code ./ringwal jmh -f 1 -wi 3 -w 2s -i 5 -r 2s ForceEveryBatch}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "-Dagrona.disable.bounds.checks=true", "-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ForceEveryBatchBenchmark
{
    /** Payload size: 1 KiB. */
    public static final int PAYLOAD = 1024;

    /** The ringwal journal. */
    @State(Scope.Thread)
    public static class Ringwal
    {
        /** Records per batch. */
        @Param({"16", "64"})
        public int batch;

        /** How the allocator pretouches new segments. */
        @Param({"WRITE"})
        public PretouchMode pretouch;

        /** How segment files get their blocks. */
        @Param({"DIRECT", "BUFFERED_PAGES", "ADAPTIVE"})
        public PreallocationMode preallocation;

        private Path directory;
        private JournalWriter writer;
        private UnsafeBuffer payload;
        private final CounterSnapshot iterationStart = new CounterSnapshot();
        private long iterationStartNanos;

        /**
         * Opens a fresh journal.
         */
        @Setup(Level.Trial)
        public void open()
        {
            directory = BenchDirs.fresh("force-every-batch");
            writer = JournalWriter.open(directory, JournalConfig.builder()
                .forcePolicy(ForcePolicy.everyBatch())
                .pretouchMode(pretouch)
                .preallocationMode(preallocation)
                .build());
            payload = new UnsafeBuffer(ByteBuffer.allocateDirect(PAYLOAD));
        }

        /**
         * Notes the counters at the start of an iteration.
         */
        @Setup(Level.Iteration)
        public void startIteration()
        {
            iterationStart.copyFrom(writer.counters());
            iterationStartNanos = System.nanoTime();
        }

        /**
         * Prints where the iteration's time went.
         */
        @TearDown(Level.Iteration)
        public void endIteration()
        {
            BenchDirs.printIteration("every-batch " + batch, writer, iterationStart,
                System.nanoTime() - iterationStartNanos);
        }

        /**
         * Closes and deletes the journal.
         */
        @TearDown(Level.Trial)
        public void close()
        {
            writer.close();
            BenchDirs.delete(directory);
        }
    }

    /**
     * The group-commit side's batch: frames {@code batch} records (24-byte header with length and sequence, no
     * CRC, then the payload) into one direct buffer, writes it at a position and forces.
     */
    static final class FramedBatch
    {
        private final int records;
        private final int frameLength = BitUtil.align(24 + PAYLOAD, 8);
        private final ByteBuffer buffer;
        private final UnsafeBuffer view;
        private final UnsafeBuffer payload = new UnsafeBuffer(ByteBuffer.allocateDirect(PAYLOAD));
        private long sequence;

        FramedBatch(final int records)
        {
            this.records = records;
            this.buffer = ByteBuffer.allocateDirect(frameLength * records).order(ByteOrder.LITTLE_ENDIAN);
            this.view = new UnsafeBuffer(buffer);
        }

        /**
         * Frames the next batch of records into the buffer.
         *
         * @return the batch's length in bytes.
         */
        int frame()
        {
            int offset = 0;
            for (int i = 0; i < records; i++)
            {
                view.putInt(offset, 24 + PAYLOAD, ByteOrder.LITTLE_ENDIAN);
                view.putLong(offset + 8, sequence++, ByteOrder.LITTLE_ENDIAN);
                view.putBytes(offset + 24, payload, 0, PAYLOAD);
                offset += frameLength;
            }
            buffer.clear().limit(offset);
            return offset;
        }

        /**
         * Writes the framed batch at {@code position} and forces it (fdatasync).
         *
         * @param channel  the file.
         * @param position where the batch goes.
         * @return the position after the batch.
         * @throws IOException if the write or the force fails.
         */
        long writeAndForce(final FileChannel channel, final long position) throws IOException
        {
            long next = position;
            while (buffer.hasRemaining())
            {
                next += channel.write(buffer, next);
            }
            channel.force(false);
            return next;
        }
    }

    /** The pwrite + fdatasync baseline. */
    @State(Scope.Thread)
    public static class Baseline
    {
        /** Size of the preallocated file: 256 MiB. */
        public static final int FILE_SIZE = 256 * 1024 * 1024;

        /** Records per batch. */
        @Param({"16", "64"})
        public int batch;

        private Path directory;
        private FileChannel channel;
        private FramedBatch framed;
        private long position;

        /**
         * Preallocates the file and opens it.
         *
         * @throws IOException if the file cannot be created.
         */
        @Setup(Level.Trial)
        public void open() throws IOException
        {
            directory = BenchDirs.fresh("group-commit");
            final Path file = directory.resolve("baseline.log");
            SegmentPreallocator.preallocate(file, FILE_SIZE, PreallocationMode.DIRECT);
            channel = FileChannel.open(file, StandardOpenOption.WRITE);
            framed = new FramedBatch(batch);
        }

        /**
         * Closes and deletes the file.
         *
         * @throws IOException if closing fails.
         */
        @TearDown(Level.Trial)
        public void close() throws IOException
        {
            channel.close();
            BenchDirs.delete(directory);
        }
    }

    /** A group commit into a sequence of 64 MiB files, each written once. */
    @State(Scope.Thread)
    public static class JournalBaseline
    {
        /** Size of each file: 64 MiB, ringwal's default segment size. */
        public static final int FILE_SIZE = 64 * 1024 * 1024;

        /** Records per batch. */
        @Param({"16", "64"})
        public int batch;

        /** How each new file gets its blocks: ZERO_FILL, FALLOCATE or NONE. */
        @Param({"ZERO_FILL"})
        public String prepare;

        private Path directory;
        private Path file;
        private FileChannel channel;
        private FramedBatch framed;
        private long position;
        private int files;

        /**
         * Creates the directory and the first file.
         *
         * @throws IOException if the file cannot be created.
         */
        @Setup(Level.Trial)
        public void open() throws IOException
        {
            directory = BenchDirs.fresh("group-commit-journal");
            framed = new FramedBatch(batch);
            nextFile();
        }

        /**
         * Closes the current file, deletes it and starts the next one (made as {@link #prepare} says).
         *
         * @throws IOException if a file cannot be made.
         */
        void nextFile() throws IOException
        {
            if (channel != null)
            {
                channel.close();
                Files.delete(file);
            }
            file = directory.resolve(String.format("%08d.log", files++));
            switch (prepare)
            {
                case "ZERO_FILL" -> SegmentPreallocator.preallocate(file, FILE_SIZE, PreallocationMode.BUFFERED_PAGES);
                case "FALLOCATE" -> fallocate(file);
                case "NONE" -> Files.createFile(file);
                default -> throw new IllegalArgumentException("prepare=" + prepare +
                    ": expected ZERO_FILL, FALLOCATE or NONE");
            }
            channel = FileChannel.open(file, StandardOpenOption.WRITE);
            if (!"ZERO_FILL".equals(prepare))
            {
                channel.force(true);
            }
            position = 0;
        }

        private static void fallocate(final Path file) throws IOException
        {
            final Process process = new ProcessBuilder("fallocate", "-l", Integer.toString(FILE_SIZE),
                file.toString()).inheritIO().start();
            try
            {
                if (process.waitFor() != 0)
                {
                    throw new IOException("fallocate -l " + FILE_SIZE + " " + file + " exited with " +
                        process.exitValue());
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running fallocate on " + file, ex);
            }
        }

        /**
         * Closes and deletes the files.
         *
         * @throws IOException if closing fails.
         */
        @TearDown(Level.Trial)
        public void close() throws IOException
        {
            channel.close();
            BenchDirs.delete(directory);
        }
    }

    /**
     * One batch through ringwal: append {@code batch} records, end the batch (force).
     *
     * @param state the journal.
     * @return the last sequence.
     */
    @Benchmark
    public long ringwal(final Ringwal state)
    {
        final JournalWriter writer = state.writer;
        long sequence = -1;
        for (int i = 0; i < state.batch; i++)
        {
            sequence = writer.append(state.payload, 0, PAYLOAD);
        }
        writer.endOfBatch();
        return sequence;
    }

    /**
     * One batch through the baseline: frame {@code batch} records into a direct buffer, write, fdatasync.
     *
     * @param state the file.
     * @return the new file position.
     * @throws IOException if the write or force fails.
     */
    @Benchmark
    public long groupCommitBaseline(final Baseline state) throws IOException
    {
        final int length = state.framed.frame();
        if (state.position + length > Baseline.FILE_SIZE)
        {
            state.position = 0;
        }
        state.position = state.framed.writeAndForce(state.channel, state.position);
        return state.position;
    }

    /**
     * One batch through the journal-like group commit: frame {@code batch} records, write them at the end of the
     * current file, fdatasync; a full file is replaced by a new one first.
     *
     * @param state the files.
     * @return the new file position.
     * @throws IOException if the write, force or preparation fails.
     */
    @Benchmark
    public long groupCommitJournal(final JournalBaseline state) throws IOException
    {
        final int length = state.framed.frame();
        if (state.position + length > JournalBaseline.FILE_SIZE)
        {
            state.nextFile();
        }
        state.position = state.framed.writeAndForce(state.channel, state.position);
        return state.position;
    }
}
