package io.ringwal.micrometer;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.ringwal.disruptor.JournalPipeline;
import io.ringwal.format.CounterId;

/**
 * Exposes a ringwal journal's counters ({@link CounterId}) to any Micrometer registry: from a
 * {@link JournalPipeline} in this process ({@link #of(JournalPipeline, Tag...)}) or from the journal's counters file,
 * written by a pipeline or a {@code JournalCountersPublisher} in any process ({@link #ofCountersFile(Path, Tag...)}).
 *
 * <p>Meter names are {@code ringwal.} and the counter's label with dots ({@code records} becomes
 * {@code ringwal.records}, Prometheus {@code ringwal_records_total}). Monotonic counters are
 * {@link FunctionCounter}s; the times (force, rotation, allocator wait) are counters in seconds
 * ({@code ringwal_force_time_seconds_total}); sequences and the ring fill are gauges; {@code ringwal.writer.up}
 * is 1 while a writer is live. Every meter carries the tag {@code directory} and the tags given. Values are read
 * at scrape time: nothing runs between scrapes and the journal's hot path is not touched.
 *
 * <pre>{@code
 * RingwalMetrics.of(pipeline).bindTo(registry);                 // in the writer's process
 * RingwalMetrics.ofCountersFile(journalDir).bindTo(registry);   // in a sidecar or any other process
 * }</pre>
 */
public final class RingwalMetrics implements MeterBinder, AutoCloseable
{
    /** How old a running writer's heartbeat may be before {@code ringwal.writer.up} says 0, in milliseconds. */
    public static final long DEFAULT_STALE_AFTER_MILLIS = 5_000;

    private final CounterSource source;
    private final Tags tags;

    private RingwalMetrics(final CounterSource source, final Tags tags)
    {
        this.source = source;
        this.tags = tags;
    }

    /**
     * Meters for a pipeline in this process, read directly from its counters. {@code forced_bytes} and
     * {@code rotation_time} are only in the counters file and are not registered here.
     *
     * @param pipeline the pipeline.
     * @param extraTags tags added to every meter.
     * @return the binder.
     */
    public static RingwalMetrics of(final JournalPipeline pipeline, final Tag... extraTags)
    {
        Objects.requireNonNull(pipeline, "pipeline");
        return new RingwalMetrics(new PipelineSource(pipeline),
            Tags.of("directory", pipeline.directory().toString()).and(extraTags));
    }

    /**
     * Meters read from the counters file of the journal in {@code directory}, which may not exist yet: values
     * are {@code NaN} while there is none, and a later writer's file is picked up within a second.
     *
     * @param directory the journal directory.
     * @param extraTags tags added to every meter.
     * @return the binder; close it to unmap the file.
     */
    public static RingwalMetrics ofCountersFile(final Path directory, final Tag... extraTags)
    {
        final Path dir = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
        return new RingwalMetrics(new CountersFileSource(dir, DEFAULT_STALE_AFTER_MILLIS),
            Tags.of("directory", dir.toString()).and(extraTags));
    }

    @Override
    public void bindTo(final MeterRegistry registry)
    {
        final boolean inProcess = source instanceof PipelineSource;
        for (final CounterId id : CounterId.values())
        {
            if (inProcess && (id == CounterId.FORCED_BYTES || id == CounterId.ROTATION_NANOS))
            {
                continue;
            }
            final boolean nanos = "nanoseconds".equals(id.unit());
            final String name = "ringwal." + id.label().replace('_', '.');
            if (id.kind() == CounterId.Kind.COUNT)
            {
                FunctionCounter.builder(name, source, nanos ? s -> s.value(id) / 1e9 : s -> s.value(id))
                    .description(id.description())
                    .baseUnit(nanos ? "seconds" : id.unit().toLowerCase(Locale.ROOT))
                    .tags(tags)
                    .register(registry);
            }
            else
            {
                Gauge.builder(name, source, s -> s.value(id))
                    .description(id.description())
                    .baseUnit(id.unit())
                    .tags(tags)
                    .register(registry);
            }
        }
        // strongly held by the registry: Micrometer's function counters keep only a weak reference to their source,
        // which would otherwise be collected (their values turning NaN) when the caller drops this binder
        Gauge.builder("ringwal.writer.up", source, CounterSource::up)
            .description("1 while a live writer publishes the counters, 0 otherwise")
            .strongReference(true)
            .tags(tags)
            .register(registry);
    }

    /**
     * Unmaps the counters file (for {@link #ofCountersFile(Path, Tag...)}); the meters report {@code NaN} from then on. Nothing to
     * do for an in-process pipeline. Idempotent.
     */
    @Override
    public void close()
    {
        if (source instanceof CountersFileSource)
        {
            ((CountersFileSource)source).close();
        }
    }
}
