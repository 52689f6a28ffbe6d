package io.ringwal.logging;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.ringwal.disruptor.JournalPipeline;
import io.ringwal.disruptor.JournalPipelineBuilder;
import io.ringwal.disruptor.RecordTranslator;
import io.ringwal.journal.JournalException;

/**
 * One journal that log lines go to: a started {@link JournalPipeline} plus a maintenance thread (retention by age
 * and size, and noticing a failed writer even when nobody logs), with the counters an appender reports. Appenders
 * get one through {@link LogJournals}, which shares it between the old and the new appender of a reconfiguration.
 *
 * <p>{@link #append} never throws and never waits forever: it returns a status. A failed journal (full disk, failed
 * force) is reported once to the {@link FaultListener}s and every later line is refused and counted.
 */
public final class LogJournal
{
    /** The line is in the ring (in durable mode: forced to the device). */
    public static final int APPENDED = 0;
    /** The ring was full and the ring-full policy is {@link RingFullPolicy#DROP}: the line is dropped. */
    public static final int DROPPED = 1;
    /** The journal failed or is closed: the line is refused. */
    public static final int FAILED = 2;
    /** Durable mode: the line is in the journal, but was not forced within the durable timeout. */
    public static final int NOT_DURABLE = 3;
    /** The layout threw while encoding: an empty record stands in the journal for the line. */
    public static final int ENCODE_FAILED = 4;

