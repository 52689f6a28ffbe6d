package io.ringwal.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import io.ringwal.concurrency.StressFrames;
import io.ringwal.format.FrameChecksum;
import io.ringwal.format.FrameDescriptor;
import io.ringwal.segment.internal.MappedSegment;
import io.ringwal.segment.PretouchMode;

/**
 * The staged write mode's copy ({@link FrameStage#copyTo}: the batch with its first length zero by positional
 * {@code write(2)}, then that length) racing a reader that tails the file through a shared mapping, the way a
 * reader in another process does. Frame N spans three pages, so a copy seen half done would show; the position
 * after it holds a complete stale frame of the file's earlier use with a valid CRC, in alternate instances with a
 * stale sequence and, hostile, exactly N + 1, so that only the zeroed length in the copy keeps it unread.
 * Forbidden: frame N's length visible without the whole frame behind it, or a non-zero length after it.
 *
 * <p>r1: frame N's length; r2: 1 if frame N was whole (sequence, type, every payload byte, CRC), else 0; r3: 0 did
 * not look further (frame N not visible), 1 a zero length next, 2 the stale frame passed the sequence and CRC
 * checks, 3 a non-zero next length whose frame failed them.
 */
@JCStressTest
@Description("Staged copy: a reader of the mapping sees no frame or the whole frame, and nothing stale after it")
@Outcome(id = "0, 0, 0", expect = Expect.ACCEPTABLE, desc = "frame N not visible yet")
@Outcome(id = "13280, 1, 1", expect = Expect.ACCEPTABLE, desc = "frame N whole, then a zero length")
@Outcome(id = "13280, 0, .*", expect = Expect.FORBIDDEN, desc = "frame N's length without the whole frame")
@Outcome(id = "13280, 1, 2", expect = Expect.FORBIDDEN, desc = "stale frame (sequence N + 1) after frame N")
@Outcome(id = "13280, 1, 3", expect = Expect.FORBIDDEN, desc = "stale length after frame N: damage reported")
@Outcome(expect = Expect.FORBIDDEN, desc = "any other length: a stale or torn length read as frame N's")
@State
public class StagedCopyStress
{
    private static final int PAYLOAD_LENGTH = 3 * 4096 + 1000 - FrameDescriptor.HEADER_LENGTH - 8;
    private static final int FRAME_LENGTH = FrameDescriptor.frameLength(PAYLOAD_LENGTH);
    private static final int NEXT_OFFSET = FrameDescriptor.alignedLength(FRAME_LENGTH);
    private static final int SLOT = 32 * 1024;
    private static final int SLOTS = 8 * 1024;
    private static final long COMMITTED_SEQUENCE = 42;
    private static final MappedSegment FILE = mapFile();
    private static final AtomicLong INSTANCES = new AtomicLong();
    private static final ThreadLocal<FrameStage> STAGES = ThreadLocal.withInitial(() -> new FrameStage(SLOT));
    private static final ThreadLocal<FrameChecksum> CHECKSUMS = ThreadLocal.withInitial(FrameChecksum::new);

    private final int slot;
    private final UnsafeBuffer mapped;
    private final ByteBuffer mappedView;

    /** Puts the stale bytes of an earlier use into this instance's slot of the file. */
    public StagedCopyStress()
    {
        final long instance = INSTANCES.getAndIncrement();
        slot = (int)(instance % SLOTS) * SLOT;
        mapped = new UnsafeBuffer(FILE.buffer(), slot, SLOT);
        mappedView = FILE.buffer().byteBuffer().duplicate().position(slot).limit(slot + SLOT).slice();
        final long staleSequence = (instance & 1) == 0 ? COMMITTED_SEQUENCE - 20 : COMMITTED_SEQUENCE + 1;
        final FrameChecksum checksum = new FrameChecksum();
        // frame N's position: stale bytes whose length the commit before zeroed
        StressFrames.writeDataFrame(mapped, mappedView, checksum, 0, staleSequence - 7, PAYLOAD_LENGTH, (byte)0x5A);
        mapped.putInt(FrameDescriptor.LENGTH_OFFSET, 0);
        // the next position: a complete stale frame, valid CRC, length in place
        StressFrames.writeDataFrame(mapped, mappedView, checksum, NEXT_OFFSET,
            staleSequence, PAYLOAD_LENGTH, (byte)0x33);
        FILE.buffer().putIntVolatile(slot + NEXT_OFFSET + FrameDescriptor.LENGTH_OFFSET, FRAME_LENGTH);
    }

