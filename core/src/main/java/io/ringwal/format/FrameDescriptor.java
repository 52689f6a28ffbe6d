package io.ringwal.format;

import java.nio.ByteOrder;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

/**
 * Layout of a frame: the unit every record is stored in. Frames start right after the segment
 * header and follow each other at 8-byte aligned offsets. All fields are little-endian.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 Frame Length (header + payload)               |  0
 *  +---------------------------------------------------------------+
 *  |                            CRC32C                             |  4
 *  +---------------------------------------------------------------+
 *  |                        Sequence (int64)                       |  8
 *  |                                                               |
 *  +-------------------------------+-------------------------------+
 *  |          Frame Type           |       Flags (zero)            | 16
 *  +-------------------------------+-------------------------------+
 *  |                      Reserved (zero)                          | 20
 *  +---------------------------------------------------------------+
 *  |                         Payload ...                          ... 24
 *  +---------------------------------------------------------------+
 *  |              zero padding to the next multiple of 8           |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <ul>
 *     <li>The frame length is written last with a release store; a reader that sees a positive length with an
 *     acquire load sees the whole frame. Zero means nothing has been written there yet.</li>
 *     <li>The CRC32C covers the four length bytes followed by bytes {@code [8, length)} of a data frame, or
 *     {@code [8, 24)} of a padding frame: every byte of the frame except the CRC field itself.</li>
 *     <li>A padding frame fills the rest of a segment when the next record does not fit; its sequence is the
 *     sequence the next record (the first of the next segment) gets. When fewer than {@link #HEADER_LENGTH}
 *     bytes are left in a segment no padding frame is written: the segment simply ends.</li>
 * </ul>
 */
public final class FrameDescriptor
{
    /** Byte order of every persisted field. */
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;

    /** Frames start at, and are padded to, multiples of this many bytes. */
    public static final int ALIGNMENT = 8;

    /** Frame type of a record. */
    public static final short TYPE_DATA = 1;

    /** Frame type of the padding frame that closes a segment. */
    public static final short TYPE_PADDING = 2;

    /**
     * Frame type of the marker a writer leaves when it closes the journal cleanly (format version 2): a
     * header-only frame whose sequence is the sequence the next record will get. It does not consume a sequence.
     */
    public static final short TYPE_CLOSE = 3;

    /**
     * Frame type of the marker a writer leaves when it reopens a journal and continues in its last segment
     * (format version 2): a header-only frame, made durable before any record after it, whose sequence is the
     * sequence the next record will get. It does not consume a sequence.
     */
    public static final short TYPE_OPEN = 4;

    /**
     * Frame type of a skipped sequence (format version 2): a header-only frame that consumes its sequence but holds
     * no record, written where a record was given a sequence and then never produced (a producer's translator
     * failed). Readers do not deliver it; the next frame has the next sequence.
     */
    public static final short TYPE_SKIPPED = 5;

    /** Offset of the frame length. */
    public static final int LENGTH_OFFSET;
    /** Offset of the CRC32C. */
    public static final int CRC_OFFSET;
    /** Offset of the sequence. */
    public static final int SEQUENCE_OFFSET;
    /** Offset of the frame type. */
    public static final int TYPE_OFFSET;
    /** Offset of the flags. */
    public static final int FLAGS_OFFSET;
    /** Offset of the reserved word. */
    public static final int RESERVED_OFFSET;
    /** Length of the frame header; the payload starts at this offset. */
    public static final int HEADER_LENGTH;

    static
    {
        int offset = 0;
        LENGTH_OFFSET = offset;
        offset += Integer.BYTES;
        CRC_OFFSET = offset;
        offset += Integer.BYTES;
        SEQUENCE_OFFSET = offset;
        offset += Long.BYTES;
        TYPE_OFFSET = offset;
        offset += Short.BYTES;
        FLAGS_OFFSET = offset;
        offset += Short.BYTES;
        RESERVED_OFFSET = offset;
        offset += Integer.BYTES;
        HEADER_LENGTH = offset;
    }

    private FrameDescriptor()
    {
    }

    /**
     * The frame length of a record with the given payload length (header plus payload, unpadded).
     *
     * @param payloadLength the payload length.
     * @return the frame length.
     */
    public static int frameLength(final int payloadLength)
    {
        return HEADER_LENGTH + payloadLength;
    }

    /**
     * The frame length rounded up to {@link #ALIGNMENT}: the distance to the next frame.
     *
     * @param frameLength the frame length.
     * @return the aligned length.
     */
    public static int alignedLength(final int frameLength)
    {
        return BitUtil.align(frameLength, ALIGNMENT);
    }

