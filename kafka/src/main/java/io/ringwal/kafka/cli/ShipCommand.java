package io.ringwal.kafka.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import io.ringwal.kafka.KafkaShipper;
import io.ringwal.kafka.ShipperConfig;
import io.ringwal.kafka.ShipperCounters;
import io.ringwal.kafka.ShipperException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ringwal ship DIR --bootstrap-servers HOST:PORT --topic T}: ships a journal into a Kafka topic, exactly
 * once per journal sequence, following it as it is written, until Ctrl-C or {@code --until}. Prints progress
 * (records/s, lag in records and bytes) to stderr.
 *
 * <p>Exit codes: 0 stopped by {@code --until}; 130 (SIGINT, Ctrl-C) or 143 (SIGTERM) stopped by a signal, after
 * committing what was sent and printing the summary; 1 the broker could not
 * be reached at start, the topic is missing, another shipper took over, or the journal is damaged; 2 bad
 * arguments.
 */
@Command(
    name = "ship",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Ship a journal into a Kafka topic, exactly once per journal sequence: each",
        "record is produced with its sequence in the ringwal.sequence header through a",
        "transactional producer, and a restarted shipper resumes after the topic's last",
        "committed record. Follows the journal across rotations until Ctrl-C or --until.",
        "Writes DIR/positions/NAME.position (the shipped-up-to sequence) for retention."
    },
    footer = {
        "",
        "Examples:",
        "  ./ringwal ship /var/lib/app/journal --bootstrap-servers 127.0.0.1:9092 --topic app-journal",
        "  ./ringwal ship DIR --bootstrap-servers k1:9092,k2:9092 --topic t \\",
        "      -X compression.type=lz4 -X linger.ms=20",
        "  ./ringwal ship DIR --bootstrap-servers 127.0.0.1:9092 --topic t --from 1000 --until 2000",
        "",
        "Exit codes: 0 stopped by --until, 130 Ctrl-C (SIGINT) / 143 SIGTERM (what was sent is committed and " +
            "the summary printed first), 1 broker unreachable at start, topic missing, another shipper with the " +
            "same transactional id took over, journal damaged or already deleted where shipping must resume, " +
            "2 bad arguments."
    })
public final class ShipCommand implements Callable<Integer>, io.ringwal.cli.RingwalSubcommand
{
    /** Exit code of a failed run. */
    public static final int EXIT_FAILED = 1;

    /** Exit code of bad arguments. */
    public static final int EXIT_USAGE = 2;

