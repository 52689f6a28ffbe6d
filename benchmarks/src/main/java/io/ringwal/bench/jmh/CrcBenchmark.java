package io.ringwal.bench.jmh;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import org.agrona.BufferUtil;
import org.agrona.checksum.Crc32c;
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
import org.openjdk.jmh.annotations.Warmup;

import io.ringwal.format.FrameChecksum;
import io.ringwal.format.FrameDescriptor;

/**
 * CRC32C implementations over off-heap memory, for 64 B, 1 KiB and 64 KiB of payload (the design notes' "Agrona's
 * CRC32C over the buffer address, or java.util.zip.CRC32C: measure"). Average time per call:
 * <ul>
 *     <li>{@code jdkByteBuffer}: {@link CRC32C#reset()} then {@link CRC32C#update(ByteBuffer)} over a direct
 *     buffer view (position and limit set per call), {@code getValue()};</li>
 *     <li>{@code agrona}: {@link Crc32c#compute(long, int, int)} over the address: one call, no object; it reaches
 *     the JDK's private {@code CRC32C.updateDirectByteBuffer} intrinsic through a method handle, so the fork
 *     needs {@code --add-opens java.base/java.util.zip=ALL-UNNAMED};</li>
 *     <li>{@code frameChecksum}: {@link FrameChecksum#compute} as the writer calls it for a data frame of
 *     {@code size} bytes of payload: 4 single-byte {@code update(int)} calls for the length, then
 *     {@code update(ByteBuffer)} from the sequence field to the end of the frame;</li>
 *     <li>{@code frameJdkLengthArray}: the same frame CRC with {@link CRC32C}, the length fed as one 4-byte
 *     array update;</li>
 *     <li>{@code frameChained}: the same frame CRC (same value, checked at setup) the way an Agrona-style
 *     implementation would chain it: the intrinsic over a 4-byte off-heap scratch holding the length, then over
 *     the frame from the sequence field, called through a method handle on {@code updateDirectByteBuffer}
 *     (Agrona's {@code Crc32c} always starts from a fresh CRC, so it cannot cover the length and the rest of the
 *     frame, which are not contiguous, in one call).</li>
 * </ul>
 * Run: {@code ./ringwal jmh -f 1 -wi 3 -w 2s -i 5 -r 2s CrcBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-opens", "java.base/java.util.zip=ALL-UNNAMED", "-Dagrona.disable.bounds.checks=true"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CrcBenchmark
{
    private static final MethodHandle UPDATE_DIRECT;

    static
    {
        MethodHandle handle = null;
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(CRC32C.class, MethodHandles.lookup());
            handle = lookup.findStatic(CRC32C.class, "updateDirectByteBuffer",
                MethodType.methodType(int.class, int.class, long.class, int.class, int.class));
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            // IllegalAccessException, or InaccessibleObjectException when java.util.zip is not opened
            handle = null;
        }
        UPDATE_DIRECT = handle;
    }

    /** Payload size in bytes. */
    @Param({"64", "1024", "65536"})
    public int size;

    private ByteBuffer memory;
    private long address;
    private ByteBuffer payloadView;
    private final CRC32C jdk = new CRC32C();
    private ByteBuffer frameView;
    private int frameLength;
    private final FrameChecksum frameChecksum = new FrameChecksum();
    private UnsafeBuffer lengthScratch;
    private long lengthScratchAddress;
    private final byte[] lengthBytes = new byte[4];

    /**
     * Fills a direct buffer with a frame of {@code size} payload bytes and checks that every method agrees.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        if (UPDATE_DIRECT == null)
        {
            throw new IllegalStateException(
                "java.util.zip.CRC32C.updateDirectByteBuffer is not reachable: run the fork with " +
                "--add-opens java.base/java.util.zip=ALL-UNNAMED (Agrona's Crc32c needs it too)");
        }
        frameLength = FrameDescriptor.frameLength(size);
        memory = BufferUtil.allocateDirectAligned(FrameDescriptor.alignedLength(frameLength), 64);
        address = BufferUtil.address(memory);
        final UnsafeBuffer frame = new UnsafeBuffer(memory);
        for (int i = 0; i < frame.capacity(); i++)
        {
            frame.putByte(i, (byte)(i * 31 + 7));
        }
        frame.putLong(FrameDescriptor.SEQUENCE_OFFSET, 123_456_789L, FrameDescriptor.BYTE_ORDER);
        payloadView = memory.duplicate();
        frameView = memory.duplicate();
        lengthScratch = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64, 64));
        lengthScratchAddress = lengthScratch.addressOffset();

        final int viaJdk = jdkByteBuffer();
        final int viaAgrona = agrona();
        if (viaJdk != viaAgrona)
        {
            throw new IllegalStateException("CRC mismatch over " + size + " bytes: JDK " + viaJdk + ", Agrona " +
                viaAgrona);
        }
        final int viaFrame = frameChecksum();
        final int viaChained = frameChained();
        if (viaFrame != viaChained || viaFrame != frameJdkLengthArray())
        {
            throw new IllegalStateException("frame CRC mismatch for " + size + " bytes of payload: FrameChecksum " +
                viaFrame + ", chained " + viaChained);
        }
    }

    /**
     * JDK CRC32C over a direct buffer view.
     *
     * @return the CRC.
     */
    @Benchmark
    public int jdkByteBuffer()
    {
        final CRC32C crc = jdk;
        crc.reset();
        payloadView.limit(size).position(0);
        crc.update(payloadView);
        return (int)crc.getValue();
    }

    /**
     * Agrona's CRC32C over the address.
     *
     * @return the CRC.
     */
    @Benchmark
    public int agrona()
    {
        return Crc32c.INSTANCE.compute(address, 0, size);
    }

    /**
     * The writer's frame CRC.
     *
     * @return the CRC.
     */
    @Benchmark
    public int frameChecksum()
    {
        return frameChecksum.compute(frameView, 0, frameLength, FrameDescriptor.TYPE_DATA);
    }

    /**
     * The frame CRC with {@link CRC32C} only, but the length fed as one 4-byte array update instead of four
     * single-byte updates (to see what the single-byte updates cost).
     *
     * @return the CRC.
     */
    @Benchmark
    public int frameJdkLengthArray()
    {
        final CRC32C crc = jdk;
        final byte[] length = lengthBytes;
        final int frameLength = this.frameLength;
        length[0] = (byte)frameLength;
        length[1] = (byte)(frameLength >>> 8);
        length[2] = (byte)(frameLength >>> 16);
        length[3] = (byte)(frameLength >>> 24);
        crc.reset();
        crc.update(length, 0, 4);
        frameView.limit(frameLength).position(FrameDescriptor.SEQUENCE_OFFSET);
        crc.update(frameView);
        return (int)crc.getValue();
    }

    /**
     * The same frame CRC, chained through the intrinsic over addresses.
     *
     * @return the CRC.
     */
    @Benchmark
    public int frameChained()
    {
        try
        {
            lengthScratch.putInt(0, frameLength, FrameDescriptor.BYTE_ORDER);
            int crc = (int)UPDATE_DIRECT.invokeExact(0xFFFFFFFF, lengthScratchAddress, 0, 4);
            crc = (int)UPDATE_DIRECT.invokeExact(crc, address, FrameDescriptor.SEQUENCE_OFFSET, frameLength);
            return ~crc;
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
