package io.ringwal.segment.internal;

/**
 * The memory page size the journal assumes when it aligns a force or write-back range down to a page start and
 * when it pre-touches or zero-fills a segment page by page: 4 KiB, the base page of Linux on x86-64.
 */
public final class PageSize
{
    /** Bytes in a page. */
    public static final int PAGE_SIZE = 4096;

    private PageSize()
    {
    }
}
