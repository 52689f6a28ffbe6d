package io.ringwal.peers;

/**
 * Checks the records read back from a contender's files: each must be intact, belong to a known producer and
 * carry that producer's next counter; at the end every producer's count must equal what it published.
 */
public final class RecordChecker
{
    private final Payloads[] payloads;
    private final long[] published;
    private final long[] next;
    private final long[] retired;
    private boolean retiredPrefixAllowed;
    private final java.util.BitSet[] seen;
    private long duplicates;
    private long records;
    private long mangled;
    private long outOfOrder;
    private String firstProblem;

    /**
     * A checker.
     *
     * @param recordSize the record size.
     * @param published  how many records each producer published.
     */
    public RecordChecker(final int recordSize, final long[] published)
    {
        this.published = published.clone();
        this.next = new long[published.length];
        this.retired = new long[published.length];
        this.payloads = new Payloads[published.length];
        this.seen = new java.util.BitSet[published.length];
        for (int p = 0; p < published.length; p++)
        {
            payloads[p] = new Payloads(p, recordSize);
            seen[p] = new java.util.BitSet();
        }
    }

    /**
     * Accepts that each producer's first records are gone (retention retired the oldest segments): the first
     * record read of a producer sets where its records start, and only what follows must be complete.
     *
     * @return this checker.
     */
    public RecordChecker allowRetiredPrefix()
    {
        retiredPrefixAllowed = true;
        return this;
    }

    /**
     * Records the checker accepted as retired (below each producer's first record read).
     *
     * @return the count.
     */
    public long retired()
    {
        long total = 0;
        for (final long r : retired)
        {
            total += r;
        }
        return total;
    }

    /**
     * Checks one record read back.
     *
     * @param record the bytes.
     * @param offset where the record starts.
     * @param length its length.
     */
    public void onRecord(final byte[] record, final int offset, final int length)
    {
        records++;
        final int p = length >= Payloads.MIN_SIZE ? Payloads.producerOf(record, offset) : -1;
        final long counter = p >= 0 && p < payloads.length ? Payloads.counterOf(record, offset) : -1;
        if (counter < 0 || !payloads[p].matches(record, offset, length, counter))
        {
            mangled++;
            problem("record #" + (records - 1) + " (length " + length + ") is mangled");
            return;
        }
        if (counter < Integer.MAX_VALUE)
        {
            if (seen[p].get((int)counter))
            {
                duplicates++;
            }
            seen[p].set((int)counter);
        }
        if (retiredPrefixAllowed && next[p] == 0 && counter > 0 && retired[p] == 0 && seen[p].cardinality() == 1)
        {
            retired[p] = counter;
            next[p] = counter;
        }
        if (counter != next[p])
        {
            outOfOrder++;
            problem("producer " + p + ": expected counter " + next[p] + " but read " + counter);
        }
        next[p] = counter + 1;
    }

    /**
     * Notes a problem found outside a record (a torn frame, a bad CRC, an unreadable file).
     *
     * @param text what was wrong.
     */
    public void problem(final String text)
    {
        if (firstProblem == null)
        {
            firstProblem = text;
        }
    }

    /**
     * Counts a frame whose own check (CRC, length) failed as mangled.
     *
     * @param text what was wrong.
     */
    public void mangledFrame(final String text)
    {
        mangled++;
        problem(text);
    }

    /**
     * The verdict.
     *
     * @return the result.
     */
    public VerifyResult result()
    {
        long missing = 0;
        long expected = 0;
        for (int p = 0; p < published.length; p++)
        {
            expected += published[p] - retired[p];
            final long found = seen[p].get(0, (int)Math.min(published[p], Integer.MAX_VALUE)).cardinality();
            if (found < published[p] - retired[p])
            {
                missing += published[p] - retired[p] - found;
                problem("producer " + p + ": published " + published[p] + " but only " + found +
                    " distinct records were read back");
            }
            if (seen[p].length() > published[p])
            {
                problem("producer " + p + ": read counter " + (seen[p].length() - 1) + " beyond the " +
                    published[p] + " published");
                mangled++;
            }
        }
        mangled += duplicates;
        return new VerifyResult(expected, records, missing, mangled, outOfOrder, firstProblem);
    }
}