    /** Keeps the quietened logger reachable (java.util.logging holds loggers weakly). */
    private static final java.util.logging.Logger RINGWAL_LOGGER = java.util.logging.Logger.getLogger("io.ringwal");

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The journal directory.")
    private Path dir;

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,HOST:PORT...]",
        description = "Kafka bootstrap servers.")
    private String bootstrapServers;

    @Option(names = "--topic", required = true, paramLabel = "T",
        description = "The topic (it must exist; one partition keeps the journal's total order).")
    private String topic;

    @Option(names = "--from", paramLabel = "SEQ",
        description = "First sequence when the topic holds no shipped record yet (default: the first record the " +
            "journal keeps). Ignored once the topic holds records: shipping resumes after the last one.")
    private Long from;

    @Option(names = "--until", paramLabel = "SEQ",
        description = "Stop once every sequence below SEQ is committed (default: follow the journal for ever).")
    private Long until;

    @Option(names = "--name", paramLabel = "NAME",
        description = "Shipper name: names DIR/positions/NAME.position (default: the topic).")
    private String name;

    @Option(names = "--transactional-id", paramLabel = "ID",
        description = "The producer's transactional id (default: ringwal-ship-NAME). One running shipper per id.")
    private String transactionalId;

    @Option(names = {"-X", "--producer-property"}, paramLabel = "KEY=VALUE",
        description = "A producer property, repeatable (batch.size, linger.ms, compression.type, buffer.memory, " +
            "max.block.ms, security settings ...).")
    private Map<String, String> producerProperties = new LinkedHashMap<>();

    @Option(names = "--max-transaction-ms", paramLabel = "MS", defaultValue = "100",
        description = "Longest time a transaction stays open while records keep coming (default: " +
            "${DEFAULT-VALUE}). A transaction is also committed whenever the journal has nothing new.")
    private long maxTransactionMillis;

    @Option(names = "--max-catch-up-transaction-ms", paramLabel = "MS", defaultValue = "1000",
        description = "Longest time a transaction stays open while the shipper catches up on a backlog " +
            "(default: ${DEFAULT-VALUE}): fewer commits, each of which stalls sending.")
    private long maxCatchUpTransactionMillis;

    @Option(names = "--max-transaction-records", paramLabel = "N", defaultValue = "1000000",
        description = "Most records in one transaction (default: ${DEFAULT-VALUE}).")
    private int maxTransactionRecords;

    @Option(names = "--progress-interval", paramLabel = "SECONDS", defaultValue = "5",
        description = "Seconds between progress lines on stderr, 0 for none (default: ${DEFAULT-VALUE}).")
    private int progressSeconds;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "15",
        description = "How long the start-up check may wait for the broker (default: ${DEFAULT-VALUE}).")
    private int connectTimeoutSeconds;

    private volatile boolean stoppedBySignal;

    /**
     * Creates the command (picocli instantiates it).
     */
    public ShipCommand()
    {
    }

    /**
     * Runs {@code ship} on its own (as {@code ringwal ship} does) and exits with its code.
     *
     * @param args the arguments after {@code ship}.
     */
    public static void main(final String[] args)
    {
        System.exit(execute(args));
    }

    /**
     * Runs {@code ship} on its own without exiting.
     *
     * @param args the arguments after {@code ship}.
     * @return the exit code.
     */
    public static int execute(final String... args)
    {
        return commandLine().execute(args);
    }

    /**
     * {@code ship} as a command line of its own: bad arguments print one line and give {@link #EXIT_USAGE}. Set
     * its err writer to capture the output.
     *
     * @return a new command line.
     */
    public static CommandLine commandLine()
    {
        final CommandLine commandLine = new CommandLine(new ShipCommand());
        commandLine.setParameterExceptionHandler((ex, arguments) ->
        {
            final PrintWriter err = ex.getCommandLine().getErr();
            err.println("ship: " + ex.getMessage() + " (see 'ship --help')");
            err.flush();
            return EXIT_USAGE;
        });
        return commandLine;
    }

    @Override
    public Integer call() throws InterruptedException
    {
        final CommandLine cmd = spec.commandLine();
        final PrintWriter err = cmd.getErr();
        if (!Boolean.getBoolean("ringwal.verbose"))
        {
            RINGWAL_LOGGER.setLevel(java.util.logging.Level.WARNING);
        }
        final ShipperConfig config = config(cmd);
        if (!checkBroker(err))
        {
            return EXIT_FAILED;
        }
        final KafkaShipper shipper = new KafkaShipper(config);
        final Thread shipThread = Thread.currentThread();
        final CountDownLatch finished = new CountDownLatch(1);
        final Thread hook = new Thread(() ->
        {
            stoppedBySignal = true;
            shipper.stop();
            try
            {
                finished.await(20, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, "ringwal-ship-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        final Thread progress = startProgress(shipper.counters(), err, shipThread);
        err.println("ringwal ship: " + dir.toAbsolutePath() + " -> topic " + topic + " at " + bootstrapServers +
            " (transactional id " + config.transactionalId() + ")");
        err.flush();
        final long start = System.nanoTime();
        try
        {
            shipper.run();
        }
        catch (final ShipperException ex)
        {
            err.println("ringwal ship: " + ex.getMessage());
            return EXIT_FAILED;
        }
        finally
        {
            progress.interrupt();
            shipper.close();
            final ShipperCounters c = shipper.counters();
            final double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
            err.printf("ringwal ship: %d records (%s) shipped in %.1f s, next sequence %d, %d transactions, " +
                "%d failures recovered, stopped: %s%n", c.recordsShipped(), Bytes.format(c.bytesShipped()),
                seconds, c.nextSequence(), c.transactionsCommitted(), c.failures(),
                stoppedBySignal ? "signal" : until != null ? "--until reached" : "error");
            err.flush();
            finished.countDown();
            removeHook(hook);
        }
        return 0;
    }

    private ShipperConfig config(final CommandLine cmd)
    {
        if (!Files.isDirectory(dir))
        {
            throw new CommandLine.ParameterException(cmd, dir + (Files.exists(dir) ? " is not a directory" :
                ": no such directory"));
        }
        try (var entries = Files.list(dir))
        {
            if (entries.noneMatch(p -> p.getFileName().toString().endsWith(".seg")))
            {
                throw new CommandLine.ParameterException(cmd, dir + " is not a journal directory (no segment files)");
            }
        }
        catch (final java.io.IOException ex)
        {
            throw new CommandLine.ParameterException(cmd, dir + " cannot be listed: " + ex.getMessage());
        }
        if (from != null && from < 0)
        {
            throw new CommandLine.ParameterException(cmd, "--from=" + from + " must not be negative");
        }
        if (until != null && (until < 1 || (from != null && until <= from)))
        {
            throw new CommandLine.ParameterException(cmd, "--until=" + until + " must be positive and above --from");
        }
        if (maxTransactionMillis < 1 || maxCatchUpTransactionMillis < 1 || maxTransactionRecords < 1 || progressSeconds < 0 || connectTimeoutSeconds < 1)
        {
            throw new CommandLine.ParameterException(cmd, "--max-transaction-ms, --max-catch-up-transaction-ms, --max-transaction-records and " +
                "--connect-timeout must be positive, --progress-interval not negative");
        }
        try
        {
            final ShipperConfig.Builder builder = ShipperConfig.builder(dir, bootstrapServers, topic)
                .maxTransactionTime(maxTransactionMillis, TimeUnit.MILLISECONDS)
                .maxCatchUpTransactionTime(maxCatchUpTransactionMillis, TimeUnit.MILLISECONDS)
                .maxTransactionRecords(maxTransactionRecords)
                .producerProperties(producerProperties);
            if (from != null)
            {
                builder.fromSequence(from);
            }
            if (until != null)
            {
                builder.untilSequence(until);
            }
            if (name != null)
            {
                builder.name(name);
            }
            if (transactionalId != null)
            {
                builder.transactionalId(transactionalId);
            }
            return builder.build();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(cmd, ex.getMessage());
        }
    }

    /**
     * Asks the broker for the topic before shipping, so that an unreachable broker or a missing topic is said in
     * one line (the shipper itself retries an unreachable broker for ever).
     */
    private boolean checkBroker(final PrintWriter err) throws InterruptedException
    {
        final Properties props = new Properties();
        producerProperties.forEach((key, value) ->
        {
            if (key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl."))
            {
                props.put(key, value);
            }
        });
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(connectTimeoutSeconds * 1000));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(connectTimeoutSeconds * 1000));
        try (Admin admin = Admin.create(props))
        {
            final TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                .get(connectTimeoutSeconds, TimeUnit.SECONDS).get(topic);
            if (description.partitions().size() > 1)
            {
                err.println("ringwal ship: topic " + topic + " has " + description.partitions().size() +
                    " partitions; every record goes to partition 0 (total order)");
            }
            return true;
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof org.apache.kafka.common.errors.TimeoutException)
            {
                err.println("ringwal ship: cannot reach Kafka at " + bootstrapServers + " within " +
                    connectTimeoutSeconds + " s (is the broker running and --bootstrap-servers right?)");
            }
            else if (ex.getCause() instanceof UnknownTopicOrPartitionException)
            {
                err.println("ringwal ship: topic " + topic + " does not exist on " + bootstrapServers +
                    " (create it first, e.g. kafka-topics.sh --create --topic " + topic + " --partitions 1)");
            }
            else
            {
                err.println("ringwal ship: cannot reach Kafka at " + bootstrapServers + ": " + ex.getCause());
            }
        }
        catch (final TimeoutException | org.apache.kafka.common.errors.TimeoutException ex)
        {
            err.println("ringwal ship: cannot reach Kafka at " + bootstrapServers + " within " +
                connectTimeoutSeconds + " s (is the broker running and --bootstrap-servers right?)");
        }
        catch (final org.apache.kafka.common.KafkaException ex)
        {
            err.println("ringwal ship: cannot connect to Kafka at " + bootstrapServers + ": " + ex.getMessage());
        }
        err.flush();
        return false;
    }

    private Thread startProgress(final ShipperCounters counters, final PrintWriter err, final Thread shipThread)
    {
        final Thread thread = new Thread(() ->
        {
            try
            {
                while (counters.startSequence() < 0)
                {
                    Thread.sleep(20);
                }
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            err.println("ringwal ship: shipping from sequence " + counters.startSequence() +
                (from != null && from != counters.startSequence() ? " (after the topic's last record; --from " +
                from + " applies to an empty topic only)" : ""));
            err.flush();
            long lastRecords = 0;
            long lastBytes = 0;
            long lastNanos = System.nanoTime();
            while (progressSeconds > 0 && !Thread.currentThread().isInterrupted() && shipThread.isAlive())
            {
                try
                {
                    Thread.sleep(progressSeconds * 1000L);
                }
                catch (final InterruptedException ex)
                {
                    return;
                }
                final long now = System.nanoTime();
                final long records = counters.recordsShipped();
                final long bytes = counters.bytesShipped();
                final double seconds = (now - lastNanos) / 1e9;
                err.printf("ringwal ship: %.0f records/s, %s/s, next sequence %d, lag %d records / %s, " +
                    "%d transactions, %d failures%s%n", (records - lastRecords) / seconds,
                    Bytes.format((long)((bytes - lastBytes) / seconds)), counters.nextSequence(),
                    counters.lagRecords(), Bytes.format(counters.lagBytes()), counters.transactionsCommitted(),
                    counters.failures(), counters.lastFailure() != null && counters.failures() > 0 ?
                    " (last: " + counters.lastFailure() + ")" : "");
                err.flush();
                lastRecords = records;
                lastBytes = bytes;
                lastNanos = now;
            }
        }, "ringwal-ship-progress");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void removeHook(final Thread hook)
    {
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException ex)
        {
            // the JVM is shutting down: the hook is running
        }
    }

    /** Formats byte counts. */
    static final class Bytes
    {
        private Bytes()
        {
        }

        static String format(final long bytes)
        {
            if (bytes < 1024)
            {
                return bytes + " B";
            }
            if (bytes < 1024 * 1024)
            {
                return String.format("%.1f KiB", bytes / 1024.0);
            }
            if (bytes < 1024L * 1024 * 1024)
            {
                return String.format("%.1f MiB", bytes / (1024.0 * 1024));
            }
            return String.format("%.2f GiB", bytes / (1024.0 * 1024 * 1024));
        }
    }
}
