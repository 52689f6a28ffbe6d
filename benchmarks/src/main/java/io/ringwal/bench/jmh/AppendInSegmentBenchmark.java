package io.ringwal.bench.jmh;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import org.agrona.BitUtil;
import org.agrona.IoUtil;
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

import io.ringwal.format.FrameDescriptor;
import io.ringwal.format.SegmentHeaderDescriptor;
import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalWriter;
import io.ringwal.segment.PreallocationMode;
import io.ringwal.segment.PretouchMode;
import io.ringwal.segment.internal.SegmentPreallocator;

/**
 * Append cost <b>with rotation handled explicitly, i.e. excluded</b>: one op fills one fresh, pretouched
 * 256 MiB segment (as many records as fit without rotating), single shot; the setup before each shot (opening a
 * fresh journal, whose allocator preallocates and pretouches the segment; or preallocating and pretouching the
 * plain file) is not timed. Per-record time = score / records per segment; bytes/s follow.
 * <ul>
 *     <li>{@code ringwalFill}: {@link JournalWriter#append} with {@link ForcePolicy#never()};</li>
 *     <li>{@code plainFill}: the ceiling, as {@link PlainMappedCopyBenchmark} (4-byte length header, payload,
 *     8-byte alignment, {@code UnsafeBuffer.putBytes}) into a fresh pretouched mapping of the same size.</li>
 * </ul>
 * Both write every page of a fresh mapping once, so both pay the same first-write (page_mkwrite) faults, unlike
 * the wrapping ceiling in {@link PlainMappedCopyBenchmark}. In ringwal's case the allocator thread starts
 * preparing the next segment at open, so it competes for the second core during the shot, as it would in use.
 * Records per shot: {@value #RECORDS_64} (64 B) and {@value #RECORDS_1K} (1 KiB).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "-Dagrona.disable.bounds.checks=true", "-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5)
@Measurement(iterations = 10)
public class AppendInSegmentBenchmark
{
    /** Records of 64 B per shot: what fits in one 256 MiB segment (88-byte frames). */
    public static final int RECORDS_64 = 3_050_000;
    /** Records of 1 KiB per shot: what fits in one 256 MiB segment (1048-byte frames). */
    public static final int RECORDS_1K = 256_000;

    /** Payload size in bytes. */
    @Param({"64", "1024"})
    public int payloadSize;

    /** How new segments (and the plain mapping) are pretouched. */
    @Param({"READ", "WRITE"})
    public PretouchMode pretouch;

    private int records;
    private Path directory;
    private JournalWriter writer;
    private FileChannel channel;
    private MappedByteBuffer mapped;
    private UnsafeBuffer plain;
    private UnsafeBuffer payload;

    /**
     * Prepares the payload and checks that a shot fits in one segment.
     */
    @Setup(Level.Trial)
    public void payload()
    {
        records = payloadSize == 64 ? RECORDS_64 : RECORDS_1K;
        final long needed = SegmentHeaderDescriptor.HEADER_LENGTH +
            (long)records * FrameDescriptor.alignedLength(FrameDescriptor.frameLength(payloadSize));
        if (payloadSize != 64 && payloadSize != 1024 || needed > AppendBenchmark.SEGMENT_SIZE)
        {
            throw new IllegalStateException("payloadSize " + payloadSize + " not supported");
        }
        payload = new UnsafeBuffer(ByteBuffer.allocateDirect(payloadSize));
        for (int i = 0; i < payloadSize; i++)
        {
            payload.putByte(i, (byte)i);
        }
    }

    /**
     * Opens a fresh journal and a fresh pretouched plain mapping before each shot (only the one the benchmark
     * uses would be needed; both are cheap next to the disk).
     *
     * @throws IOException if the plain file cannot be created.
     */
    @Setup(Level.Iteration)
    public void fresh() throws IOException
    {
        directory = BenchDirs.fresh("in-segment");
        writer = JournalWriter.open(directory.resolve("journal"), JournalConfig.builder()
            .segmentSize(AppendBenchmark.SEGMENT_SIZE)
            .forcePolicy(ForcePolicy.never())
            .pretouchMode(pretouch)
            .build());
        final Path file = directory.resolve("plain.seg");
        SegmentPreallocator.preallocate(file, AppendBenchmark.SEGMENT_SIZE, PreallocationMode.DIRECT);
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, AppendBenchmark.SEGMENT_SIZE);
        plain = new UnsafeBuffer(mapped);
        if (pretouch == PretouchMode.WRITE)
        {
            for (int offset = 0; offset < AppendBenchmark.SEGMENT_SIZE; offset += 4096)
            {
                plain.compareAndSetInt(offset, 0, 0);
            }
        }
        else
        {
            mapped.load();
        }
    }

    /**
     * Closes and deletes both.
     *
     * @throws IOException if closing fails.
     */
    @TearDown(Level.Iteration)
    public void close() throws IOException
    {
        if (writer.counters().rotations() != 1)
        {
            throw new IllegalStateException("the shot rotated: " + writer.counters());
        }
        writer.close();
        IoUtil.unmap(mapped);
        channel.close();
        BenchDirs.delete(directory);
    }

    /**
     * Fills one segment through the journal writer.
     *
     * @return the last sequence.
     */
    @Benchmark
    public long ringwalFill()
    {
        final JournalWriter writer = this.writer;
        final UnsafeBuffer payload = this.payload;
        final int length = payloadSize;
        long sequence = -1;
        for (int i = 0; i < records; i++)
        {
            sequence = writer.append(payload, 0, length);
        }
        return sequence;
    }

    /**
     * Fills the plain mapping with the same records.
     *
     * @return the end offset.
     */
    @Benchmark
    public int plainFill()
    {
        final UnsafeBuffer buffer = plain;
        final UnsafeBuffer payload = this.payload;
        final int length = payloadSize;
        final int frameLength = BitUtil.align(Integer.BYTES + length, 8);
        int offset = SegmentHeaderDescriptor.HEADER_LENGTH;
        for (int i = 0; i < records; i++)
        {
            buffer.putInt(offset, length);
            buffer.putBytes(offset + Integer.BYTES, payload, 0, length);
            offset += frameLength;
        }
        return offset;
    }
}