    private static MappedSegment mapFile()
    {
        try
        {
            final Path file = Files.createTempFile("ringwal-staged-copy-stress", ".seg");
            file.toFile().deleteOnExit();
            try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE))
            {
                channel.write(ByteBuffer.allocate(1), (long)SLOT * SLOTS - 1);
            }
            return MappedSegment.map(file, PretouchMode.NONE);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static byte payloadByte(final int index)
    {
        return (byte)(index * 7 + 1);
    }

    /** The writer: frame N and the zeroed length after it built in the stage, then the two-step copy. */
    @Actor
    public void writer()
    {
        final FrameStage stage = STAGES.get();
        final UnsafeBuffer buffer = stage.buffer();
        buffer.putLong(FrameDescriptor.SEQUENCE_OFFSET, COMMITTED_SEQUENCE, FrameDescriptor.BYTE_ORDER);
        buffer.putLong(FrameDescriptor.TYPE_OFFSET, FrameDescriptor.TYPE_DATA, FrameDescriptor.BYTE_ORDER);
        for (int i = 0; i < PAYLOAD_LENGTH; i++)
        {
            buffer.putByte(FrameDescriptor.HEADER_LENGTH + i, payloadByte(i));
        }
        buffer.putInt(FrameDescriptor.CRC_OFFSET,
            CHECKSUMS.get().compute(stage.checksumView(), 0, FRAME_LENGTH, FrameDescriptor.TYPE_DATA),
            FrameDescriptor.BYTE_ORDER);
        buffer.putInt(NEXT_OFFSET + FrameDescriptor.LENGTH_OFFSET, 0);
        FrameDescriptor.frameLengthRelease(buffer, 0, FRAME_LENGTH);
        try
        {
            stage.copyTo(FILE, slot, NEXT_OFFSET + Integer.BYTES, -1); // one frame: no last frame to write apart
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * A tailing reader of the mapping: frame N's length (acquire), the frame, then the next length (acquire).
     *
     * @param result see the class comment.
     */
    @Actor
    public void reader(final III_Result result)
    {
        final UnsafeBuffer buffer = mapped;
        final int length = FrameDescriptor.frameLengthVolatile(buffer, 0);
        result.r1 = length;
        if (length <= 0)
        {
            return;
        }
        boolean whole = length == FRAME_LENGTH && FrameDescriptor.sequence(buffer, 0) == COMMITTED_SEQUENCE &&
            FrameDescriptor.frameType(buffer, 0) == FrameDescriptor.TYPE_DATA;
        for (int i = 0; i < PAYLOAD_LENGTH && whole; i++)
        {
            whole = buffer.getByte(FrameDescriptor.HEADER_LENGTH + i) == payloadByte(i);
        }
        final FrameChecksum checksum = CHECKSUMS.get();
        whole &= FrameDescriptor.crc(buffer, 0) == checksum.compute(mappedView, 0, FRAME_LENGTH,
            FrameDescriptor.TYPE_DATA);
        result.r2 = whole ? 1 : 0;
        final int next = FrameDescriptor.frameLengthVolatile(buffer, NEXT_OFFSET);
        if (next == 0)
        {
            result.r3 = 1;
            return;
        }
        final boolean valid = next == FRAME_LENGTH &&
            FrameDescriptor.sequence(buffer, NEXT_OFFSET) == COMMITTED_SEQUENCE + 1 &&
            FrameDescriptor.crc(buffer, NEXT_OFFSET) == checksum.compute(mappedView, NEXT_OFFSET, next,
                FrameDescriptor.TYPE_DATA);
        result.r3 = valid ? 2 : 3;
    }
}
