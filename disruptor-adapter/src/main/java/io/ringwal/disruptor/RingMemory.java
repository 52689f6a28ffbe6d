package io.ringwal.disruptor;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.agrona.BitUtil;
import org.agrona.BufferUtil;

/**
 * The off-heap memory of a pipeline's ring slots: the one buffer the ring allocates at build time, and the chunks
 * that slots grown for records longer than the slot size are carved from. Carving from chunks (of up to 64 KiB)
 * rather than allocating a direct buffer per growth keeps a growth to a compare-and-set and a pointer bump, with
 * one allocation, zeroed at once, per chunk; a slot that grows again leaves its earlier region unused, so the
 * chunks hold at most about twice what the slots need. Nothing here locks; a chunk that two threads both
 * allocated at once is dropped by the one that lost the race.
 */
final class RingMemory
{
    static final int MAX_CHUNK_SIZE = 64 * 1024;

    private final int chunkSize;
    private final AtomicReference<Chunk> current = new AtomicReference<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong growths = new AtomicLong();

    /**
     * @param chunkSize bytes of each chunk grown slots are carved from (a larger region gets a chunk of its own).
     */
    RingMemory(final int chunkSize)
    {
        this.chunkSize = chunkSize;
    }

    /**
     * The chunk size for a ring: a quarter of what the ring would hold with every slot at the maximum, at most
     * {@link #MAX_CHUNK_SIZE}, at least one page.
     */
    static int chunkSizeFor(final int ringSize, final int maxFrameBytes)
    {
        final long full = (long)ringSize * maxFrameBytes;
        return (int)Math.max(4096, Math.min(MAX_CHUNK_SIZE, full / 4));
    }

    void ringAllocated(final long ringBytes)
    {
        bytes.addAndGet(ringBytes);
    }

    /**
     * Carves a cache-line-aligned region for a grown slot.
     *
     * @param length bytes, a multiple of the cache line.
     * @return the chunk and the region's offset in it; valid for as long as the slot uses it.
     */
    Region carve(final int length)
    {
        growths.incrementAndGet();
        while (true)
        {
            final Chunk chunk = current.get();
            if (chunk != null)
            {
                final int offset = chunk.claim(length);
                if (offset >= 0)
                {
                    return new Region(chunk.memory, offset);
                }
            }
            final Chunk fresh = new Chunk(Math.max(chunkSize, length));
            if (current.compareAndSet(chunk, fresh))
            {
                bytes.addAndGet(fresh.memory.capacity());
            }
        }
    }

    /**
     * Bytes of slot memory the ring holds now.
     *
     * @return bytes.
     */
    long bytes()
    {
        return bytes.get();
    }

    /**
     * How many times a slot grew.
     *
     * @return the count.
     */
    long growths()
    {
        return growths.get();
    }

    /** A region of a chunk: where a grown slot's frame area lives. */
    static final class Region
    {
        final ByteBuffer memory;
        final int offset;

        Region(final ByteBuffer memory, final int offset)
        {
            this.memory = memory;
            this.offset = offset;
        }
    }

    private static final class Chunk
    {
        final ByteBuffer memory;
        private final AtomicInteger used = new AtomicInteger();

        Chunk(final int size)
        {
            this.memory = BufferUtil.allocateDirectAligned(BitUtil.align(size, BitUtil.CACHE_LINE_LENGTH),
                BitUtil.CACHE_LINE_LENGTH);
        }

        int claim(final int length)
        {
            while (true)
            {
                final int at = used.get();
                if (at + length > memory.capacity())
                {
                    return -1;
                }
                if (used.compareAndSet(at, at + length))
                {
                    return at;
                }
            }
        }
    }
}
