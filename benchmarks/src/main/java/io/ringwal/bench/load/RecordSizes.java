package io.ringwal.bench.load;

/**
 * Record sizes for a load run: one fixed size, or sizes drawn uniformly from {@code [min, max]} by a xorshift
 * generator (no allocation, reproducible from the seed).
 */
public final class RecordSizes
{
    private final int min;
    private final int max;
    private long state;

    /**
     * Creates the sizes.
     *
     * @param min  the smallest size, not negative.
     * @param max  the largest size, at least {@code min}.
     * @param seed the generator seed.
     * @throws IllegalArgumentException if the range is invalid.
     */
    public RecordSizes(final int min, final int max, final long seed)
    {
        if (min < 0 || max < min)
        {
            throw new IllegalArgumentException("record size range " + min + "-" + max + " is invalid: need " +
                "0 <= MIN <= MAX");
        }
        this.min = min;
        this.max = max;
        this.state = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
    }

    /**
     * Parses {@code BYTES} or {@code MIN-MAX}.
     *
     * @param text the text.
     * @return the sizes (seed 42).
     * @throws IllegalArgumentException naming the text if it is not one of those forms.
     */
    public static RecordSizes parse(final String text)
    {
        final String trimmed = text.trim();
        final int dash = trimmed.indexOf('-', 1);
        try
        {
            if (dash < 0)
            {
                final int size = Integer.parseInt(trimmed);
                return new RecordSizes(size, size, 42);
            }
            return new RecordSizes(Integer.parseInt(trimmed.substring(0, dash).trim()),
                Integer.parseInt(trimmed.substring(dash + 1).trim()), 42);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("record size '" + text + "' is not BYTES or MIN-MAX (e.g. 256 or " +
                "64-4096)", ex);
        }
    }

    /**
     * A generator of the same sizes with its own state (generators are not thread-safe).
     *
     * @param seed the new generator's seed.
     * @return the copy.
     */
    public RecordSizes copy(final long seed)
    {
        return new RecordSizes(min, max, seed);
    }

    /**
     * The next size.
     *
     * @return a size in {@code [min, max]}.
     */
    public int next()
    {
        if (min == max)
        {
            return min;
        }
        long x = state;
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        state = x;
        return min + (int)Math.floorMod(x, (long)(max - min + 1));
    }

    /**
     * The smallest size.
     *
     * @return the size.
     */
    public int min()
    {
        return min;
    }

    /**
     * The largest size.
     *
     * @return the size.
     */
    public int max()
    {
        return max;
    }

    /**
     * The mean size.
     *
     * @return the mean.
     */
    public double mean()
    {
        return (min + (double)max) / 2.0;
    }

    @Override
    public String toString()
    {
        return min == max ? Integer.toString(min) : min + "-" + max;
    }
}
