package io.ringwal.segment;

/**
 * How the allocator faults in the pages of a new segment before the writer gets it, so that the writer does not
 * take those page faults on its hot path.
 */
public enum PretouchMode
{
    /** Do not pretouch: the writer takes a page fault (and on a preallocated file a disk read) per new page. */
    NONE,

    /**
     * Read every page through the mapping ({@link java.nio.MappedByteBuffer#load()}): pages come into the page
     * cache clean, and the writer's first store to each page still takes a write-protect fault.
     */
    READ,

    /**
     * Write every page through the mapping (a compare-and-set of 0 to 0 on its first word, which never changes
     * a byte): pages come in dirty and writable, so the writer's first store to a page does not fault. The zero
     * pages may be written back by the kernel before the writer fills them (extra disk writes, never extra data).
     */
    WRITE
}
