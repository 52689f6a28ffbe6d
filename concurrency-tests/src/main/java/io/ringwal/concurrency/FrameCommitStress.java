package io.ringwal.concurrency;

import java.nio.ByteBuffer;

import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import io.ringwal.format.FrameChecksum;
import io.ringwal.format.FrameDescriptor;

/**
 * A frame committed the way the writer commits it (sequence, type, payload and CRC with plain stores, then the
 * length with {@link FrameDescriptor#frameLengthRelease}) and read the way a concurrent reader reads it
 * ({@link FrameDescriptor#frameLengthVolatile}, then the rest with plain loads and the CRC recomputed with
 * {@link FrameChecksum}): the reader sees either no frame, or the whole frame. A length without its payload
 * would be a reader returning garbage or failing on a good journal.
 *
 * <p>r1: the length the reader saw; r2: 1 if the payload and the CRC were complete and matched, 0 if not.
 */
@JCStressTest
@Description("A committed frame's length is never visible before its payload and CRC")
@Outcome(id = "0, 0", expect = Expect.ACCEPTABLE, desc = "length not yet visible: nothing there yet")
@Outcome(id = "56, 1", expect = Expect.ACCEPTABLE, desc = "length and the whole frame")
@Outcome(id = "56, 0", expect = Expect.FORBIDDEN, desc = "length without its whole payload and CRC")
@State
public class FrameCommitStress
{
    private static final int PAYLOAD_LENGTH = 32;
    private static final int FRAME_LENGTH = FrameDescriptor.frameLength(PAYLOAD_LENGTH);
    private static final long SEQUENCE = 42;

    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(128));
    private final ByteBuffer writerView = buffer.byteBuffer().duplicate();
    private final ByteBuffer readerView = buffer.byteBuffer().duplicate();
    private final FrameChecksum writerChecksum = new FrameChecksum();
    private final FrameChecksum readerChecksum = new FrameChecksum();

    private static byte payloadByte(final int index)
    {
        return (byte)(index * 7 + 1);
    }

    /** The writer: everything with plain stores, then the length with a release store. */
    @Actor
    public void writer()
    {
        final UnsafeBuffer buffer = this.buffer;
        buffer.putLong(FrameDescriptor.SEQUENCE_OFFSET, SEQUENCE, FrameDescriptor.BYTE_ORDER);
        buffer.putShort(FrameDescriptor.TYPE_OFFSET, FrameDescriptor.TYPE_DATA, FrameDescriptor.BYTE_ORDER);
        for (int i = 0; i < PAYLOAD_LENGTH; i++)
        {
            buffer.putByte(FrameDescriptor.HEADER_LENGTH + i, payloadByte(i));
        }
        buffer.putInt(FrameDescriptor.CRC_OFFSET,
            writerChecksum.compute(writerView, 0, FRAME_LENGTH, FrameDescriptor.TYPE_DATA),
            FrameDescriptor.BYTE_ORDER);
        FrameDescriptor.frameLengthRelease(buffer, 0, FRAME_LENGTH);
    }

    /**
     * The reader: the length with an acquire load, then the frame.
     *
     * @param result r1 length, r2 whether the frame was whole.
     */
    @Actor
    public void reader(final II_Result result)
    {
        final UnsafeBuffer buffer = this.buffer;
        final int length = FrameDescriptor.frameLengthVolatile(buffer, 0);
        result.r1 = length;
        if (length <= 0)
        {
            return;
        }
        boolean whole = FrameDescriptor.sequence(buffer, 0) == SEQUENCE &&
            FrameDescriptor.frameType(buffer, 0) == FrameDescriptor.TYPE_DATA;
        for (int i = 0; i < PAYLOAD_LENGTH; i++)
        {
            whole &= buffer.getByte(FrameDescriptor.HEADER_LENGTH + i) == payloadByte(i);
        }
        whole &= FrameDescriptor.crc(buffer, 0) ==
            readerChecksum.compute(readerView, 0, length, FrameDescriptor.frameType(buffer, 0));
        result.r2 = whole ? 1 : 0;
    }
}
