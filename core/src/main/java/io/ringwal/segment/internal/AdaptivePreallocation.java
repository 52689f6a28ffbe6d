package io.ringwal.segment.internal;

import io.ringwal.segment.PreallocationMode;

/**
 * Chooses how to preallocate each new segment under {@link PreallocationMode#ADAPTIVE}, from the size of the
 * writer's recent forces: {@link PreallocationMode#BUFFERED_PAGES} while they are small,
 * {@link PreallocationMode#DIRECT} once they are large.
 *
 * <p>Why: on the reference machine (2 cores, ext4 on virtio) forces of a few pages are up to 2.4&times; cheaper on
 * a segment zero-filled page by page (nothing reads the zeros back from the disk while the writer forces), and
 * forces of a MiB are 1.6&times; cheaper on a segment zero-filled with direct I/O (page-sized zero-fill costs the
 * allocator a system call per page, and its write-back competes with the writer's). Force-every-batch with 1 KiB
 * records, batches/s: 16 per batch 3,499 (DIRECT) against 8,453 (BUFFERED_PAGES); 128 per batch 1,932 against
 * 1,911; 256 per batch 1,142 against 961; 1,024 per batch 389 against 249 (docs/BENCHMARKS.md). The crossover is
 * near {@value #THRESHOLD_BYTES} bytes per force.
 *
 * <p>The writer thread reports each force ({@link #recordForce}); the allocator thread reads the running average
 * when it starts preparing a segment ({@link #choose}). The average is an exponentially weighted mean over about
 * the last eight forces, kept in one volatile field: one volatile read and write per force, next to a force that
 * takes tens of microseconds at least.
 */
public final class AdaptivePreallocation
{
    /** Average force size (bytes) from which segments are zero-filled with direct I/O. */
    public static final long THRESHOLD_BYTES = 128 * 1024;

    /**
     * Average force size (bytes) below which a segment's pages are brought into the page cache as single pages
     * ({@link MappedSegment#primeUncachedPages()}) rather than faulted in as large folios. Single pages make a force
     * write back only what it dirtied; large folios make write-back clean one folio with one write-protect and TLB
     * shootdown instead of one per page. Where the threshold lies depends on the cost of a TLB shootdown against
     * that of writing an extra page; 1 MiB is where large folios paid off on the machine measured
     * (docs/BENCHMARKS.md, "Folio size").
     */
    public static final long SINGLE_PAGE_FOLIO_THRESHOLD_BYTES = 1024 * 1024;

    private volatile long averageForceBytes;

    /**
     * Starts with a guess, used until forces are reported.
     *
     * @param initialAverageForceBytes the assumed average force size: small for a writer that forces every
     *                                 batch, large for one that forces rarely.
     */
    public AdaptivePreallocation(final long initialAverageForceBytes)
    {
        if (initialAverageForceBytes < 0)
        {
            throw new IllegalArgumentException("initialAverageForceBytes=" + initialAverageForceBytes +
                " must not be negative");
        }
        this.averageForceBytes = initialAverageForceBytes;
    }

    /**
     * Reports one force of the writer. Call from the writer thread only.
     *
     * @param bytes the length of the forced range.
     */
    public void recordForce(final long bytes)
    {
        final long average = averageForceBytes;
        averageForceBytes = average + ((Math.max(0, bytes) - average) >> 3);
    }

    /**
     * The running average force size.
     *
     * @return bytes.
     */
    public long averageForceBytes()
    {
        return averageForceBytes;
    }

    /**
     * Whether the next segment's uncached pages should come into the page cache as single pages.
     *
     * @return true if the average force is below {@link #SINGLE_PAGE_FOLIO_THRESHOLD_BYTES}.
     */
    public boolean singlePageFolios()
    {
        return averageForceBytes < SINGLE_PAGE_FOLIO_THRESHOLD_BYTES;
    }

    /**
     * The mode for the next segment.
     *
     * @return {@link PreallocationMode#DIRECT} if the average force is at least {@link #THRESHOLD_BYTES},
     *         otherwise {@link PreallocationMode#BUFFERED_PAGES}.
     */
    public PreallocationMode choose()
    {
        return averageForceBytes >= THRESHOLD_BYTES ? PreallocationMode.DIRECT : PreallocationMode.BUFFERED_PAGES;
    }
}
