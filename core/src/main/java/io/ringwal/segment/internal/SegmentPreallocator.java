package io.ringwal.segment.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.ringwal.segment.PreallocationMode;


/**
 * Creates a segment file of a given size with its blocks really allocated, and forces it (data and
 * metadata) so that the allocation survives a crash.
 */
public final class SegmentPreallocator
{
    private static final int CHUNK_SIZE = 1024 * 1024;

    /**
     * {@code com.sun.nio.file.ExtendedOpenOption.DIRECT}, looked up reflectively: a direct reference makes newer
     * javac versions warn about an internal proprietary API, which the strict build turns into an error. Null when
     * the JDK does not have it (then preallocation falls back to buffered writes).
     */
    private static final OpenOption DIRECT_OPTION = directOption();
    /**
     * Buffered zero-fill writes back (fdatasync) after every this many bytes instead of once at the end: a whole
     * segment of dirty zeros written back at once queues tens of milliseconds of writes ahead of the journal's
     * next force. Measured with {@code ./ringwal load --rate 100000 --record-size 1024} (every-batch,
     * page-sized zero-fill): publish&rarr;durable p99 40&ndash;48 ms with one write-back per segment, 9&ndash;13 ms
     * with one per MiB, same throughput unbounded; one per 256 KiB made the writer wait for the allocator 4&times;
     * as long at full speed.
     */
    private static final long WRITE_BACK_INTERVAL = 1024 * 1024;

    private SegmentPreallocator()
    {
    }

    /**
     * Creates {@code file} (which must not exist) with {@code size} bytes.
     *
     * @param file the file to create.
     * @param size its size in bytes, a multiple of 4096.
     * @param mode how to allocate blocks.
     * @return the mode actually used ({@link PreallocationMode#BUFFERED} when direct I/O was refused).
     * @throws IOException if the file cannot be created or filled, for example when the disk is full; the
     *                     partial file is deleted. A file that already exists is left alone
     *                     ({@link java.nio.file.FileAlreadyExistsException}).
     */
    public static PreallocationMode preallocate(final Path file, final long size, final PreallocationMode mode)
        throws IOException
    {
        if (mode == PreallocationMode.ADAPTIVE)
        {
            throw new IllegalArgumentException("preallocation mode ADAPTIVE is chosen per segment by the " +
                "allocator; preallocating " + file + " needs DIRECT, BUFFERED, BUFFERED_PAGES or SPARSE");
        }
        if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS))
        {
            throw new java.nio.file.FileAlreadyExistsException(file.toString());
        }
        boolean done = false;
        try
        {
            final PreallocationMode used;
            if (mode == PreallocationMode.SPARSE)
            {
                try (FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
                {
                    channel.write(ByteBuffer.allocate(1), size - 1);
                    channel.force(true);
                }
                used = PreallocationMode.SPARSE;
            }
            else if (mode == PreallocationMode.DIRECT && zeroFillDirect(file, size))
            {
                used = PreallocationMode.DIRECT;
            }
            else if (mode == PreallocationMode.BUFFERED_PAGES)
            {
                zeroFillBuffered(file, size, PageSize.PAGE_SIZE);
                used = PreallocationMode.BUFFERED_PAGES;
            }
            else
            {
                zeroFillBuffered(file, size, CHUNK_SIZE);
                used = PreallocationMode.BUFFERED;
            }
            done = true;
            return used;
        }
        catch (final java.nio.file.FileAlreadyExistsException ex)
        {
            done = true; // someone else's file appeared meanwhile: never delete it
            throw ex;
        }
        finally
        {
            if (!done)
            {
                Files.deleteIfExists(file);
            }
        }
    }

    private static OpenOption directOption()
    {
        try
        {
            return (OpenOption)Class.forName("com.sun.nio.file.ExtendedOpenOption").getField("DIRECT").get(null);
        }
        catch (final ReflectiveOperationException | ClassCastException ex)
        {
            return null;
        }
    }

    private static boolean zeroFillDirect(final Path file, final long size) throws IOException
    {
        if (DIRECT_OPTION == null)
        {
            return false;
        }
        final FileChannel channel;
        final int blockSize;
        try
        {
            final FileStore store = Files.getFileStore(file.toAbsolutePath().getParent());
            blockSize = (int)Math.max(4096, store.getBlockSize());
            channel = FileChannel.open(
                file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, DIRECT_OPTION);
        }
        catch (final UnsupportedOperationException | IOException ex)
        {
            if (ex instanceof java.nio.file.FileAlreadyExistsException)
            {
                throw (IOException)ex;
            }
            Files.deleteIfExists(file);
            return false;
        }

        try (channel)
        {
            final ByteBuffer zeros = ByteBuffer.allocateDirect(CHUNK_SIZE + blockSize).alignedSlice(blockSize);
            zeros.limit(CHUNK_SIZE);
            long position = 0;
            while (position < size)
            {
                final int length = (int)Math.min(CHUNK_SIZE, size - position);
                zeros.clear().limit(length);
                while (zeros.hasRemaining())
                {
                    position += channel.write(zeros, position);
                }
            }
            channel.force(true);
        }
        catch (final IOException ex)
        {
            if (isDirectIoRefused(ex))
            {
                Files.deleteIfExists(file);
                return false;
            }
            throw ex;
        }
        return true;
    }

    private static boolean isDirectIoRefused(final IOException ex)
    {
        final String message = ex.getMessage();
        return message != null && message.contains("Invalid argument");
    }

    private static void zeroFillBuffered(final Path file, final long size, final int chunkSize) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
        {
            final ByteBuffer zeros = ByteBuffer.allocateDirect(chunkSize);
            long position = 0;
            while (position < size)
            {
                if (position > 0 && position % WRITE_BACK_INTERVAL == 0)
                {
                    channel.force(false);
                }
                final int length = (int)Math.min(chunkSize, size - position);
                zeros.clear().limit(length);
                while (zeros.hasRemaining())
                {
                    position += channel.write(zeros, position);
                }
            }
            channel.force(true);
        }
    }
}
