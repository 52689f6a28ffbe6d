package io.ringwal.journal;

import java.nio.file.Path;

/**
 * The journal holds damage that is not a torn tail: a bad frame in a segment other than the last, a missing
 * segment, a header that does not match its file name, a segment from another journal. Names the file and
 * the byte offset of the first damage.
 */
public final class JournalCorruptedException extends JournalException
{
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    /**
     * Creates the exception.
     *
     * @param file   the damaged file.
     * @param offset byte offset of the damage within the file.
     * @param what   what is wrong there.
     */
    public JournalCorruptedException(final Path file, final long offset, final String what)
    {
        super("journal damaged at " + file + " offset " + offset + ": " + what);
        this.file = file;
        this.offset = offset;
    }

    /**
     * The damaged file.
     *
     * @return the file.
     */
    public Path file()
    {
        return file;
    }

    /**
     * Byte offset of the first damage within {@link #file()}.
     *
     * @return the offset.
     */
    public long offset()
    {
        return offset;
    }
}
