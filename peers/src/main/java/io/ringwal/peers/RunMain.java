package io.ringwal.peers;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs one contender through one workload in this JVM, fsyncs its files after close and counts the bytes the
 * data directory's device wrote meanwhile ({@link DiskStats}), reads its output back, and prints one line
 * starting with {@value #RESULT_PREFIX} followed by a JSON object ({@link RunResult}). The driver
 * ({@link PeersMain}) forks one such JVM per (contender, workload, repetition).
 *
 * <pre>
 * RunMain --contender NAME --dir DIR [--producers P] [--size BYTES] [--duration-ms MS] [--warmup-ms MS]
 *         [--rate RECORDS_PER_S] [--max-records N] [--hgrm PREFIX]
 * </pre>
 */
@Command(name = "RunMain", sortOptions = false,
    description = "Runs one contender through one workload and prints its result line (the driver forks it).",
    footer = "Exit codes: 0 the run finished (even when read-back failed: the verdict is in the result), " +
        "1 the run itself failed, 2 bad arguments.")
public final class RunMain implements Callable<Integer>
{
    /** The prefix of the result line on standard output. */
    public static final String RESULT_PREFIX = "PEERS-RESULT ";

    private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(60);

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--contender", required = true, paramLabel = "NAME", description = "The contender.")
    private String contender;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "An empty run directory.")
    private Path dir;

    @Option(names = "--producers", defaultValue = "1", paramLabel = "P", description = "Producer threads.")
    private int producers;

    @Option(names = "--size", defaultValue = "64", paramLabel = "BYTES", description = "Record size.")
    private int size;

    @Option(names = "--duration-ms", defaultValue = "2000", paramLabel = "MS", description = "Measured time.")
    private long durationMs;

    @Option(names = "--warmup-ms", defaultValue = "500", paramLabel = "MS", description = "Warm-up before it.")
    private long warmupMs;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "RECORDS_PER_S",
        description = "Offered rate over all producers (0: flat out).")
    private long rate;

    @Option(names = "--max-records", defaultValue = "0", paramLabel = "N",
        description = "Stop each producer after N records (0: no limit).")
    private long maxRecords;

    @Option(names = "--hgrm", paramLabel = "PREFIX",
        description = "Write the latency distributions to PREFIX-call.hgrm and PREFIX-completion.hgrm.")
    private String hgrm;

    /**
     * Creates the command (picocli fills in its options).
     */
    RunMain()
    {
    }

    /**
     * Runs one contender and prints its result line; exits with 0 even when verification failed (the verdict
     * is in the result), 2 on bad arguments, 1 if the run itself failed.
     *
     * @param args see the class comment.
     */
    public static void main(final String[] args)
    {
        System.exit(PeersCommandLine.execute(new RunMain(), args));
    }

    @Override
    public Integer call() throws Exception
    {
        PeersCommandLine.checkName(spec, "--contender", contender, Contenders.ALL);
        PeersCommandLine.checkPositive(spec, "--producers", producers);
        PeersCommandLine.checkPositive(spec, "--size", size);
        PeersCommandLine.checkNotNegative(spec, "--duration-ms", durationMs);
        PeersCommandLine.checkNotNegative(spec, "--warmup-ms", warmupMs);
        PeersCommandLine.checkNotNegative(spec, "--rate", rate);
        PeersCommandLine.checkNotNegative(spec, "--max-records", maxRecords);
        final RunResult result = run(contender, dir, new Workload(producers, size, durationMs, warmupMs, rate,
            maxRecords), hgrm);
        System.out.println(RESULT_PREFIX + RunResult.toJson(result));
        System.out.flush();
        return 0;
    }

    /**
     * Runs one contender through one workload and returns its result.
     *
     * @param name       the contender.
     * @param dir        an empty directory (created if missing).
     * @param workload   the workload.
     * @param hgrmPrefix where to write the latency distributions ({@code PREFIX-call.hgrm},
     *                   {@code PREFIX-completion.hgrm}), or null.
     * @return the result.
     * @throws Exception if the run failed.
     */
    public static RunResult run(final String name, final Path dir, final Workload workload, final String hgrmPrefix)
        throws Exception
    {
        Files.createDirectories(dir);
        final Contender contender = Contenders.create(name);
        contender.open(dir, workload);
        final int producers = workload.producers();
        final Producer[] threads = new Producer[producers];
        final CountDownLatch ready = new CountDownLatch(producers);
        final CountDownLatch go = new CountDownLatch(1);
        final long[] times = new long[1];
        for (int p = 0; p < producers; p++)
        {
            threads[p] = new Producer(p, contender, workload, ready, go, times);
            threads[p].start();
        }
        ready.await();
        final DiskStats disk = DiskStats.forPath(dir);
        final long diskBefore = disk == null ? -1 : disk.bytesWritten();
        final long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        times[0] = start;
        go.countDown();
        for (final Producer t : threads)
        {
            t.join();
        }
        contender.awaitAll();
        final long done = System.nanoTime();
        final Map<String, Long> counters = contender.counters();
        contender.close();
        DiskStats.forceAll(dir);
        final long synced = System.nanoTime();
        final long diskWritten = disk == null ? -1 : disk.bytesWritten() - diskBefore;

        final long warmupEnd = start + TimeUnit.MILLISECONDS.toNanos(workload.warmupMs());
        final long[] published = new long[producers];
        long total = 0;
        long measured = 0;
        final Histogram call = new Histogram(HIGHEST_NANOS, 3);
        final Histogram completion = new Histogram(HIGHEST_NANOS, 3);
        long failures = 0;
        for (int p = 0; p < producers; p++)
        {
            final Producer t = threads[p];
            if (t.failure != null)
            {
                failures++;
                t.failure.printStackTrace();
            }
            published[p] = t.published;
            total += t.published;
            measured += t.published - Math.max(0, t.publishedAtWarmupEnd);
            call.add(t.call);
            completion.add(t.completion);
        }
        final long measureFrom = threads[0].publishedAtWarmupEnd >= 0 ? warmupEnd : start;
        final double seconds = (done - measureFrom) / 1e9;
        final double syncedSeconds = (synced - measureFrom) / 1e9;
        final long payloadBytes = total * workload.recordSize();
        final VerifyResult verify = contender.readBackAndVerify(dir, workload, published);

        if (hgrmPrefix != null && workload.isLatency())
        {
            writeHgrm(call, Path.of(hgrmPrefix + "-call.hgrm"));
            if (completion.getTotalCount() > 0)
            {
                writeHgrm(completion, Path.of(hgrmPrefix + "-completion.hgrm"));
            }
        }

        return new RunResult(name, workload.label(), producers, workload.recordSize(), workload.offeredRate(),
            total, measured, seconds, measured / seconds, measured * (double)workload.recordSize() / seconds / 1e6,
            syncedSeconds, measured * (double)workload.recordSize() / syncedSeconds / 1e6, payloadBytes, diskWritten,
            diskWritten < 0 || payloadBytes == 0 ? Double.NaN : diskWritten / (double)payloadBytes,
            disk == null ? "n/a" : disk.describe(), contender.completion().name(), failures, verify.verdict(),
            verify.ok() && failures == 0, verify.read(), verify.missing(), verify.mangled(), verify.outOfOrder(),
            verify.problem() == null ? "" : verify.problem(), RunResult.Latency.of(call),
            RunResult.Latency.of(completion), counters);
    }

    private static void writeHgrm(final Histogram histogram, final Path file) throws IOException
    {
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, "US-ASCII"))
        {
            histogram.outputPercentileDistribution(out, 5, 1000.0);
        }
    }

    /** One producer thread: flat out, or paced by intended send time. */
    private static final class Producer extends Thread
    {
        private static final int PENDING = 1 << 20;

        final Histogram call = new Histogram(HIGHEST_NANOS, 3);
        final Histogram completion = new Histogram(HIGHEST_NANOS, 3);
        long published;
        long publishedAtWarmupEnd = -1;
        Throwable failure;

        private final int id;
        private final Contender contender;
        private final Workload workload;
        private final CountDownLatch ready;
        private final CountDownLatch go;
        private final long[] times;
        private final Payloads payloads;
        private final byte[] payload;
        private final long[] pendingTicket;
        private final long[] pendingIntended;
        private long head;
        private long tail;
        private long warmupEnd;

        Producer(final int id, final Contender contender, final Workload workload, final CountDownLatch ready,
            final CountDownLatch go, final long[] times)
        {
            super("producer-" + id);
            this.id = id;
            this.contender = contender;
            this.workload = workload;
            this.ready = ready;
            this.go = go;
            this.times = times;
            this.payloads = new Payloads(id, workload.recordSize());
            this.payload = new byte[workload.recordSize()];
            final boolean track = workload.isLatency() && contender.completion() != Contender.Completion.UNKNOWN &&
                !contender.completesOnReturn();
            this.pendingTicket = track ? new long[PENDING] : null;
            this.pendingIntended = track ? new long[PENDING] : null;
        }

        @Override
        public void run()
        {
            long counter = 0;
            try
            {
                ready.countDown();
                go.await();
                final long start = times[0];
                warmupEnd = start + TimeUnit.MILLISECONDS.toNanos(workload.warmupMs());
                final long end = warmupEnd + TimeUnit.MILLISECONDS.toNanos(workload.durationMs());
                final long max = workload.maxRecords() > 0 ? workload.maxRecords() : Long.MAX_VALUE;
                while (System.nanoTime() < start)
                {
                    Thread.onSpinWait();
                }
                if (!workload.isLatency())
                {
                    while (counter < max)
                    {
                        if ((counter & 63) == 0)
                        {
                            final long now = System.nanoTime();
                            if (publishedAtWarmupEnd < 0 && now >= warmupEnd)
                            {
                                publishedAtWarmupEnd = counter;
                            }
                            if (now >= end)
                            {
                                break;
                            }
                        }
                        payloads.fill(counter, payload);
                        contender.publish(id, payload);
                        counter++;
                    }
                }
                else
                {
                    counter = paced(start, end, max);
                }
                published = counter;
                contender.producerDone(id);
                drain();
            }
            catch (final Throwable ex)
            {
                published = counter;
                failure = ex;
            }
        }

        private long paced(final long start, final long end, final long max)
        {
            final double interval = 1e9 * workload.producers() / workload.offeredRate();
            final boolean onReturn = contender.completesOnReturn() &&
                contender.completion() != Contender.Completion.UNKNOWN;
            long counter = 0;
            while (counter < max)
            {
                final long intended = start + (long)(counter * interval);
                if (intended >= end)
                {
                    break;
                }
                while (System.nanoTime() < intended)
                {
                    poll();
                }
                payloads.fill(counter, payload);
                final long t0 = System.nanoTime();
                final long ticket = contender.publish(id, payload);
                final long t1 = System.nanoTime();
                final boolean measure = intended >= warmupEnd;
                if (measure)
                {
                    if (publishedAtWarmupEnd < 0)
                    {
                        publishedAtWarmupEnd = counter;
                    }
                    call.recordValue(Math.min(t1 - t0, HIGHEST_NANOS));
                    if (onReturn)
                    {
                        completion.recordValue(Math.min(t1 - intended, HIGHEST_NANOS));
                    }
                }
                if (pendingTicket != null)
                {
                    while (tail - head == PENDING)
                    {
                        poll();
                    }
                    final int i = (int)(tail & (PENDING - 1));
                    pendingTicket[i] = ticket;
                    pendingIntended[i] = intended;
                    tail++;
                    poll();
                }
                counter++;
            }
            return counter;
        }

        private void poll()
        {
            if (head == tail)
            {
                return;
            }
            final long watermark = contender.completedTicket(id);
            final long now = System.nanoTime();
            while (head != tail)
            {
                final int i = (int)(head & (PENDING - 1));
                if (pendingTicket[i] > watermark)
                {
                    break;
                }
                final long intended = pendingIntended[i];
                if (intended >= warmupEnd)
                {
                    completion.recordValue(Math.min(now - intended, HIGHEST_NANOS));
                }
                head++;
            }
        }

        private void drain()
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (head != tail && System.nanoTime() < deadline)
            {
                poll();
                Thread.onSpinWait();
            }
        }
    }
}
