package io.ringwal.journal;

import java.time.Duration;
import java.util.Objects;

/**
 * Which finished segments the writer retires on its own: by the total size of the journal, by age, or both (a
 * segment is retired when either limit says so). Retention never retires the active segment, a segment a
 * {@link JournalReader} in this process is on, or a segment holding a record at or above the lowest position a
 * reader in any process registered in {@code positions/} (see {@link ReaderPosition}), unless that position was
 * not updated for longer than {@link #readerPositionTimeout()}.
 *
 * <p>Retired segments are recycled (reused as later segments, without being zero-filled again) when
 * {@link JournalConfig.Builder#recycleSegments(boolean)} is on, the default; otherwise deleted.
 */
public final class RetentionPolicy
{
    private static final RetentionPolicy KEEP_ALL = new RetentionPolicy(Long.MAX_VALUE, null, Duration.ofHours(24));

    private final long maxBytes;
    private final Duration maxAge;
    private final Duration readerPositionTimeout;

    private RetentionPolicy(final long maxBytes, final Duration maxAge, final Duration readerPositionTimeout)
    {
        this.maxBytes = maxBytes;
        this.maxAge = maxAge;
        this.readerPositionTimeout = readerPositionTimeout;
    }

    /**
     * Keep every segment (the default): nothing is retired automatically.
     *
     * @return the policy.
     */
    public static RetentionPolicy keepAll()
    {
        return KEEP_ALL;
    }

    /**
     * Retire the oldest finished segments while the segment files take more than {@code maxBytes} in all.
     *
     * @param maxBytes the limit; at least two segments are always kept (the active one and the one before).
     * @return the policy.
     */
    public static RetentionPolicy maxBytes(final long maxBytes)
    {
        if (maxBytes <= 0)
        {
            throw new IllegalArgumentException("maxBytes=" + maxBytes + " must be positive");
        }
        return new RetentionPolicy(maxBytes, null, KEEP_ALL.readerPositionTimeout);
    }

    /**
     * Retire finished segments that were finished (the next segment was started) longer ago than {@code maxAge}.
     *
     * @param maxAge the age limit.
     * @return the policy.
     */
    public static RetentionPolicy maxAge(final Duration maxAge)
    {
        return new RetentionPolicy(Long.MAX_VALUE, checkPositive(maxAge, "maxAge"), KEEP_ALL.readerPositionTimeout);
    }

    /**
     * The same policy, also retiring segments older than {@code maxAge}.
     *
     * @param maxAge the age limit.
     * @return the combined policy.
     */
    public RetentionPolicy andMaxAge(final Duration maxAge)
    {
        return new RetentionPolicy(maxBytes, checkPositive(maxAge, "maxAge"), readerPositionTimeout);
    }

    /**
     * The same policy, also retiring while the journal takes more than {@code maxBytes}.
     *
     * @param maxBytes the size limit.
     * @return the combined policy.
     */
    public RetentionPolicy andMaxBytes(final long maxBytes)
    {
        return maxBytes(maxBytes).andReaderPositionTimeout(readerPositionTimeout).withAge(maxAge);
    }

    /**
     * The same policy with another timeout after which a reader position that was not updated stops holding
     * segments back (a crashed reader must not stop retention for ever). Default 24 hours.
     *
     * @param timeout the timeout.
     * @return the policy.
     */
    public RetentionPolicy andReaderPositionTimeout(final Duration timeout)
    {
        return new RetentionPolicy(maxBytes, maxAge, checkPositive(timeout, "readerPositionTimeout"));
    }

    private RetentionPolicy withAge(final Duration age)
    {
        return new RetentionPolicy(maxBytes, age, readerPositionTimeout);
    }

    /**
     * Whether the policy never retires anything.
     *
     * @return true for keep-all.
     */
    public boolean keepsAll()
    {
        return maxBytes == Long.MAX_VALUE && maxAge == null;
    }

    /**
     * The size limit, {@link Long#MAX_VALUE} for none.
     *
     * @return bytes.
     */
    public long maxBytesLimit()
    {
        return maxBytes;
    }

    /**
     * The age limit, null for none.
     *
     * @return the age.
     */
    public Duration maxAgeLimit()
    {
        return maxAge;
    }

    /**
     * How long a reader position may go without an update before it stops holding segments back.
     *
     * @return the timeout.
     */
    public Duration readerPositionTimeout()
    {
        return readerPositionTimeout;
    }

    private static Duration checkPositive(final Duration duration, final String name)
    {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero())
        {
            throw new IllegalArgumentException(name + "=" + duration + " must be positive");
        }
        return duration;
    }

    @Override
    public String toString()
    {
        return keepsAll() ? "keep-all" : "RetentionPolicy{" + (maxBytes != Long.MAX_VALUE ? "maxBytes=" + maxBytes : "") +
            (maxAge != null ? (maxBytes != Long.MAX_VALUE ? ", " : "") + "maxAge=" + maxAge : "") +
            ", readerPositionTimeout=" + readerPositionTimeout + '}';
    }
}
