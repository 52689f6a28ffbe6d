package io.ringwal.segment.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import io.ringwal.segment.PretouchMode;

/**
 * A segment file mapped read-write: the buffer the writer stores frames into, and the forces that make
 * ranges of it durable. Owned by one thread at a time; {@link #close()} unmaps it, after which the buffer
 * must never be touched.
 */
public final class MappedSegment implements AutoCloseable
{
    private static final byte[] RETIRED = new byte[8];
    private static final int PAGE_SIZE = PageSize.PAGE_SIZE;
    /** Granularity of the page-cache check before priming (one {@code mincore} per region). */
    private static final int PRIME_REGION = 2 * 1024 * 1024;

    private Path path;
    private FileChannel channel;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer buffer;
    private final ByteBuffer checksumView;
    private final int size;
    private boolean closed;
    private boolean recycled;

    private MappedSegment(final Path path, final FileChannel channel, final MappedByteBuffer mapped, final int size)
    {
        this.path = path;
        this.channel = channel;
        this.mapped = mapped;
        this.size = size;
        this.buffer = new UnsafeBuffer(mapped);
        this.checksumView = mapped.duplicate();
    }

    /**
     * Maps an existing file read-write.
     *
     * @param path     the file.
     * @param pretouch how to fault every page in now, on the calling thread, rather than on first write.
     * @return the mapped segment.
     * @throws IOException if the file cannot be opened or mapped, or its size is not a valid segment size.
     */
    public static MappedSegment map(final Path path, final PretouchMode pretouch) throws IOException
    {
        final FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try
        {
            final long fileSize = channel.size();
            if (fileSize <= 0 || fileSize > Integer.MAX_VALUE)
            {
                throw new IOException("cannot map " + path + ": size " + fileSize + " is not a valid segment size");
            }
            final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, fileSize);
            final MappedSegment segment = new MappedSegment(path, channel, mapped, (int)fileSize);
            segment.pretouch(pretouch);
            return segment;
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
    }

    /**
     * Faults every page of the mapping in now, on the calling thread, rather than on the writer's first store.
     *
     * @param pretouch how.
     */
    public void pretouch(final PretouchMode pretouch)
    {
        if (pretouch == PretouchMode.READ)
        {
            mapped.load();
        }
        else if (pretouch == PretouchMode.WRITE)
        {
            final UnsafeBuffer buffer = this.buffer;
            for (int offset = 0; offset < size; offset += PAGE_SIZE)
            {
                buffer.compareAndSetInt(offset, 0, 0);
            }
        }
    }

    /**
     * Zeroes, with one buffered write per page, every region of the file that is not wholly in the page cache, so
     * that the page cache holds the file as single-page folios. For a segment whose bytes do not matter any more:
     * a freshly zero-filled file or a recycled one, never one that holds records.
     *
     * <p>Why: on Linux with large folios (ext4 since 6.x), a page fault through the mapping on a page that is not
     * cached reads it in as part of a large folio (up to 2 MiB), and a store through the mapping dirties the whole
     * folio, so every small force writes back whole folios (docs/BENCHMARKS.md, "Folio size"). A buffered write
     * of one page creates a single-page folio, and a store through the
     * mapping then dirties only that page. A page already cached keeps the folio it has. The allocator primes
     * recycled segments when the writer's forces are small; with large forces, large folios are cheaper (one
     * write-protect and TLB shootdown per folio when it is written back, instead of one per page).
     *
     * @return the number of bytes zeroed (0 when the whole file was cached).
     * @throws IOException if a write fails (the disk is full, for example).
     */
    public long primeUncachedPages() throws IOException
    {
        final ByteBuffer zeros = ByteBuffer.allocateDirect(PAGE_SIZE);
        long zeroed = 0;
        for (int region = 0; region < size; region += PRIME_REGION)
        {
            final int length = Math.min(PRIME_REGION, size - region);
            if (mapped.slice(region, length).isLoaded())
            {
                continue;
            }
            for (int page = region; page < region + length; page += PAGE_SIZE)
            {
                zeros.clear();
                while (zeros.hasRemaining())
                {
                    channel.write(zeros, page + zeros.position());
                }
            }
            zeroed += length;
        }
        return zeroed;
    }

    /**
     * Writes all of {@code source} (position to limit) into the file at {@code fileOffset} with positional
     * {@code write(2)} calls, through the page cache the mapping shares; the position of {@code source} ends at its
     * limit. Allocates nothing. An interrupt of the calling thread neither stops nor fails the write: the channel
     * the interrupt closed is opened again, the whole write repeated (it is idempotent) and the thread's interrupt
     * status restored before this returns.
     *
     * @param source     the bytes.
     * @param fileOffset where they go in the file.
     * @throws IOException if the write fails or the segment is closed.
     */
    public void write(final ByteBuffer source, final long fileOffset) throws IOException
    {
        if (closed)
        {
            throw new IOException("cannot write to " + path + ": the segment is closed");
        }
        final int start = source.position();
        boolean interrupted = false;
        try
        {
            while (true)
            {
                try
                {
                    while (source.hasRemaining())
                    {
                        channel.write(source, fileOffset + source.position() - start);
                    }
                    return;
                }
                catch (final ClosedByInterruptException ex)
                {
                    interrupted |= Thread.interrupted();
                    channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
                    source.position(start);
                }
            }
        }
        finally
        {
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The file this segment is mapped from (its current name).
     *
     * @return the path.
     */
    public Path path()
    {
        return path;
    }

    /**
     * Records that the file held an earlier segment of the journal (its bytes are stale frames, not zeros).
     */
    public void markRecycled()
    {
        recycled = true;
    }

    /**
     * Whether the file held an earlier segment of the journal, so its bytes are stale frames rather than zeros.
     *
     * @return true if recycled.
     */
    public boolean isRecycled()
    {
        return recycled;
    }

    /**
     * Records that the file was renamed while mapped.
     *
     * @param newPath the new name.
     */
    public void renamedTo(final Path newPath)
    {
        this.path = newPath;
    }

    /**
     * The mapped memory. Invalid once the segment is closed.
     *
     * @return the buffer over the whole file.
     */
    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    /**
     * A view over the same memory for checksum computation; its position and limit belong to the owner.
     *
     * @return the view.
     */
    public ByteBuffer checksumView()
    {
        return checksumView;
    }

    /**
     * The segment size in bytes.
     *
     * @return the size.
     */
    public int size()
    {
        return size;
    }

    /**
     * Forces a range of the mapping to the storage device ({@code msync}).
     *
     * @param offset start of the range.
     * @param length length of the range.
     * @throws UncheckedIOException if the force fails; the JDK reports it so, not as {@link IOException}.
     */
    public void force(final int offset, final int length)
    {
        mapped.force(offset, length);
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once closed.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Unmaps the memory and closes the file. Idempotent. The buffer must not be used afterwards.
     */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            buffer.wrap(RETIRED);
            IoUtil.unmap(mapped);
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
                // the mapping is already gone; nothing was written through the channel
            }
        }
    }

    @Override
    public String toString()
    {
        return "MappedSegment{path=" + path + ", size=" + size + ", closed=" + closed + '}';
    }
}
