package io.ringwal.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.ringwal.format.SeekIndexDescriptor;
import io.ringwal.format.SegmentFileNames;
import io.ringwal.format.SegmentHeaderDescriptor;

/**
 * A segment's seek index file ({@link SeekIndexDescriptor}): the writer's side collects entries while it appends
 * and writes the file when it finishes the segment; the readers' side loads a file into {@link SeekIndex}.
 *
 * <p>The writer notes the first frame at or after each multiple of the stride into preallocated arrays: per record
 * that costs the writer one compare ({@link #nextOffset}). At a rotation (after the old segment was forced) and at
 * a clean close it writes the file under a temporary name and renames it into place. The file is not forced: it
 * only speeds up seeks, and a reader checks it (CRC, the segment's identity, every entry it uses against the frame
 * it names) and falls back to walking the frames when it is missing, torn or stale.
 *
 * <p>Public for one call only: {@link #read(Path, DirectBuffer)}, the check a reader makes before it uses a file,
 * which verify makes too.
 */
public final class SeekIndexFile
{
    /**
     * An index file as {@link #read(Path, DirectBuffer)} found it: its bytes when it is valid for the segment,
     * otherwise what is wrong with it.
     */
    public static final class Contents
    {
        private final UnsafeBuffer file;
        private final int length;
        private final String problem;

        Contents(final UnsafeBuffer file, final int length, final String problem)
        {
            this.file = file;
            this.length = length;
            this.problem = problem;
        }

        /**
         * The file's bytes, from offset 0, when it is valid for the segment ({@link #problem()} is null).
         *
         * @return the bytes, or null when the file is not valid.
         */
        public UnsafeBuffer file()
        {
            return file;
        }

        /**
         * The file's length in bytes.
         *
         * @return the length.
         */
        public int length()
        {
            return length;
        }

        /**
         * What makes the file not valid for the segment (its layout, CRC or the copy of the segment's identity).
         *
         * @return the description, or null when the file is valid.
         */
        public String problem()
        {
            return problem;
        }
    }

    private static final System.Logger LOG = System.getLogger(SeekIndexFile.class.getName());

    /** What {@link #load} returns when the segment has no index file (yet): a reader may look again later. */
    static final UnsafeBuffer ABSENT = new UnsafeBuffer(new byte[0]);

    private final long[] sequences = new long[SeekIndexDescriptor.MAX_ENTRIES];
    private final int[] offsets = new int[SeekIndexDescriptor.MAX_ENTRIES];
    private final UnsafeBuffer encoded =
        new UnsafeBuffer(new byte[SeekIndexDescriptor.fileLength(SeekIndexDescriptor.MAX_ENTRIES)]);
    private final ByteBuffer encodedBytes = ByteBuffer.wrap(encoded.byteArray());
    private int stride = Integer.MAX_VALUE;
    private int count;

    /** The writer's side, one per writer. */
    SeekIndexFile()
    {
    }

    /** The writer notes the next frame that starts at or after this offset. */
    int nextOffset = Integer.MAX_VALUE;

    /**
     * The writer starts appending to a segment at {@code fromOffset}. For a segment it continues (reopened), the
     * entries of its existing index below {@code fromOffset} are kept, if the file is valid for the segment.
     *
     * @param segmentFile the segment file (its final name).
     * @param segment     the segment, mapped; its header is written.
     * @param fromOffset  where appending starts.
     */
    void start(final Path segmentFile, final DirectBuffer segment, final int fromOffset)
    {
        stride = SeekIndexDescriptor.stride(segment.capacity());
        count = 0;
        if (fromOffset > SegmentHeaderDescriptor.HEADER_LENGTH && SegmentFileNames.isSegmentFileName(
            segmentFile.getFileName().toString()))
        {
            final UnsafeBuffer file = readValid(SegmentFileNames.indexFileOf(segmentFile), segment);
            if (null != file)
            {
                final int entries = SeekIndexDescriptor.entryCount(file);
                for (int i = 0; i < entries && count < sequences.length; i++)
                {
                    final int offset = SeekIndexDescriptor.entryFrameOffset(file, i);
                    if (offset < fromOffset)
                    {
                        offsets[count] = offset;
                        sequences[count] = SeekIndexDescriptor.entrySequence(file, i);
                        count++;
                    }
                }
            }
        }
        nextOffset = (fromOffset & -stride) + stride;
    }

    /**
     * The writer appended a frame at {@code frameOffset} at or after {@link #nextOffset}.
     *
     * @param frameOffset the frame's offset.
     * @param sequence    the frame's sequence.
     */
    void note(final int frameOffset, final long sequence)
    {
        if (count < sequences.length)
        {
            offsets[count] = frameOffset;
            sequences[count] = sequence;
            count++;
        }
        nextOffset = (frameOffset & -stride) + stride;
    }

