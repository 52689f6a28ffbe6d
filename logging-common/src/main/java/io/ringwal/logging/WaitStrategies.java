package io.ringwal.logging;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.LiteTimeoutBlockingWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;

import io.ringwal.journal.ForcePolicy;

/**
 * The writer thread's wait strategies by name, as the {@code waitStrategy} attribute gives them.
 * <ul>
 *     <li>{@code default}: spin 10 µs, yield up to 1 ms, then block with a timeout (the pipeline's default; best
 *     on most machines: near-spinning latency under load, no CPU when idle);</li>
 *     <li>{@code blocking}: block at once with a timeout (least CPU; each line that wakes the writer pays a lock
 *     and a futex wake);</li>
 *     <li>{@code yielding}: spin then {@code Thread.yield()} (one core busy while idle);</li>
 *     <li>{@code sleeping}: spin, yield, then 100 µs sleeps;</li>
 *     <li>{@code busy-spin}: never gives up the core (only with a core to spare for the writer).</li>
 * </ul>
 * The timeouts keep a bounded force policy's time bound when no line comes; {@code yielding}, {@code sleeping} and
 * {@code busy-spin} never time out, so under a bounded policy the bound holds only while lines keep coming.
 */
public final class WaitStrategies
{
    /** The names accepted, in the order documented. */
    public static final String NAMES = "default, blocking, yielding, sleeping, busy-spin";

    private WaitStrategies()
    {
    }

    /**
     * Checks a name.
     *
     * @param text the name.
     * @return the name, trimmed and lower case.
     * @throws IllegalArgumentException naming the value if it is not a known strategy.
     */
    public static String check(final String text)
    {
        final String name = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        switch (name)
        {
            case "default":
            case "blocking":
            case "yielding":
            case "sleeping":
            case "busy-spin":
                return name;
            default:
                throw new IllegalArgumentException("waitStrategy='" + text + "' is not one of: " + NAMES);
        }
    }

    /**
     * Makes the strategy named, or null for {@code default} (the pipeline then builds its own default).
     *
     * @param name        a name that passed {@link #check}.
     * @param forcePolicy the force policy (its time bound sets the blocking timeout).
     * @return a new strategy, or null.
     */
    public static WaitStrategy create(final String name, final ForcePolicy forcePolicy)
    {
        switch (check(name))
        {
            case "blocking":
                return new LiteTimeoutBlockingWaitStrategy(idleTimeoutNanos(forcePolicy), TimeUnit.NANOSECONDS);
            case "yielding":
                return new YieldingWaitStrategy();
            case "sleeping":
                return new SleepingWaitStrategy();
            case "busy-spin":
                return new BusySpinWaitStrategy();
            default:
                return null;
        }
    }

    private static long idleTimeoutNanos(final ForcePolicy policy)
    {
        if (policy.kind() == ForcePolicy.Kind.BOUNDED)
        {
            return Math.max(TimeUnit.MICROSECONDS.toNanos(100), policy.maxDelayNanos() / 4);
        }
        return TimeUnit.MILLISECONDS.toNanos(10);
    }
}
