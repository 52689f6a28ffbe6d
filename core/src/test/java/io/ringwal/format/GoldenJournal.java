package io.ringwal.format;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalWriter;
import io.ringwal.segment.PreallocationMode;
import io.ringwal.segment.PretouchMode;

/**
 * The recipe of the golden journal committed under {@code core/src/test/resources/golden/v1}: a deterministic
 * writer configuration (fixed journal id and clock) and a deterministic list of records that exercises every
 * end-of-segment rule of format version 1. See docs/FORMAT.md, "Golden files".
 *
 * <ul>
 *     <li>segment 0: payloads of 0, 1, 7, 8 and 100 bytes, a few KiB, then a record that exactly fills the
 *     segment (0 bytes left, so no padding frame);</li>
 *     <li>segment 1: records, then 1,000 bytes left when a 2,000-byte record comes: a padding frame;</li>
 *     <li>segment 2: the 2,000-byte record, then records that leave 16 bytes (less than a frame header):
 *     the segment ends without a padding frame;</li>
 *     <li>segment 3: the active segment, a few small records and a zero tail.</li>
 * </ul>
 */
public final class GoldenJournal
{
    /** Segment size of the golden journal: 64 KiB. */
    public static final int SEGMENT_SIZE = 64 * 1024;

    /** Journal id written into every header. */
    public static final long JOURNAL_ID = 0x1234_5678_9ABC_DEF0L;

    /** The fixed creation time of every segment: 2023-11-14T22:13:20Z. */
    public static final long CREATED_EPOCH_MILLIS = 1_700_000_000_000L;

    /** Where the golden files live on the test class path. */
    public static final String RESOURCE = "/golden/v2";

    /** Where the golden journal of format version 1 is on the test class path (read, never written, by this build). */
    public static final String RESOURCE_V1 = "/golden/v1";

    /** Records of the version-1 golden journal; the version-2 one has {@link #REOPENED_LENGTHS} more after them. */
    public static final int V1_RECORDS;

    /** Payload lengths of the records the version-2 golden journal appends after it was closed and reopened. */
    static final int[] REOPENED_LENGTHS = {16, 3};

    /** Sequence of the record whose frame exactly fills segment 0. */
    public static final int EXACT_FIT_INDEX;

    /** Length of the padding frame that closes segment 1. */
    public static final int PADDING_LENGTH = 1000;

    /** Bytes left at the end of segment 2 (fewer than a frame header: no padding frame). */
    public static final int SHORT_TAIL = 16;

    /** Base sequences of the four segments. */
    public static final long[] SEGMENT_BASES = new long[4];

    private static final List<Integer> LENGTHS;

    static
    {
        final Plan plan = new Plan();
        for (final int length : new int[] {0, 1, 7, 8, 100, 3000, 4096})
        {
            plan.add(length);
        }
        int i = 1;
        while (SEGMENT_SIZE - plan.position > 8000)
        {
            plan.add(size(i++));
        }
        EXACT_FIT_INDEX = plan.lengths.size();
        plan.add(SEGMENT_SIZE - plan.position - FrameDescriptor.HEADER_LENGTH);

        SEGMENT_BASES[1] = plan.lengths.size();
        plan.add(12_345);
        while (SEGMENT_SIZE - plan.position > 6000)
        {
            plan.add(size(i++));
        }
        plan.add(SEGMENT_SIZE - plan.position - PADDING_LENGTH - FrameDescriptor.HEADER_LENGTH);

        SEGMENT_BASES[2] = plan.lengths.size();
        plan.add(2000);
        while (SEGMENT_SIZE - plan.position > 6000)
        {
            plan.add(size(i++));
        }
        plan.add(SEGMENT_SIZE - plan.position - SHORT_TAIL - FrameDescriptor.HEADER_LENGTH);

        SEGMENT_BASES[3] = plan.lengths.size();
        for (final int length : new int[] {8, 1, 0, 255})
        {
            plan.add(length);
        }
        V1_RECORDS = plan.lengths.size();
        for (final int length : REOPENED_LENGTHS)
        {
            plan.add(length);
        }
        LENGTHS = Collections.unmodifiableList(plan.lengths);
    }

