package io.ringwal.kafka.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

import io.ringwal.testing.ChildJvm;

/**
 * A real single-node Kafka (broker and KRaft controller in one) in a forked JVM on loopback, from the Kafka
 * jars on the test classpath. {@link #restart(boolean)} stops it (SIGKILL or SIGTERM) and starts it again on
 * the same ports and log directory.
 */
public final class KafkaBroker implements AutoCloseable
{
    private static KafkaBroker shared;

    private final Path dir;
    private final Path properties;
    private final Path logDir;
    private final String clusterId = Uuid.randomUuid().toString();
    private final int brokerPort;
    private final int controllerPort;
    private ChildJvm process;
    private long lastStartMillis;

    private KafkaBroker(final Path dir)
    {
        this.dir = dir;
        this.logDir = dir.resolve("log");
        this.properties = dir.resolve("server.properties");
        this.brokerPort = freePort();
        this.controllerPort = freePort();
    }

    /**
     * One broker for every test class in this JVM, started on first use and stopped when the JVM exits.
     *
     * @return the running broker.
     */
    public static synchronized KafkaBroker shared()
    {
        if (shared == null)
        {
            try
            {
                shared = start(Files.createTempDirectory("ringwal-kafka-broker"));
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            final KafkaBroker broker = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(() ->
            {
                broker.close();
                org.agrona.IoUtil.delete(broker.dir.toFile(), true);
            }, "kafka-broker-stop"));
        }
        return shared;
    }

    /**
     * Starts a broker and waits until it answers.
     *
     * @param dir a directory of its own.
     * @return the running broker.
     */
    public static KafkaBroker start(final Path dir)
    {
        final KafkaBroker broker = new KafkaBroker(dir);
        broker.writeProperties();
        broker.launch();
        return broker;
    }

    /**
     * The bootstrap servers.
     *
     * @return {@code 127.0.0.1:PORT}.
     */
    public String bootstrapServers()
    {
        return "127.0.0.1:" + brokerPort;
    }

    /**
     * How long the last start took, until the broker answered.
     *
     * @return milliseconds.
     */
    public long lastStartMillis()
    {
        return lastStartMillis;
    }

    /**
     * Creates a topic.
     *
     * @param topic      the name.
     * @param partitions the partition count.
     */
    public void createTopic(final String topic, final int partitions)
    {
        try (Admin admin = admin())
        {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short)1))).all().get(30, TimeUnit.SECONDS);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("cannot create topic " + topic, ex);
        }
    }

    /**
     * Stops the broker (SIGKILL when {@code kill}, else SIGTERM and a clean shutdown).
     *
     * @param kill whether to kill it.
     */
    public void stop(final boolean kill)
    {
        final Process p = process.process();
        if (kill)
        {
            p.destroyForcibly();
        }
        else
        {
            p.destroy();
        }
        try
        {
            if (!p.waitFor(60, TimeUnit.SECONDS))
            {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Starts the broker again after {@link #stop(boolean)}, on the same ports and log directory.
     */
    public void startAgain()
    {
        launch();
    }

    /**
     * Stops and starts the broker.
     *
     * @param kill SIGKILL rather than SIGTERM.
     */
    public void restart(final boolean kill)
    {
        stop(kill);
        launch();
    }

    /**
     * An admin client (the caller closes it).
     *
     * @return the client.
     */
    public Admin admin()
    {
        final Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        return Admin.create(props);
    }

    @Override
    public void close()
    {
        if (process != null && process.process().isAlive())
        {
            stop(true);
        }
    }

    private void launch()
    {
        final long start = System.nanoTime();
        process = ChildJvm.start(BrokerMain.class, List.of("-Xmx768m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
            properties.toString(), logDir.toString(), clusterId);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        Exception last = null;
        while (System.nanoTime() < deadline)
        {
            if (!process.process().isAlive())
            {
                throw new IllegalStateException("broker exited with " + process.process().exitValue() + ":\n" +
                    process.output());
            }
            try (Admin admin = admin())
            {
                admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                lastStartMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                return;
            }
            catch (final ExecutionException | java.util.concurrent.TimeoutException ex)
            {
                last = ex;
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
            sleep(Duration.ofMillis(200));
        }
        throw new IllegalStateException("broker did not answer within 120 s (" + last + "):\n" + process.output());
    }

    private void writeProperties()
    {
        final Map<String, String> config = Map.ofEntries(
            Map.entry("process.roles", "broker,controller"),
            Map.entry("node.id", "1"),
            Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
            Map.entry("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" +
                controllerPort),
            Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort),
            Map.entry("controller.listener.names", "CONTROLLER"),
            Map.entry("inter.broker.listener.name", "PLAINTEXT"),
            Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
            Map.entry("log.dirs", logDir.toString()),
            Map.entry("num.partitions", "1"),
            Map.entry("auto.create.topics.enable", "false"),
            Map.entry("offsets.topic.replication.factor", "1"),
            Map.entry("offsets.topic.num.partitions", "1"),
            Map.entry("transaction.state.log.replication.factor", "1"),
            Map.entry("transaction.state.log.min.isr", "1"),
            Map.entry("transaction.state.log.num.partitions", "1"),
            Map.entry("share.coordinator.state.topic.replication.factor", "1"),
            Map.entry("share.coordinator.state.topic.min.isr", "1"),
            Map.entry("group.initial.rebalance.delay.ms", "0"),
            Map.entry("num.network.threads", "2"),
            Map.entry("num.io.threads", "2"),
            Map.entry("background.threads", "2"),
            Map.entry("log.retention.check.interval.ms", "3600000"));
        final StringBuilder sb = new StringBuilder();
        config.forEach((key, value) -> sb.append(key).append('=').append(value).append('\n'));
        try
        {
            Files.createDirectories(dir);
            Files.writeString(properties, sb.toString());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static void sleep(final Duration duration)
    {
        try
        {
            Thread.sleep(duration.toMillis());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
