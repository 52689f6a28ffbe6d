package io.ringwal.journal;

import io.ringwal.format.FrameDescriptor;

/**
 * The rules of the header-only frames of format version 2 (the close and open markers and the skipped-sequence
 * frame), which the reader ({@link JournalReader}) and the scanner ({@link SegmentScanner}) both apply: which
 * types are header-only in a segment of a given version, the length such a frame must have, what it does to the
 * sequence, and the words for what is wrong with one. Nothing here allocates unless a frame is damaged.
 */
final class HeaderOnlyFrames
{
    private HeaderOnlyFrames()
    {
    }

    /**
     * Whether a frame of this type is header-only in a segment of this format version (version 1 has none).
     *
     * @param type    the frame type.
     * @param version the segment's format version.
     * @return true for a marker or a skipped-sequence frame in a version-2 segment.
     */
    static boolean isHeaderOnly(final short type, final int version)
    {
        return version >= 2 && FrameDescriptor.isHeaderOnly(type);
    }

    /**
     * Whether a header-only frame consumes its sequence (a skipped-sequence frame does; a marker carries the next
     * sequence without consuming it).
     *
     * @param type a header-only frame type.
     * @return true for a skipped-sequence frame.
     */
    static boolean consumesSequence(final short type)
    {
        return type == FrameDescriptor.TYPE_SKIPPED;
    }

    /**
     * What is wrong with a header-only frame's length, or null if it is right.
     *
     * @param type   a header-only frame type.
     * @param length the frame length read.
     * @return the damage, or null.
     */
    static String lengthDamage(final short type, final int length)
    {
        if (length == FrameDescriptor.HEADER_LENGTH)
        {
            return null;
        }
        return name(type) + " of length " + length + " (expected " + FrameDescriptor.HEADER_LENGTH + ")";
    }

    /**
     * The damage of a frame whose type is neither data, padding nor header-only in a segment of this version.
     *
     * @param type    the frame type.
     * @param version the segment's format version.
     * @return the damage.
     */
    static String unknownType(final short type, final int version)
    {
        return "unknown frame type " + type + (FrameDescriptor.isHeaderOnly(type) ?
            " in a version-" + version + " segment" : "");
    }

    /**
     * The name of a header-only frame type, for messages.
     *
     * @param type a header-only frame type.
     * @return "close marker", "open marker" or "skipped-sequence frame".
     */
    static String name(final short type)
    {
        if (type == FrameDescriptor.TYPE_CLOSE)
        {
            return "close marker";
        }
        return type == FrameDescriptor.TYPE_OPEN ? "open marker" : "skipped-sequence frame";
    }
}
