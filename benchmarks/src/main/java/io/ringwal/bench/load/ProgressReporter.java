package io.ringwal.bench.load;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Prints one progress line per second from a daemon thread: records published, records/s and MB/s over the
 * last second, the ring fill (records published but not yet written by the writer, as a share of the ring) and
 * forces per second.
 */
public final class ProgressReporter implements Runnable, AutoCloseable
{
    private final Producer[] producers;
    private final LoadTarget target;
    private final long firstSequence;
    private final PrintWriter out;
    private final CounterSnapshot counters = new CounterSnapshot();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * Creates and starts the reporter.
     *
     * @param producers     the producers, whose published counts are summed.
     * @param target        the target, for its written watermark and counters.
     * @param firstSequence the sequence the run starts at.
     * @param out           where to print.
     */
    public ProgressReporter(
        final Producer[] producers, final LoadTarget target, final long firstSequence, final PrintWriter out)
    {
        this.producers = producers;
        this.target = target;
        this.firstSequence = firstSequence;
        this.out = out;
        this.thread = new Thread(this, "ringwal-progress");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    @Override
    public void run()
    {
        final long start = System.nanoTime();
        long lastNanos = start;
        long lastRecords = 0;
        long lastBytes = 0;
        long lastForces = 0;
        long tick = 1;
        target.snapshot(counters);
        lastForces = counters.forces;
        while (running)
        {
            final long wakeAt = start + TimeUnit.SECONDS.toNanos(tick);
            long remaining;
            while (running && (remaining = wakeAt - System.nanoTime()) > 0)
            {
                LockSupport.parkNanos(this, remaining);
            }
            if (!running)
            {
                return;
            }
            final long now = System.nanoTime();
            long records = 0;
            long bytes = 0;
            for (final Producer producer : producers)
            {
                records += producer.published();
                bytes += producer.publishedBytes();
            }
            target.snapshot(counters);
            final long forces = counters.forces;
            final int ringSize = target.ringSize();
            final String ring;
            if (ringSize > 0)
            {
                final long written = target.writtenSequence() - firstSequence + 1;
                final long fill = Math.max(0, Math.min(ringSize, records - Math.max(0, written)));
                ring = String.format(Locale.ROOT, "ring %3d%%", Math.round(100.0 * fill / ringSize));
            }
            else
            {
                ring = "ring    -";
            }
            final double seconds = (now - lastNanos) / 1e9;
            out.printf(Locale.ROOT, "%5ds %,14d records %,11.0f rec/s %8.1f MB/s  %s %,7d forces/s%n",
                tick, records, (records - lastRecords) / seconds, (bytes - lastBytes) / seconds / 1e6, ring,
                Math.round((forces - lastForces) / seconds));
            out.flush();
            lastNanos = now;
            lastRecords = records;
            lastBytes = bytes;
            lastForces = forces;
            tick++;
        }
    }

    /**
     * Stops the reporter and waits for it.
     */
    @Override
    public void close()
    {
        running = false;
        LockSupport.unpark(thread);
        try
        {
            thread.join(2000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