    /**
     * Offset of the payload of the frame at {@code frameOffset}.
     *
     * @param frameOffset the frame's offset.
     * @return the payload offset.
     */
    public static int payloadOffset(final int frameOffset)
    {
        return frameOffset + HEADER_LENGTH;
    }

    /**
     * Reads the frame length with acquire semantics (little-endian on every platform).
     *
     * @param buffer      the segment buffer.
     * @param frameOffset the frame's offset.
     * @return the frame length, 0 if nothing is there yet.
     */
    public static int frameLengthVolatile(final AtomicBuffer buffer, final int frameOffset)
    {
        int length = buffer.getIntVolatile(frameOffset + LENGTH_OFFSET);
        if (ByteOrder.nativeOrder() != BYTE_ORDER)
        {
            length = Integer.reverseBytes(length);
        }
        return length;
    }

    /**
     * Writes the frame length with release semantics (little-endian on every platform): this commits the frame.
     *
     * @param buffer      the segment buffer.
     * @param frameOffset the frame's offset.
     * @param frameLength the frame length.
     */
    public static void frameLengthRelease(final AtomicBuffer buffer, final int frameOffset, final int frameLength)
    {
        int length = frameLength;
        if (ByteOrder.nativeOrder() != BYTE_ORDER)
        {
            length = Integer.reverseBytes(length);
        }
        buffer.putIntRelease(frameOffset + LENGTH_OFFSET, length);
    }

    /**
     * Reads the frame length with a plain load.
     *
     * @param buffer      the buffer.
     * @param frameOffset the frame's offset.
     * @return the frame length.
     */
    public static int frameLength(final DirectBuffer buffer, final int frameOffset)
    {
        return buffer.getInt(frameOffset + LENGTH_OFFSET, BYTE_ORDER);
    }

    /**
     * Reads the stored CRC.
     *
     * @param buffer      the buffer.
     * @param frameOffset the frame's offset.
     * @return the stored CRC32C.
     */
    public static int crc(final DirectBuffer buffer, final int frameOffset)
    {
        return buffer.getInt(frameOffset + CRC_OFFSET, BYTE_ORDER);
    }

    /**
     * Reads the sequence.
     *
     * @param buffer      the buffer.
     * @param frameOffset the frame's offset.
     * @return the sequence.
     */
    public static long sequence(final DirectBuffer buffer, final int frameOffset)
    {
        return buffer.getLong(frameOffset + SEQUENCE_OFFSET, BYTE_ORDER);
    }

    /**
     * Reads the frame type.
     *
     * @param buffer      the buffer.
     * @param frameOffset the frame's offset.
     * @return the frame type.
     */
    public static short frameType(final DirectBuffer buffer, final int frameOffset)
    {
        return buffer.getShort(frameOffset + TYPE_OFFSET, BYTE_ORDER);
    }

    /**
     * Reads the flags.
     *
     * @param buffer      the buffer.
     * @param frameOffset the frame's offset.
     * @return the flags.
     */
    public static short flags(final DirectBuffer buffer, final int frameOffset)
    {
        return buffer.getShort(frameOffset + FLAGS_OFFSET, BYTE_ORDER);
    }

    /**
     * Reads the reserved word.
     *
     * @param buffer      the buffer.
     * @param frameOffset the frame's offset.
     * @return the reserved word.
     */
    public static int reserved(final DirectBuffer buffer, final int frameOffset)
    {
        return buffer.getInt(frameOffset + RESERVED_OFFSET, BYTE_ORDER);
    }

    /**
     * Whether a frame type is a header-only marker ({@link #TYPE_CLOSE} or {@link #TYPE_OPEN}).
     * @param frameType the frame type.
     * @return true for a marker.
     */
    public static boolean isMarker(final short frameType)
    {
        return frameType == TYPE_CLOSE || frameType == TYPE_OPEN;
    }

    /**
     * Whether a frame type is header-only in format version 2: a marker or a skipped sequence.
     * @param frameType the frame type.
     * @return true if the frame never has a payload.
     */
    public static boolean isHeaderOnly(final short frameType)
    {
        return frameType == TYPE_CLOSE || frameType == TYPE_OPEN || frameType == TYPE_SKIPPED;
    }

    /**
     * Number of bytes at the end of a frame that the CRC covers, counted from the frame start.
     * @param frameType   the frame type.
     * @param frameLength the frame length.
     * @return the end (exclusive) of the CRC-covered range.
     */
    public static int crcEnd(final short frameType, final int frameLength)
    {
        return frameType == TYPE_PADDING ? HEADER_LENGTH : frameLength;
    }
}
