package io.ringwal.journal;

import java.util.concurrent.TimeUnit;

/**
 * When the writer forces written bytes to the storage device. Forces happen only at batch boundaries
 * ({@link JournalWriter#endOfBatch()}), or when the owner calls {@link JournalWriter#forceIfDue()} or
 * {@link JournalWriter#force()}. Whatever the policy, a finished segment is forced whole at rotation and the
 * journal is forced on close. See {@code docs/DURABILITY.md} for what each policy promises.
 */
public final class ForcePolicy
{
    /** The kinds of policy. */
    public enum Kind
    {
        /** Force at the end of every batch: a record is durable before its batch is acknowledged. */
        EVERY_BATCH,
        /** Force at the end of a batch once a time or byte bound has been passed since the last force. */
        BOUNDED,
        /** Never force except at rotation and close: survives a process crash, not an OS crash or power loss. */
        NEVER
    }

    private static final ForcePolicy EVERY_BATCH = new ForcePolicy(Kind.EVERY_BATCH, 0, 0);
    private static final ForcePolicy NEVER = new ForcePolicy(Kind.NEVER, Long.MAX_VALUE, Long.MAX_VALUE);

    private final Kind kind;
    private final long maxDelayNanos;
    private final long maxBytes;

    private ForcePolicy(final Kind kind, final long maxDelayNanos, final long maxBytes)
    {
        this.kind = kind;
        this.maxDelayNanos = maxDelayNanos;
        this.maxBytes = maxBytes;
    }

    /**
     * Force at the end of every batch.
     *
     * @return the policy.
     */
    public static ForcePolicy everyBatch()
    {
        return EVERY_BATCH;
    }

    /**
     * Never force except at segment rotation and close.
     *
     * @return the policy.
     */
    public static ForcePolicy never()
    {
        return NEVER;
    }

    /**
     * Force at the end of a batch when at least {@code maxDelay} has passed since the oldest unforced write, or at
     * least {@code maxBytes} are unforced.
     *
     * @param maxDelay how long written bytes may stay unforced, in {@code unit}; positive.
     * @param unit     the unit of {@code maxDelay}.
     * @param maxBytes how many bytes may stay unforced; positive.
     * @return the policy.
     * @throws IllegalArgumentException if a bound is not positive.
     */
    public static ForcePolicy bounded(final long maxDelay, final TimeUnit unit, final long maxBytes)
    {
        if (maxDelay <= 0)
        {
            throw new IllegalArgumentException("maxDelay=" + maxDelay + " must be positive");
        }
        if (maxBytes <= 0)
        {
            throw new IllegalArgumentException("maxBytes=" + maxBytes + " must be positive");
        }
        return new ForcePolicy(Kind.BOUNDED, unit.toNanos(maxDelay), maxBytes);
    }

    /**
     * Parses {@code every-batch}, {@code never} or {@code bounded:<millis>ms:<bytes>}.
     *
     * @param text the text.
     * @return the policy.
     * @throws IllegalArgumentException if the text is not one of those forms.
     */
    public static ForcePolicy parse(final String text)
    {
        if ("every-batch".equals(text))
        {
            return everyBatch();
        }
        if ("never".equals(text))
        {
            return never();
        }
        if (text != null && text.startsWith("bounded:"))
        {
            final String[] parts = text.split(":");
            if (parts.length == 3 && parts[1].endsWith("ms"))
            {
                try
                {
                    return bounded(Long.parseLong(parts[1].substring(0, parts[1].length() - 2)),
                        TimeUnit.MILLISECONDS, Long.parseLong(parts[2]));
                }
                catch (final NumberFormatException ignore)
                {
                    // reported below
                }
            }
        }
        throw new IllegalArgumentException("force policy '" + text +
            "' is not one of: every-batch, never, bounded:<millis>ms:<bytes> (e.g. bounded:10ms:1048576)");
    }

    /**
     * The kind of policy.
     *
     * @return the kind.
     */
    public Kind kind()
    {
        return kind;
    }

    /**
     * The time bound in nanoseconds ({@code 0} for every batch, {@link Long#MAX_VALUE} for never).
     *
     * @return the bound.
     */
    public long maxDelayNanos()
    {
        return maxDelayNanos;
    }

    /**
     * The byte bound ({@code 0} for every batch, {@link Long#MAX_VALUE} for never).
     *
     * @return the bound.
     */
    public long maxBytes()
    {
        return maxBytes;
    }

    @Override
    public String toString()
    {
        switch (kind)
        {
            case EVERY_BATCH:
                return "every-batch";
            case NEVER:
                return "never";
            default:
                return "bounded:" + TimeUnit.NANOSECONDS.toMillis(maxDelayNanos) + "ms:" + maxBytes;
        }
    }
}
