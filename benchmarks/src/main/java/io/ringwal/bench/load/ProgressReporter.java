package io.ringwal.bench.load;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Prints one progress line per second (records, records/s, MB/s and forces over the last second) from a daemon
 * thread, reading what the producer publishes in {@link LoadProgress}.
 */
public final class ProgressReporter implements Runnable, AutoCloseable
{
    private final LoadProgress progress;
    private final PrintStream out;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * Creates and starts the reporter.
     *
     * @param progress what to report.
     * @param out      where to print.
     */
    public ProgressReporter(final LoadProgress progress, final PrintStream out)
    {
        this.progress = progress;
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
        while (running)
        {
            final long wakeAt = start + TimeUnit.SECONDS.toNanos(tick);
            long remaining;
            while (running && (remaining = wakeAt - System.nanoTime()) > 0)
            {
                java.util.concurrent.locks.LockSupport.parkNanos(this, remaining);
            }
            if (!running)
            {
                return;
            }
            final long now = System.nanoTime();
            final long records = progress.recordsAcquire();
            final long bytes = progress.bytesAcquire();
            final long forces = progress.forcesAcquire();
            final double seconds = (now - lastNanos) / 1e9;
            out.printf(Locale.ROOT, "%5ds %,15d records %,12.0f rec/s %9.1f MB/s %,9d forces/s%n",
                tick, records, (records - lastRecords) / seconds, (bytes - lastBytes) / seconds / 1e6,
                Math.round((forces - lastForces) / seconds));
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
        java.util.concurrent.locks.LockSupport.unpark(thread);
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
