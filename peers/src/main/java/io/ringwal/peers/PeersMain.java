package io.ringwal.peers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The side-by-side driver: runs every (cell, contender) in a fresh JVM per repetition, interleaving the
 * contenders (their order rotates each repetition), measures the disk's synced sequential write rate with
 * {@code dd ... conv=fdatasync} once per repetition, and prints (and writes) the tables: medians, spread, ratios
 * to ringwal, device bytes written per payload byte and each contender's read-back verdict, then the goals. Run it
 * with {@code peers/bin/compare}.
 *
 * <pre>
 * PeersMain [--reps 3] [--duration-ms 2000] [--warmup-ms 500] [--heap 1g] [--dir peers/target/peers-runs]
 *           [--out peers/target/peers-report] [--cells a,b] [--contenders a,b] [--no-dd] [--long]
 *           [--dd-mib 512] [--sustained-bytes 3x-the-dirty-limit]
 * </pre>
 * {@code --long} means 5 repetitions of 10-second runs. Sustained cells write a fixed volume instead of running
 * for a time: {@value #SUSTAINED_DIRTY_LIMITS} times the kernel's dirty limit ({@link DirtyLimits}), at least
 * 4 GiB, unless {@code --sustained-bytes} (k/m/g suffixes) says otherwise; with a sustained cell in the run, dd writes 4 GiB
 * unless {@code --dd-mib} says otherwise.
 */
@Command(name = "PeersMain", sortOptions = false,
    description = "Runs the side-by-side comparison: every (cell, contender) in a fresh JVM per repetition, then " +
        "prints and writes the report (see docs/PEERS.md).",
    footer = "Exit codes: 0 the comparison ran (whatever the verdicts), 1 it failed, 2 bad arguments.")
public final class PeersMain implements Callable<Integer>
{
    /** The system property that overrides the forked runs' class path (default: this JVM's). */
    public static final String CHILD_CLASSPATH_PROPERTY = "peers.child.classpath";

    private static final List<String> NO_FORCE = List.of("ringwal-never", "ringwal-never-mapped",
        "ringwal-never-reserved", "ringwal-never-reserved-mapped", "ringwal-bounded", "chronicle",
        "aeron-archive", "log4j-mmap", "log4j-raf", "naive-mmap", "plain-copy");
    private static final List<String> DURABLE = List.of("ringwal-every-batch", "ringwal-every-batch-retained",
        "ringwal-every-batch-reserved", "ringwal-every-batch-reserved-pipelined",
        "ringwal-every-batch-reserved-ring16m",
        "ringwal-every-batch-direct",
        "group-commit-reused", "group-commit", "chronicle-sync1000", "aeron-archive-sync2");
    private static final List<String> SUSTAINED_NO_FORCE = List.of("ringwal-never", "ringwal-never-retained",
        "ringwal-never-reserved",
        "chronicle", "aeron-archive",
        "naive-mmap");

    /** {@link Cell#volumeBytes()} of a sustained cell: a multiple of the kernel's dirty limit, see {@link #main}. */
    public static final long SUSTAINED = -1;
    /** A sustained cell writes this many times the kernel's dirty limit unless {@code --sustained-bytes} says. */
    public static final int SUSTAINED_DIRTY_LIMITS = 3;
    /** ... and at least this many bytes, so that a lowered limit still gives a run of some seconds. */
    public static final long SUSTAINED_MIN_BYTES = 4L << 30;
    private static final List<String> LOGGING = List.of("ringwal-log4j2", "ringwal-log4j2-staged",
        "ringwal-log4j2-full-slots", "ringwal-logback", "log4j-raf", "log4j-mmap", "logback-async-file");

    /**
     * One table: a workload, the contenders run through it, and the ringwal contender the others are compared
     * with.
     *
     * @param name        the cell's name.
     * @param producers   producers.
     * @param size        record size.
     * @param rate        offered rate (0: flat out).
     * @param contenders  the contenders.
     * @param reference   the ringwal contender for the ratios.
     * @param volumeBytes 0 for a timed cell (the run's duration), else the payload bytes the producers write
     *                    together ({@link #SUSTAINED}: a multiple of the dirty limit).
     */
    public record Cell(String name, int producers, int size, long rate, List<String> contenders, String reference,
        long volumeBytes)
    {
        /**
         * A timed cell.
         *
         * @param name       the cell's name.
         * @param producers  producers.
         * @param size       record size.
         * @param rate       offered rate (0: flat out).
         * @param contenders the contenders.
         * @param reference  the ringwal contender for the ratios.
         */
        public Cell(final String name, final int producers, final int size, final long rate,
            final List<String> contenders, final String reference)
        {
            this(name, producers, size, rate, contenders, reference, 0);
        }

        /**
         * Whether the cell writes a volume rather than running for a time.
         *
         * @return true for a sustained cell.
         */
        public boolean sustained()
        {
            return volumeBytes != 0;
        }
    }

    /** The cells run by default. */
    public static final List<Cell> CELLS = List.of(
        new Cell("noforce-1p-64B", 1, 64, 0, NO_FORCE, "ringwal-never"),
        new Cell("noforce-1p-1KiB", 1, 1024, 0, NO_FORCE, "ringwal-never"),
        new Cell("noforce-2p-64B", 2, 64, 0, NO_FORCE, "ringwal-never"),
        new Cell("noforce-2p-1KiB", 2, 1024, 0, NO_FORCE, "ringwal-never"),
        new Cell("sustained-noforce-1p-1KiB", 1, 1024, 0, SUSTAINED_NO_FORCE, "ringwal-never", SUSTAINED),
        new Cell("durable-1p-64B", 1, 64, 0, DURABLE, "ringwal-every-batch"),
        new Cell("durable-1p-1KiB", 1, 1024, 0, DURABLE, "ringwal-every-batch"),
        new Cell("durable-2p-1KiB", 2, 1024, 0, DURABLE, "ringwal-every-batch"),
        new Cell("latency-100k-1KiB", 1, 1024, 100_000,
            List.of("ringwal-every-batch", "ringwal-every-batch-retained", "ringwal-every-batch-reserved",
                "ringwal-every-batch-reserved-pipelined", "ringwal-every-batch-reserved-ring16m",
                "ringwal-every-batch-direct", "ringwal-bounded",
                "group-commit-reused", "group-commit", "chronicle-sync1000", "aeron-archive-sync2"),
            "ringwal-every-batch"),
        new Cell("latency-500k-64B", 1, 64, 500_000,
            List.of("ringwal-never", "ringwal-never-mapped", "ringwal-never-reserved", "chronicle", "aeron-archive",
                "naive-mmap", "log4j-mmap", "log4j-raf", "plain-copy"),
            "ringwal-never"),
        new Cell("log-1p-100B", 1, 100, 0, LOGGING, "ringwal-log4j2"),
        new Cell("log-4p-100B", 4, 100, 0, LOGGING, "ringwal-log4j2"),
        new Cell("log-latency-200k-100B", 4, 100, 200_000, LOGGING, "ringwal-log4j2"));

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--reps", paramLabel = "N", description = "Repetitions (default: 3, with --long 5).")
    private Integer reps;

    @Option(names = "--duration-ms", paramLabel = "MS",
        description = "Measured time of a timed run (default: 2000, with --long 10000).")
    private Long durationMs;

    @Option(names = "--warmup-ms", paramLabel = "MS", defaultValue = "500",
        description = "Warm-up before it (default: ${DEFAULT-VALUE}).")
    private long warmupMs;

    @Option(names = "--long", description = "5 repetitions of 10-second runs (unless --reps or --duration-ms say).")
    private boolean longRun;

    @Option(names = "--heap", paramLabel = "SIZE", defaultValue = "1g",
        description = "The forked JVMs' heap, -Xms = -Xmx (default: ${DEFAULT-VALUE}).")
    private String heap;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "peers/target/peers-runs",
        description = "Where the runs write (default: ${DEFAULT-VALUE}).")
    private Path runDirOption;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "peers/target/peers-report",
        description = "Where the report, results.jsonl, .hgrm files and plots go (default: ${DEFAULT-VALUE}).")
    private Path outOption;

    @Option(names = "--cells", paramLabel = "NAME", split = ",", description = "Only these cells (default: all).")
    private List<String> cellFilter = new ArrayList<>();

    @Option(names = "--contenders", paramLabel = "NAME", split = ",",
        description = "Only these contenders (default: all).")
    private List<String> contenderFilter = new ArrayList<>();

    @Option(names = "--no-dd", description = "Do not measure the disk's synced write rate with dd.")
    private boolean noDd;

    @Option(names = "--dd-mib", paramLabel = "MIB",
        description = "How much dd writes (default: 512, 4096 with a sustained cell in the run).")
    private Integer ddMibOption;

    @Option(names = "--sustained-bytes", paramLabel = "BYTES",
        description = "Payload a sustained cell writes, with an optional k/m/g suffix (default: " +
            SUSTAINED_DIRTY_LIMITS + " times the kernel's dirty limit, at least 4 GiB).")
    private String sustainedBytesOption;

    /**
     * Creates the command (picocli fills in its options).
     */
    PeersMain()
    {
    }

    /**
     * Runs the comparison.
     *
     * @param args see the class comment.
     */
    public static void main(final String[] args)
    {
        System.exit(PeersCommandLine.execute(new PeersMain(), args));
    }

    @Override
    public Integer call() throws Exception
    {
        for (final String name : cellFilter)
        {
            PeersCommandLine.checkName(spec, "--cells", name, CELLS.stream().map(Cell::name).toList());
        }
        for (final String name : contenderFilter)
        {
            PeersCommandLine.checkName(spec, "--contenders", name, Contenders.ALL);
        }
        final int reps = this.reps != null ? this.reps : longRun ? 5 : 3;
        final long durationMs = this.durationMs != null ? this.durationMs : longRun ? 10_000 : 2_000;
        PeersCommandLine.checkPositive(spec, "--reps", reps);
        PeersCommandLine.checkPositive(spec, "--duration-ms", durationMs);
        PeersCommandLine.checkNotNegative(spec, "--warmup-ms", warmupMs);
        if (ddMibOption != null)
        {
            PeersCommandLine.checkPositive(spec, "--dd-mib", ddMibOption);
        }
        final Long sustainedBytesGiven = sustainedBytesOption == null ? null : parseBytesOption();
        final Path runDir = runDirOption.toAbsolutePath();
        final Path out = outOption.toAbsolutePath();
        final List<Cell> cells = CELLS.stream()
            .filter(c -> cellFilter.isEmpty() || cellFilter.contains(c.name()))
            .map(c -> new Cell(c.name(), c.producers(), c.size(), c.rate(), c.contenders().stream()
                .filter(n -> contenderFilter.isEmpty() || contenderFilter.contains(n)).toList(), c.reference(),
                c.volumeBytes()))
            .filter(c -> !c.contenders().isEmpty())
            .toList();
        if (cells.isEmpty())
        {
            throw new ParameterException(spec.commandLine(), "--cells " + String.join(",", cellFilter) +
                " and --contenders " + String.join(",", contenderFilter) + " have no (cell, contender) in common");
        }
        final boolean anySustained = cells.stream().anyMatch(Cell::sustained);
        final int ddMib = ddMibOption != null ? ddMibOption : anySustained ? 4096 : 512;

        Files.createDirectories(out.resolve("hgrm"));
        Files.createDirectories(runDir);
        final List<String> notes = new ArrayList<>();
        final DiskStats disk = DiskStats.forPath(runDir);
        notes.add("Data directory " + runDir + " on device " + (disk == null ? "unknown (no /sys/dev/block " +
            "stats: disk bytes not measured)" : disk.describe()) + "; disk bytes = sectors written to that " +
            "device from the start of the run until after its files were fsynced, whoever wrote them.");
        final DirtyLimits dirtyAtStart = anySustained ? DirtyLimits.read() : null;
        final long sustainedBytes = anySustained ? sustainedBytes(sustainedBytesGiven, runDir, notes) : 0;
        final String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
        final long started = System.nanoTime();
        final List<RunResult.Row> results = new ArrayList<>();
        final List<Double> ddRates = new ArrayList<>();
        int runs = 0;
        final int total = reps * cells.stream().mapToInt(c -> c.contenders().size()).sum();
        for (int rep = 0; rep < reps; rep++)
        {
            if (!noDd)
            {
                ddRates.add(dd(runDir, ddMib));
            }
            // the fastest dd so far sizes the reused group commit's pool: a dd into memory the machine has not
            // touched since boot (or gave back to the host) runs several times slower than the next one
            final double fastestDd = ddRates.stream().filter(r -> !r.isNaN()).mapToDouble(Double::doubleValue).max()
                .orElse(Double.NaN);
            final List<String> childFlags = Double.isNaN(fastestDd) ? List.of() : List.of(String.format(Locale.ROOT,
                "-D%s=%.0f", GroupCommitReusedContender.DISK_RATE_PROPERTY, fastestDd));
            for (final Cell cell : cells)
            {
                final List<String> order = new ArrayList<>(cell.contenders());
                Collections.rotate(order, -rep);
                for (final String contender : order)
                {
                    runs++;
                    final Workload w = workload(cell, durationMs, warmupMs, sustainedBytes);
                    final String hgrm = out.resolve("hgrm").resolve(cell.name() + "-" + contender + "-rep" + rep)
                        .toString();
                    final RunResult r = fork(contender, w, runDir.resolve("run"), heap, hgrm, childFlags);
                    results.add(new RunResult.Row(cell.name(), rep, hgrm, r));
                    System.err.printf(Locale.ROOT, "[%d/%d] rep %d %-25s %-20s %12.0f rec/s  disk/payload %.2f  %s%n",
                        runs, total, rep, cell.name(), contender, r.recordsPerSec(), r.diskPerPayload(), r.verdict());
                }
            }
        }
        final String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();
        if (anySustained && !sameRules(dirtyAtStart, DirtyLimits.read()))
        {
            notes.add("**The dirty-page limits changed during the run**; at the end: " + DirtyLimits.read().describe() +
                ".");
        }
        final String report = Report.render(new Report.Run(cells, results, ddRates, ddMib, reps, durationMs,
            warmupMs, heap, loadBefore, loadAfter, (System.nanoTime() - started) / 1e9, notes), out);
        Files.writeString(out.resolve("report.md"), report);
        RunResult.writeJsonl(results, out.resolve("results.jsonl"));
        System.out.println(report);
        System.err.println("report written to " + out.resolve("report.md"));
        return 0;
    }

    private long parseBytesOption()
    {
        try
        {
            return parseBytes(sustainedBytesOption);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(spec.commandLine(), "--sustained-bytes " + sustainedBytesOption +
                ": not a positive byte count such as 512m, 12g or 1000000");
        }
    }

    private static boolean sameRules(final DirtyLimits a, final DirtyLimits b)
    {
        return a.dirtyRatio() == b.dirtyRatio() && a.dirtyBackgroundRatio() == b.dirtyBackgroundRatio() &&
            a.dirtyBytes() == b.dirtyBytes() && a.dirtyBackgroundBytes() == b.dirtyBackgroundBytes();
    }

    /**
     * The workload of one cell: timed, or (sustained) a byte volume with no warm-up and no time limit short of
     * ten minutes.
     *
     * @param cell           the cell.
     * @param durationMs     the timed cells' measured duration.
     * @param warmupMs       the timed cells' warm-up.
     * @param sustainedBytes the sustained cells' volume.
     * @return the workload.
     */
    static Workload workload(final Cell cell, final long durationMs, final long warmupMs, final long sustainedBytes)
    {
        if (!cell.sustained())
        {
            return new Workload(cell.producers(), cell.size(), durationMs, warmupMs, cell.rate(), 0);
        }
        final long bytes = cell.volumeBytes() == SUSTAINED ? sustainedBytes : cell.volumeBytes();
        final long perProducer = Math.max(1, bytes / cell.size() / cell.producers());
        return new Workload(cell.producers(), cell.size(), TimeUnit.MINUTES.toMillis(10), 0, cell.rate(),
            perProducer);
    }

    /**
     * The sustained cells' volume: {@code --sustained-bytes} (with an optional k/m/g suffix), or
     * {@value #SUSTAINED_DIRTY_LIMITS} times the kernel's dirty limit and at least {@link #SUSTAINED_MIN_BYTES};
     * checked against the free space.
     */
    private long sustainedBytes(final Long given, final Path runDir, final List<String> notes)
        throws IOException
    {
        final DirtyLimits limits = DirtyLimits.read();
        final long bytes = given != null ? given :
            Math.max(SUSTAINED_MIN_BYTES, SUSTAINED_DIRTY_LIMITS * limits.limitBytes());
        final long free = Files.getFileStore(runDir).getUsableSpace();
        if (bytes * 5 / 4 > free)
        {
            throw new ParameterException(spec.commandLine(), "the sustained cells write " + bytes + " bytes but only " +
                free + " are free under " + runDir + "; free space or pass a smaller --sustained-bytes");
        }
        notes.add("Dirty-page limits: " + limits.describe() + ". Sustained cells write " +
            String.format(Locale.ROOT, "%.2f GB", bytes / 1e9) + " of payload per run (" +
            (given != null ? "--sustained-bytes " + sustainedBytesOption : "the larger of " + SUSTAINED_DIRTY_LIMITS +
            " × the dirty limit and " + (SUSTAINED_MIN_BYTES >> 30) + " GiB") +
            String.format(Locale.ROOT, ": %.1f× the dirty limit", bytes / (double)limits.limitBytes()) + ").");
        return bytes;
    }

    /**
     * Parses a byte count such as {@code 512m}, {@code 12g} or {@code 1000000}.
     *
     * @param text the count.
     * @return bytes.
     */
    static long parseBytes(final String text)
    {
        final String t = text.trim().toLowerCase(Locale.ROOT);
        final char unit = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
        final int shift = unit == 'k' ? 10 : unit == 'm' ? 20 : unit == 'g' ? 30 : 0;
        final long value = Long.parseLong(shift == 0 ? t : t.substring(0, t.length() - 1));
        if (value <= 0)
        {
            throw new IllegalArgumentException("byte count " + text + " must be positive");
        }
        return value << shift;
    }

    /** Environment variable whose whitespace-separated words are added to every child JVM's flags (a profiler agent, say). */
    public static final String CHILD_JVM_OPTIONS_ENV = "PEERS_CHILD_JVM_OPTS";

    static List<String> childJvmOptions()
    {
        final String value = System.getenv(CHILD_JVM_OPTIONS_ENV);
        return value == null || value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
    }

    /**
     * Runs one contender in a fresh JVM with its own flags and returns its result (or, if it printed none, a
     * result whose {@code verdict} is {@code FAILED} with the tail of its output).
     *
     * @param contender the contender.
     * @param workload  the workload.
     * @param dir       the run directory (emptied before and deleted after).
     * @param heap      the heap size (-Xms = -Xmx, pre-touched).
     * @param hgrm      the latency distribution prefix.
     * @return the result.
     * @throws IOException          if the JVM cannot be started.
     * @throws InterruptedException if interrupted.
     */
    public static RunResult fork(final String contender, final Workload workload, final Path dir,
        final String heap, final String hgrm) throws IOException, InterruptedException
    {
        return fork(contender, workload, dir, heap, hgrm, List.of());
    }

    /**
     * Runs one contender in a fresh JVM, as {@link #fork(String, Workload, Path, String, String)} does, with more
     * JVM flags (system properties the driver passes, such as the disk's synced bandwidth).
     *
     * @param contender  the contender.
     * @param workload   the workload.
     * @param dir        the run directory (emptied before and deleted after).
     * @param heap       the heap size (-Xms = -Xmx, pre-touched).
     * @param hgrm       the latency distribution prefix.
     * @param extraFlags more JVM flags.
     * @return the result.
     * @throws IOException          if the JVM cannot be started.
     * @throws InterruptedException if interrupted.
     */
    public static RunResult fork(final String contender, final Workload workload, final Path dir,
        final String heap, final String hgrm, final List<String> extraFlags) throws IOException, InterruptedException
    {
        deleteTree(dir);
        final List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xms" + heap);
        cmd.add("-Xmx" + heap);
        cmd.add("-XX:+AlwaysPreTouch");
        cmd.add("--add-opens");
        cmd.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        cmd.addAll(Contenders.jvmFlags(contender));
        cmd.addAll(extraFlags);
        cmd.addAll(childJvmOptions());
        cmd.add("-cp");
        cmd.add(System.getProperty(CHILD_CLASSPATH_PROPERTY, System.getProperty("java.class.path")));
        cmd.add(RunMain.class.getName());
        cmd.addAll(List.of("--contender", contender, "--dir", dir.toString(),
            "--producers", Integer.toString(workload.producers()), "--size", Integer.toString(workload.recordSize()),
            "--duration-ms", Long.toString(workload.durationMs()), "--warmup-ms", Long.toString(workload.warmupMs()),
            "--rate", Long.toString(workload.offeredRate()), "--max-records", Long.toString(workload.maxRecords())));
        if (hgrm != null)
        {
            cmd.add("--hgrm");
            cmd.add(hgrm);
        }
        final Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        final List<String> tail = new ArrayList<>();
        String resultLine = null;
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = reader.readLine()) != null)
            {
                if (line.startsWith(RunMain.RESULT_PREFIX))
                {
                    resultLine = line.substring(RunMain.RESULT_PREFIX.length());
                }
                else
                {
                    tail.add(line);
                    if (tail.size() > 20)
                    {
                        tail.remove(0);
                    }
                }
            }
        }
        final boolean exited = process.waitFor(5, TimeUnit.MINUTES);
        deleteTree(dir);
        AeronArchiveContender.deleteAbandonedAeronDirectories();
        final boolean failed = resultLine == null || !exited || process.exitValue() != 0;
        if (!exited)
        {
            process.destroyForcibly();
        }
        final String verdict = "FAILED (exit " + (exited ? process.exitValue() : "timeout") + ")";
        if (resultLine == null)
        {
            return RunResult.failed(contender, verdict, String.join(" | ", tail));
        }
        final RunResult result = RunResult.fromJson(resultLine, RunResult.class);
        return failed ? result.failedWith(verdict, String.join(" | ", tail)) : result;
    }

    private static double dd(final Path dir, final int mib) throws IOException, InterruptedException
    {
        Files.createDirectories(dir);
        final Path file = dir.resolve("dd.bin");
        final Process p = new ProcessBuilder("dd", "if=/dev/zero", "of=" + file, "bs=1M", "count=" + mib,
            "conv=fdatasync").redirectErrorStream(true).start();
        final String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Files.deleteIfExists(file);
        final Matcher m = Pattern.compile("(\\d+) bytes .* copied, ([0-9.]+) s").matcher(text);
        if (!m.find())
        {
            System.err.println("dd said: " + text);
            return Double.NaN;
        }
        return Long.parseLong(m.group(1)) / Double.parseDouble(m.group(2)) / 1e6;
    }

    private static void deleteTree(final Path dir) throws IOException
    {
        if (!Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir))
        {
            for (final Path p : walk.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Copies a file, creating the target's directory.
     *
     * @param from the source.
     * @param to   the target.
     * @throws IOException on failure.
     */
    static void copy(final Path from, final Path to) throws IOException
    {
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
}