    private static final System.Logger LOG = System.getLogger(LogJournal.class.getName());
    private static final long MAINTENANCE_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final VarHandle DROPPED_LINES;
    private static final VarHandle FAILED_LINES;
    private static final VarHandle TRUNCATED_LINES;
    private static final VarHandle NOT_DURABLE_LINES;
    private static final VarHandle ENCODE_ERRORS;
    private static final VarHandle FAULT_REPORTED;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            DROPPED_LINES = lookup.findVarHandle(LogJournal.class, "droppedLines", long.class);
            FAILED_LINES = lookup.findVarHandle(LogJournal.class, "failedLines", long.class);
            TRUNCATED_LINES = lookup.findVarHandle(LogJournal.class, "truncatedLines", long.class);
            NOT_DURABLE_LINES = lookup.findVarHandle(LogJournal.class, "notDurableLines", long.class);
            ENCODE_ERRORS = lookup.findVarHandle(LogJournal.class, "encodeErrors", long.class);
            FAULT_REPORTED = lookup.findVarHandle(LogJournal.class, "faultReported", boolean.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final LogJournalConfig config;
    private final JournalPipeline pipeline;
    private final boolean drop;
    private final boolean durable;
    private final long durableTimeoutNanos;
    private final List<FaultListener> listeners = new CopyOnWriteArrayList<>();
    private final Thread maintenance;
    private volatile boolean stopping;
    private volatile Throwable retentionFailure;

    @SuppressWarnings("unused") // accessed through DROPPED_LINES
    private volatile long droppedLines;
    @SuppressWarnings("unused") // accessed through FAILED_LINES
    private volatile long failedLines;
    @SuppressWarnings("unused") // accessed through TRUNCATED_LINES
    private volatile long truncatedLines;
    @SuppressWarnings("unused") // accessed through NOT_DURABLE_LINES
    private volatile long notDurableLines;
    @SuppressWarnings("unused") // accessed through ENCODE_ERRORS
    private volatile long encodeErrors;
    @SuppressWarnings("unused") // accessed through FAULT_REPORTED
    private volatile boolean faultReported;

    private LogJournal(final LogJournalConfig config, final JournalPipeline pipeline)
    {
        this.config = config;
        this.pipeline = pipeline;
        this.drop = config.ringFull() == RingFullPolicy.DROP;
        this.durable = config.durable();
        this.durableTimeoutNanos = config.durableTimeoutNanos();
        this.maintenance = new Thread(this::maintain, "ringwal-log-maintenance-" +
            config.directory().getFileName());
        this.maintenance.setDaemon(true);
    }

    /**
     * Opens (recovering) the journal and starts its writer and maintenance threads.
     *
     * @param config the settings.
     * @return the running journal.
     * @throws JournalException if the journal cannot be opened, e.g. a
     *                          {@link io.ringwal.journal.JournalLockedException} when another writer holds it.
     */
    static LogJournal open(final LogJournalConfig config)
    {
        final JournalPipelineBuilder builder = JournalPipeline.builder(config.directory())
            .journalConfig(config.journalConfig())
            .ringSize(config.ringSize())
            .maxRecordSize(config.maxLineSize())
            .slotSize(config.slotSize());
        final com.lmax.disruptor.WaitStrategy strategy =
            WaitStrategies.create(config.waitStrategy(), config.forcePolicy());
        if (strategy != null)
        {
            builder.waitStrategy(strategy);
        }
        final JournalPipeline pipeline = builder.build().start();
        final LogJournal journal = new LogJournal(config, pipeline);
        journal.maintenance.start();
        return journal;
    }

    /**
     * Appends one line that {@code translator} writes straight into the claimed ring slot. Allocates nothing and
     * takes no lock while the journal is healthy (the ring-full wait of {@link RingFullPolicy#WAIT} spins and
     * parks for 1 ns at a time; durable mode parks until the writer's force wakes it).
     *
     * @param translator writes the encoded line and returns its length.
     * @param arg        passed to the translator.
     * @param <A>        the argument type.
     * @return {@link #APPENDED}, {@link #DROPPED}, {@link #FAILED}, {@link #NOT_DURABLE} or {@link #ENCODE_FAILED}.
     */
    public <A> int append(final RecordTranslator<A> translator, final A arg)
    {
        final JournalPipeline pipeline = this.pipeline;
        if (pipeline.failure() != null)
        {
            return refused();
        }
        final long sequence;
        try
        {
            if (drop)
            {
                sequence = pipeline.tryPublish(translator, arg);
                if (sequence == JournalPipeline.RING_FULL)
                {
                    DROPPED_LINES.getAndAdd(this, 1L);
                    return DROPPED;
                }
            }
            else
            {
                sequence = pipeline.publish(translator, arg);
            }
        }
        catch (final JournalException | IllegalStateException ex)
        {
            return refused();
        }
        catch (final RuntimeException | Error ex)
        {
            ENCODE_ERRORS.getAndAdd(this, 1L);
            return ENCODE_FAILED;
        }
        return durable ? awaitDurable(sequence) : APPENDED;
    }

    private int awaitDurable(final long sequence)
    {
        try
        {
            if (pipeline.awaitDurable(sequence, durableTimeoutNanos, TimeUnit.NANOSECONDS))
            {
                return APPENDED;
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final JournalException ex)
        {
            noticeFailure();
            NOT_DURABLE_LINES.getAndAdd(this, 1L);
            return FAILED;
        }
        NOT_DURABLE_LINES.getAndAdd(this, 1L);
        return NOT_DURABLE;
    }

    private int refused()
    {
        FAILED_LINES.getAndAdd(this, 1L);
        noticeFailure();
        return FAILED;
    }

    /** Counts a line whose layout threw before it reached the ring (nothing is written for it). */
    public void countEncodeError()
    {
        ENCODE_ERRORS.getAndAdd(this, 1L);
    }

    /** Counts a line the appender cut at {@link LogJournalConfig#maxLineSize()}. */
    public void countTruncated()
    {
        TRUNCATED_LINES.getAndAdd(this, 1L);
    }

    /**
     * Adds a listener told once when the journal fails (at once if it already failed and was reported).
     *
     * @param listener the listener.
     */
    void addListener(final FaultListener listener)
    {
        listeners.add(listener);
    }

    /**
     * Removes a listener.
     *
     * @param listener the listener.
     */
    void removeListener(final FaultListener listener)
    {
        listeners.remove(listener);
    }

    private void noticeFailure()
    {
        final Throwable failure = pipeline.failure();
        if (failure != null && FAULT_REPORTED.compareAndSet(this, false, true))
        {
            tell("ringwal journal " + config.directory() + " failed, no line is written after this (lines " +
                "refused so far: " + failedLines() + "): " + failure, failure);
        }
        else if (failure == null && pipeline.isClosed() && FAULT_REPORTED.compareAndSet(this, false, true))
        {
            tell("ringwal journal " + config.directory() + " is closed; lines logged to it are refused and counted",
                null);
        }
    }

    private void tell(final String message, final Throwable cause)
    {
        for (final FaultListener listener : listeners)
        {
            try
            {
                listener.onFault(message, cause);
            }
            catch (final RuntimeException ex)
            {
                LOG.log(System.Logger.Level.WARNING, "fault listener " + listener + " threw", ex);
            }
        }
        if (listeners.isEmpty())
        {
            LOG.log(System.Logger.Level.ERROR, message, cause);
        }
    }

    private void maintain()
    {
        final long interval = config.retentionIntervalNanos();
        final boolean retention = config.maxAgeNanos() > 0 || config.maxTotalSize() > 0;
        long nextRetention = System.nanoTime();
        while (!stopping)
        {
            if (pipeline.failure() != null)
            {
                noticeFailure();
            }
            else if (retention && System.nanoTime() - nextRetention >= 0)
            {
                runRetention();
                nextRetention = System.nanoTime() + interval;
            }
            LockSupport.parkNanos(this, MAINTENANCE_TICK_NANOS);
        }
    }

    /**
     * Runs retention now (the maintenance thread also runs it every {@link LogJournalConfig#retentionIntervalNanos()}).
     *
     * @return the segment files deleted.
     */
    public List<Path> runRetention()
    {
        try
        {
            return SegmentRetention.apply(config.directory(), TimeUnit.NANOSECONDS.toMillis(config.maxAgeNanos()),
                config.maxTotalSize(), System.currentTimeMillis());
        }
        catch (final RuntimeException ex)
        {
            if (retentionFailure == null)
            {
                retentionFailure = ex;
                tell("ringwal journal " + config.directory() + ": retention failed (reported once): " + ex, ex);
            }
            return List.of();
        }
    }

    /**
     * Stops accepting lines, drains the ring into the journal, forces it and closes it; stops the maintenance
     * thread. Idempotent; returns normally even if the journal failed (then reported once).
     */
    void close()
    {
        stopping = true;
        LockSupport.unpark(maintenance);
        pipeline.close();
        try
        {
            maintenance.join(TimeUnit.SECONDS.toMillis(5));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        if (pipeline.failure() != null)
        {
            noticeFailure();
        }
    }

    /**
     * The settings.
     *
     * @return the configuration.
     */
    public LogJournalConfig config()
    {
        return config;
    }

    /**
     * The pipeline under this journal (its counters, its durable watermark).
     *
     * @return the pipeline.
     */
    public JournalPipeline pipeline()
    {
        return pipeline;
    }

    /**
     * Lines dropped because the ring was full ({@link RingFullPolicy#DROP}).
     *
     * @return the count.
     */
    public long droppedLines()
    {
        return (long)DROPPED_LINES.getVolatile(this);
    }

    /**
     * Lines refused because the journal had failed or was closed.
     *
     * @return the count.
     */
    public long failedLines()
    {
        return (long)FAILED_LINES.getVolatile(this);
    }

    /**
     * Lines cut at the maximum line size.
     *
     * @return the count.
     */
    public long truncatedLines()
    {
        return (long)TRUNCATED_LINES.getVolatile(this);
    }

    /**
     * Durable-mode lines that were not confirmed durable (timeout, interrupt or failure).
     *
     * @return the count.
     */
    public long notDurableLines()
    {
        return (long)NOT_DURABLE_LINES.getVolatile(this);
    }

    /**
     * Lines whose layout threw while encoding (in the slot: an empty record stands in their place; before the
     * claim: nothing is written).
     *
     * @return the count.
     */
    public long encodeErrors()
    {
        return (long)ENCODE_ERRORS.getVolatile(this);
    }

    /**
     * Lines written into the journal by the writer thread (may lag by a batch).
     *
     * @return the count.
     */
    public long writtenLines()
    {
        return pipeline.counters().records();
    }

    /**
     * The writer's failure, or null.
     *
     * @return the failure.
     */
    public Throwable failure()
    {
        return pipeline.failure();
    }

    @Override
    public String toString()
    {
        return "LogJournal{" + config.directory() + ", written=" + writtenLines() + ", dropped=" + droppedLines() +
            ", failed=" + failedLines() + ", truncated=" + truncatedLines() + ", notDurable=" + notDurableLines() +
            ", encodeErrors=" + encodeErrors() + ", failure=" + failure() + '}';
    }
}