    /**
     * Writes the index of the writer's segment beside it (nothing when it has no entry). A failure is logged and
     * otherwise ignored: readers then walk the frames.
     *
     * @param segmentFile the segment file.
     * @param segment     the segment, mapped.
     */
    void write(final Path segmentFile, final DirectBuffer segment)
    {
        if (0 == count)
        {
            return;
        }
        final String name = segmentFile.getFileName().toString();
        final Path target = SegmentFileNames.indexFileOf(segmentFile);
        final Path temp = segmentFile.resolveSibling(name.substring(0, SegmentFileNames.DIGITS) +
            SegmentFileNames.INDEX_TEMP_SUFFIX);
        try
        {
            final int length = SeekIndexDescriptor.encode(encoded, segment, stride, sequences, offsets, count);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING))
            {
                final ByteBuffer bytes = encodedBytes.clear().limit(length);
                while (bytes.hasRemaining())
                {
                    channel.write(bytes);
                }
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final IOException | RuntimeException ex)
        {
            LOG.log(System.Logger.Level.WARNING, "cannot write seek index " + target + " (seeks into " +
                segmentFile + " walk its frames instead): " + ex);
            try
            {
                Files.deleteIfExists(temp);
            }
            catch (final IOException ignored)
            {
                // nothing more to do: recovery deletes a leftover temporary index file
            }
        }
    }

    /**
     * Reads the index file of a segment, if it exists and is valid for the segment (its entries are checked only
     * when used).
     *
     * @param segmentFile the segment file.
     * @param segment     the segment, mapped whole; its header is validated.
     * @return the file's bytes; {@link #ABSENT} if there is no index file; null if it is not valid.
     */
    static UnsafeBuffer load(final Path segmentFile, final DirectBuffer segment)
    {
        if (!SegmentFileNames.isSegmentFileName(segmentFile.getFileName().toString()))
        {
            return null;
        }
        final Path indexFile = SegmentFileNames.indexFileOf(segmentFile);
        final UnsafeBuffer file = readValid(indexFile, segment);
        return null == file && !Files.exists(indexFile) ? ABSENT : file;
    }

    /**
     * Deletes the index file of a segment, if there is one.
     *
     * @param segmentFile the segment file.
     * @throws IOException if it exists and cannot be deleted.
     */
    static void delete(final Path segmentFile) throws IOException
    {
        Files.deleteIfExists(SegmentFileNames.indexFileOf(segmentFile));
    }

    /**
     * Reads and validates an index file; null if it is absent, unreadable or not valid for the segment.
     */
    private static UnsafeBuffer readValid(final Path indexFile, final DirectBuffer segment)
    {
        try
        {
            final Contents contents = read(indexFile, segment);
            if (null != contents.problem())
            {
                LOG.log(System.Logger.Level.DEBUG, "ignoring seek index " + indexFile + ": " + contents.problem());
                return null;
            }
            return contents.file();
        }
        catch (final NoSuchFileException ex)
        {
            return null;
        }
        catch (final IOException ex)
        {
            LOG.log(System.Logger.Level.DEBUG, "ignoring seek index " + indexFile + ": " + ex);
            return null;
        }
    }

    /**
     * Reads an index file and checks it against the segment it claims to index, the way a reader does before it
     * uses it (docs/FORMAT.md §12): its length (at most {@link SeekIndexDescriptor#MAX_ENTRIES} entries), then
     * {@link SeekIndexDescriptor#validate}: magic, layout version, entry count, CRC and the copy of the segment's
     * identity. The entries are not checked against the frames they name. Used by the readers' load path and by
     * verify.
     *
     * @param indexFile     the index file.
     * @param segmentHeader the segment's validated 64-byte header (or the whole segment).
     * @return the file's bytes, or what makes it not valid for the segment.
     * @throws NoSuchFileException if the index file does not exist.
     * @throws IOException         if it cannot be read.
     */
    public static Contents read(final Path indexFile, final DirectBuffer segmentHeader) throws IOException
    {
        try (FileChannel channel = FileChannel.open(indexFile, StandardOpenOption.READ))
        {
            final long size = channel.size();
            final int largest = SeekIndexDescriptor.fileLength(SeekIndexDescriptor.MAX_ENTRIES);
            if (size > largest)
            {
                return new Contents(null, (int)Math.min(size, Integer.MAX_VALUE), "file is " + size +
                    " bytes, longer than an index of " + SeekIndexDescriptor.MAX_ENTRIES + " entries (" + largest +
                    " bytes)");
            }
            final ByteBuffer bytes = ByteBuffer.allocate((int)size);
            while (bytes.hasRemaining())
            {
                if (channel.read(bytes, bytes.position()) < 0)
                {
                    return new Contents(null, bytes.position(), "file ends at " + bytes.position() +
                        " bytes while being read (" + size + " bytes listed)");
                }
            }
            final UnsafeBuffer file = new UnsafeBuffer(bytes.array());
            final String problem = SeekIndexDescriptor.validate(file, (int)size, segmentHeader);
            return null == problem ? new Contents(file, (int)size, null) : new Contents(null, (int)size, problem);
        }
    }
}
