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

import io.ringwal.segment.PreallocationMode;
import io.ringwal.segment.internal.SegmentPreallocator;

/**
 * The ceiling for {@link AppendBenchmark}: copy the same payload, behind a 4-byte length header and padded to
 * 8 bytes, into a pretouched 256 MiB {@link MappedByteBuffer} with {@link UnsafeBuffer#putBytes}. No CRC, no
 * sequence, no release store, no force. When the mapping is full it wraps to the start of the same mapping:
 * <b>the ceiling never rotates and never forces</b>, so it is the memory-bandwidth bound of "append into a
 * mapped file". Each op is one record; bytes/s = ops/s × payload size.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "-Dagrona.disable.bounds.checks=true", "-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PlainMappedCopyBenchmark
{
    /** Size of the mapping: 256 MiB, as {@link AppendBenchmark}'s segments. */
    public static final int SIZE = AppendBenchmark.SEGMENT_SIZE;

    /** Payload size in bytes. */
    @Param({"64", "1024"})
    public int payloadSize;

    private Path directory;
    private FileChannel channel;
    private MappedByteBuffer mapped;
    private UnsafeBuffer buffer;
    private UnsafeBuffer payload;
    private int position;
    private int frameLength;

    /**
     * Preallocates (DIRECT, as the journal does), maps and pretouches the file.
     *
     * @throws IOException if the file cannot be created.
     */
    @Setup(Level.Trial)
    public void open() throws IOException
    {
        directory = BenchDirs.fresh("plain-copy");
        final Path file = directory.resolve("plain.seg");
        SegmentPreallocator.preallocate(file, SIZE, PreallocationMode.DIRECT);
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, SIZE);
        mapped.load();
        buffer = new UnsafeBuffer(mapped);
        payload = new UnsafeBuffer(ByteBuffer.allocateDirect(payloadSize));
        for (int i = 0; i < payloadSize; i++)
        {
            payload.putByte(i, (byte)i);
        }
        frameLength = BitUtil.align(Integer.BYTES + payloadSize, 8);
    }

    /**
     * Unmaps and deletes the file.
     *
     * @throws IOException if closing fails.
     */
    @TearDown(Level.Trial)
    public void close() throws IOException
    {
        IoUtil.unmap(mapped);
        channel.close();
        BenchDirs.delete(directory);
    }

    /**
     * Copies one record behind a length header.
     *
     * @return the offset written.
     */
    @Benchmark
    public int copy()
    {
        int offset = position;
        if (offset + frameLength > SIZE)
        {
            offset = 0;
        }
        final UnsafeBuffer buffer = this.buffer;
        buffer.putInt(offset, payloadSize);
        buffer.putBytes(offset + Integer.BYTES, payload, 0, payloadSize);
        position = offset + frameLength;
        return offset;
    }
}
