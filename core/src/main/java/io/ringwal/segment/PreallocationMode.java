package io.ringwal.segment;

/**
 * How a new segment file gets its blocks.
 */
public enum PreallocationMode
{
    /**
     * Zero-fill with direct I/O ({@code O_DIRECT}), falling back to {@link #BUFFERED} where the file system
     * refuses direct I/O (tmpfs). Reserves real blocks without going through the page cache, so the pages fault in
     * through the mapping as large folios (up to 2 MiB on ext4): a force then writes back whole folios, which makes
     * small forces write several times what they dirtied, but cleans a folio with one write-protect and TLB
     * shootdown where single pages need one each. Best for large forces and for never/bounded.
     */
    DIRECT,

    /**
     * Zero-fill with ordinary buffered writes of 1 MiB, each written back before the next. Reserves real blocks
     * and on ext4 leaves the file in the page cache as large folios. Under mapped writes each small force then
     * writes back far more than was dirtied (a store through the mapping dirties the whole folio). Under staged
     * writes it does not ({@code write(2)} dirties only the blocks it covers), and large folios make the copy and
     * its force about 1.4&times; as fast as single-page ones: what {@link #ADAPTIVE} means with staged writes.
     */
    BUFFERED,

    /**
     * Zero-fill with ordinary buffered writes of one page (4 KiB) each, written back every MiB, then force.
     * Reserves real blocks and leaves the file in the page cache as small (single-page) folios, so pretouching
     * needs no disk read and small forces write back only what was dirtied. One system call per page on the
     * allocator thread. Best for small forces: no read-back of the zeros when pretouching, so forces do not queue
     * behind the allocator's reads. Its price is CPU and write-back traffic: it halved sustained appends under never
     * on two cores, and large forces are slower than on {@link #DIRECT} segments ({@link #ADAPTIVE}, the default,
     * picks between the two; see docs/BENCHMARKS.md).
     */
    BUFFERED_PAGES,

    /**
     * {@link #BUFFERED_PAGES} or {@link #DIRECT}, chosen for each new segment by the size of the writer's recent
     * forces (docs/BENCHMARKS.md, "Preallocation and the page cache"): page-sized zero-fill while forces are
     * small (a force every batch at moderate rates), direct zero-fill once they are large (full speed, or rare
     * forces under never and bounded). With staged writes it means {@link #BUFFERED} for every segment instead (see
     * {@code JournalConfig.effectivePreallocationMode()}). The journal's default for every force policy. Only the
     * allocator resolves it; the preallocator takes the concrete modes.
     */
    ADAPTIVE,

    /**
     * A sparse file ({@code ftruncate}). No blocks are reserved: they are allocated as the data is written back,
     * so each byte reaches the disk once, but a full disk can be met in the middle of a segment instead of at a
     * rotation. Under mapped writes a store into a hole on a full disk raises SIGBUS and kills the JVM; never use
     * it there. Under staged writes the writer then fails cleanly ({@code write(2)} returns ENOSPC): for a journal
     * that can neither reserve nor recycle segments and accepts that failure, it is the fastest first fill (see
     * docs/BENCHMARKS.md, "A new journal without reserved files").
     */
    SPARSE
}