    private GoldenJournal()
    {
    }

    /**
     * The payload lengths, in sequence order (the record of sequence {@code s} has length {@code lengths().get(s)}).
     *
     * @return the lengths.
     */
    public static List<Integer> lengths()
    {
        return LENGTHS;
    }

    /**
     * The payload of a record: a formula of its sequence and length, so that every byte is known.
     *
     * @param sequence the record's sequence.
     * @return the payload.
     */
    public static byte[] payload(final long sequence)
    {
        final int length = LENGTHS.get((int)sequence);
        final byte[] payload = new byte[length];
        for (int j = 0; j < length; j++)
        {
            payload[j] = (byte)(sequence * 31 + j * 7 + (j >>> 8) + 1);
        }
        return payload;
    }

    /**
     * The writer configuration that makes the files reproducible.
     *
     * @return the configuration.
     */
    public static JournalConfig config()
    {
        return JournalConfig.builder()
            .segmentSize(SEGMENT_SIZE)
            .preallocationMode(PreallocationMode.BUFFERED)
            .pretouchMode(PretouchMode.NONE)
            .newJournalId(JOURNAL_ID)
            .epochMillisClock(() -> CREATED_EPOCH_MILLIS)
            .build();
    }

    /**
     * Writes the golden journal into an empty (or absent) directory.
     *
     * @param directory the directory.
     */
    public static void write(final Path directory)
    {
        // first session: the version-1 plan, then a clean close (a close marker after the last record)
        append(directory, 0, V1_RECORDS);
        // second session: an open marker after the close marker, two more records, a close marker
        append(directory, V1_RECORDS, LENGTHS.size());
    }

    private static void append(final Path directory, final int from, final int to)
    {
        try (JournalWriter writer = JournalWriter.open(directory, config()))
        {
            for (int s = from; s < to; s++)
            {
                final byte[] payload = payload(s);
                final long sequence = writer.append(payload, 0, payload.length);
                if (sequence != s)
                {
                    throw new IllegalStateException("appended sequence " + sequence + ", expected " + s);
                }
                if (s % 5 == 4)
                {
                    writer.endOfBatch();
                }
            }
            writer.endOfBatch();
        }
    }

    /**
     * The committed golden journal directory, as found on the test class path.
     *
     * @return the directory.
     */
    public static Path committedDirectory()
    {
        return committedDirectory(RESOURCE);
    }

    /**
     * The committed golden journal of format version 1.
     *
     * @return its directory.
     */
    public static Path committedV1Directory()
    {
        return committedDirectory(RESOURCE_V1);
    }

    static Path committedDirectory(final String resource)
    {
        final URL url = GoldenJournal.class.getResource(resource);
        if (url == null)
        {
            throw new IllegalStateException("golden journal " + resource + " is not on the test class path");
        }
        try
        {
            return Path.of(url.toURI());
        }
        catch (final URISyntaxException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static int size(final int i)
    {
        return 1 + (int)((i * 2_654_435_761L) % 3500);
    }

    private static final class Plan
    {
        final List<Integer> lengths = new ArrayList<>();
        int position = SegmentHeaderDescriptor.HEADER_LENGTH;

        void add(final int length)
        {
            if (length < 0)
            {
                throw new IllegalStateException("negative planned length " + length);
            }
            final int aligned = FrameDescriptor.alignedLength(FrameDescriptor.frameLength(length));
            if (position + aligned > SEGMENT_SIZE)
            {
                position = SegmentHeaderDescriptor.HEADER_LENGTH;
            }
            lengths.add(length);
            position += aligned;
        }
    }
}
