package io.ringwal.concurrency;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
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
 *
 * <p>{@link RecycledSegmentStress} commits a frame in a recycled segment, where the next frame position holds a
 * complete, valid stale frame of the file's earlier use (with a stale sequence, or hostile: exactly the next
 * sequence, so only the zeroed length stands between it and a reader).
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

    /** Frame N's sequence in the recycled-segment tests. */
    static final long COMMITTED_SEQUENCE = 42;
    /** Where the frame after N starts. */
    static final int NEXT_OFFSET = FrameDescriptor.alignedLength(FRAME_LENGTH);
    /** r3: the reader did not look at the next position (frame N not visible yet). */
    static final int NOT_LOOKED = 0;
    /** r3: the next length read as zero: nothing after frame N yet. */
    static final int NOTHING_NEXT = 1;
    /** r3: the stale frame passed as the frame after N (CRC valid, sequence N + 1): a reader would deliver it. */
    static final int STALE_ACCEPTED = 2;
    /** r3: a non-zero length whose frame failed the CRC or sequence check: a reader would report damage. */
    static final int STALE_REJECTED = 3;

    /**
     * A frame N committed in a recycled segment while a reader in another process tails it. The memory at offset
     * 0 is the position of frame N (its length zeroed by the commit before it, the rest stale); at
     * {@link #NEXT_OFFSET} lies a complete stale frame of the file's earlier use, valid CRC, length in place. In
     * alternate instances its sequence is stale (below the segment's base, as retention guarantees) or, the
     * hostile case, exactly N + 1, so that the reader's sequence and CRC checks would accept it and only the
     * length the writer zeroes before its release store keeps it unread. Forbidden: the reader sees frame N and
     * then a non-zero length after it (delivered as record N + 1, or reported as damage on a good journal).
     *
     * <p>r1: frame N's length; r2: the next length; r3: 0 did not look further (frame N not visible), 1 nothing
     * next (zero length), 2 the stale frame passed the sequence and CRC checks (only possible in the hostile
     * instances), 3 a non-zero length whose frame failed them.
     */
    @JCStressTest
    @Description("Recycled segment: the valid stale frame after a committed frame is never visible to a reader")
    @Outcome(id = "0, 0, 0", expect = Expect.ACCEPTABLE, desc = "frame N not visible yet")
    @Outcome(id = "56, 0, 1", expect = Expect.ACCEPTABLE, desc = "frame N, then a zero length: nothing next")
    @Outcome(id = "56, 56, 2", expect = Expect.FORBIDDEN, desc = "stale frame (sequence N + 1) delivered as N + 1")
    @Outcome(id = "56, 56, 3", expect = Expect.FORBIDDEN, desc = "stale length after frame N: damage reported")
    @State
    public static class RecycledSegmentStress
    {
        private static final AtomicLong INSTANCES = new AtomicLong();

        private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(256));
        private final ByteBuffer writerView = buffer.byteBuffer().duplicate();
        private final ByteBuffer readerView = buffer.byteBuffer().duplicate();
        private final FrameChecksum writerChecksum = new FrameChecksum();
        private final FrameChecksum readerChecksum = new FrameChecksum();

        /** Alternately a stale sequence well below the base and, hostile, exactly the next sequence. */
        public RecycledSegmentStress()
        {
            final long staleSequence = (INSTANCES.getAndIncrement() & 1) == 0 ? COMMITTED_SEQUENCE - 20 :
                COMMITTED_SEQUENCE + 1;
            final FrameChecksum checksum = new FrameChecksum();
            final ByteBuffer view = buffer.byteBuffer().duplicate();
            // frame N's position: a stale frame of the earlier use whose length the previous commit zeroed
            StressFrames.writeDataFrame(buffer, view, checksum, 0, staleSequence - 7, PAYLOAD_LENGTH, (byte)0x5A);
            buffer.putInt(FrameDescriptor.LENGTH_OFFSET, 0);
            // the next position: a complete stale frame, valid CRC, length already there
            StressFrames.writeDataFrame(buffer, view, checksum, NEXT_OFFSET, staleSequence, PAYLOAD_LENGTH, (byte)0x33);
        }

        /** The writer's commit of frame N: plain stores, the next length zeroed, then the release store. */
        @Actor
        public void writer()
        {
            final UnsafeBuffer buffer = this.buffer;
            buffer.putLong(FrameDescriptor.SEQUENCE_OFFSET, COMMITTED_SEQUENCE, FrameDescriptor.BYTE_ORDER);
            buffer.putShort(FrameDescriptor.TYPE_OFFSET, FrameDescriptor.TYPE_DATA, FrameDescriptor.BYTE_ORDER);
            for (int i = 0; i < PAYLOAD_LENGTH; i++)
            {
                buffer.putByte(FrameDescriptor.HEADER_LENGTH + i, payloadByte(i));
            }
            buffer.putInt(FrameDescriptor.CRC_OFFSET,
                writerChecksum.compute(writerView, 0, FRAME_LENGTH, FrameDescriptor.TYPE_DATA),
                FrameDescriptor.BYTE_ORDER);
            // SegmentAppender.clearNextLength: a plain store, ordered before the release store below
            buffer.putInt(NEXT_OFFSET + FrameDescriptor.LENGTH_OFFSET, 0);
            FrameDescriptor.frameLengthRelease(buffer, 0, FRAME_LENGTH);
        }

        /**
         * A tailing reader: frame N's length (acquire), then the next position's length (acquire) and frame.
         *
         * @param result see the class comment.
         */
        @Actor
        public void reader(final III_Result result)
        {
            final UnsafeBuffer buffer = this.buffer;
            final int length = FrameDescriptor.frameLengthVolatile(buffer, 0);
            result.r1 = length;
            if (length <= 0)
            {
                result.r3 = NOT_LOOKED;
                return;
            }
            final int next = FrameDescriptor.frameLengthVolatile(buffer, NEXT_OFFSET);
            result.r2 = next;
            if (next == 0)
            {
                result.r3 = NOTHING_NEXT;
                return;
            }
            final short type = FrameDescriptor.frameType(buffer, NEXT_OFFSET);
            final boolean valid = next >= FrameDescriptor.HEADER_LENGTH &&
                next <= buffer.capacity() - NEXT_OFFSET &&
                FrameDescriptor.sequence(buffer, NEXT_OFFSET) == COMMITTED_SEQUENCE + 1 &&
                FrameDescriptor.crc(buffer, NEXT_OFFSET) ==
                readerChecksum.compute(readerView, NEXT_OFFSET, next, type);
            result.r3 = valid ? STALE_ACCEPTED : STALE_REJECTED;
        }
    }

}
