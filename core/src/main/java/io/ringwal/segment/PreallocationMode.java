package io.ringwal.segment;

/**
 * How a new segment file gets its blocks.
 */
public enum PreallocationMode
{
    /**
     * Zero-fill with direct I/O ({@code O_DIRECT}), falling back to {@link #BUFFERED} where the file system
     * refuses direct I/O (tmpfs). Reserves real blocks without filling the page cache with large folios, which
     * keeps small forces through the mapping cheap. Pretouching then has to read every page back from the disk. The
     * default under the never and bounded force policies (little CPU on the allocator thread).
     */
    DIRECT,

    /**
     * Zero-fill with ordinary buffered writes of 1 MiB, each written back before the next. Reserves real blocks, but on ext4 leaves the file in the page
     * cache as large folios, so each small force writes back far more than was dirtied.
     */
    BUFFERED,

    /**
     * Zero-fill with ordinary buffered writes of one page (4 KiB) each, written back every MiB, then force. Reserves real blocks and leaves
     * the file in the page cache as small (single-page) folios, so pretouching needs no disk read and small forces
     * write back only what was dirtied. One system call per page on the allocator thread. The default under the
     * every-batch force policy: measured against {@link #DIRECT}, same force cost and no write amplification, but
     * no read-back of the zeros when pretouching, so forces do not queue behind the allocator's reads. Its price is
     * CPU: under never and bounded, where {@link #DIRECT} is the default, it halved sustained appends on two cores
     * (see {@code JournalConfig.defaultPreallocationMode} and docs/BENCHMARKS.md).
     */
    BUFFERED_PAGES,

    /**
     * A sparse file ({@code ftruncate}). No blocks are reserved: a store through the mapping on a full disk
     * raises SIGBUS and kills the JVM. Only for tests and for users who accept that risk.
     */
    SPARSE
}
