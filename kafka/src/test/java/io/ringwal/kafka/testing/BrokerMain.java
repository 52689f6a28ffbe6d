package io.ringwal.kafka.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Main class of the forked broker JVM: formats the KRaft log directory on first start (as
 * {@code kafka-storage.sh format} does), then runs the broker and controller as {@code kafka-server-start.sh}
 * does.
 *
 * <p>Arguments: {@code SERVER_PROPERTIES LOG_DIR CLUSTER_ID}.
 */
public final class BrokerMain
{
    private BrokerMain()
    {
    }

    /**
     * Formats if needed and runs the broker.
     *
     * @param args the server properties file, the log directory and the cluster id.
     */
    public static void main(final String[] args)
    {
        final Path logDir = Path.of(args[1]);
        if (!Files.exists(logDir.resolve("meta.properties")))
        {
            final int code = kafka.tools.StorageTool.execute(
                new String[] {"format", "-t", args[2], "-c", args[0]}, System.out);
            if (code != 0)
            {
                System.out.println("broker-main: format failed with " + code);
                System.exit(code);
            }
        }
        System.out.println("broker-main: starting");
        kafka.Kafka.main(new String[] {args[0]});
    }
}
