package io.ringwal.micrometer;

import io.ringwal.format.CounterId;

/**
 * Where {@link RingwalMetrics} reads a counter's value at scrape time: a pipeline in this process or a counters
 * file. Called from the registry's threads.
 */
interface CounterSource
{
    /**
     * A counter's current value.
     *
     * @param id the counter.
     * @return its value, or {@code NaN} when unknown (no counters file).
     */
    double value(CounterId id);

    /**
     * Whether a live writer is behind the values.
     *
     * @return 1 if live, 0 if not.
     */
    double up();
}
