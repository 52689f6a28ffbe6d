package io.ringwal.journal;

/**
 * How the writer puts frames into the active segment file. Both modes produce the same bytes in the file (the
 * format of docs/FORMAT.md) and keep the same promises (docs/DURABILITY.md); they differ in cost and in when a
 * record becomes visible to readers.
 */
public enum WriteMode
{
    /**
     * The writer stores each frame through the segment's shared memory mapping and releases its length last: a
     * record is visible to readers as soon as its append returns. No system call per record or per batch. Each
     * force writes back pages that are mapped writable, and the kernel write-protects every such page again with a
     * TLB-shootdown interrupt to the other cores running the process (docs/BENCHMARKS.md, "What limits it now"),
     * and so does the background write-back under {@link ForcePolicy#never()} and bounded. For readers that must
     * see each record at its append.
     */
    MAPPED,

    /**
     * The writer frames records into a private staging buffer and copies them into the file with positional
     * {@code write(2)} at each end of batch, force, rotation or close, and whenever the staging buffer is full: the
     * batch with its first frame's length still zero, then that length, so that a reader (through a mapping or
     * with {@code pread}) sees either no new frame or every frame of the copy. A record becomes visible to readers
     * at that copy, not at its append. The mapping stays for readers; the writer never stores through it except
     * for segment headers, so forces and write-back touch pages no process maps writable and need no TLB
     * shootdown. The default under every force policy.
     */
    STAGED
}
