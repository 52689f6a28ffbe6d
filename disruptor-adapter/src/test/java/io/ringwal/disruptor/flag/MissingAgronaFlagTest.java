package io.ringwal.disruptor.flag;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.ringwal.journal.AgronaAccess;
import io.ringwal.journal.ForcePolicy;
import io.ringwal.journal.JournalConfig;
import io.ringwal.journal.JournalWriter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every public entry point, called in a fresh JVM started without {@code --add-opens
 * java.base/jdk.internal.misc=ALL-UNNAMED}, fails with the same {@link IllegalStateException} naming the flag (not
 * a raw {@code IllegalAccessError} from inside Agrona). Runs on this JDK (17) and, when the machine has it, on
 * Temurin 25.
 */
class MissingAgronaFlagTest
{
    private static final Path JDK_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
    private static final List<String> ENTRY_POINTS = List.of("writer", "reader", "pipeline", "journalling-handler",
        "verifier", "dumper");
    private static final List<String> READ_ONLY = List.of("reader", "verifier", "dumper");

    @TempDir
    Path tmp;

    static Stream<Arguments> entryPointsAndJdks()
    {
        final List<Arguments> cases = new ArrayList<>();
        final List<String> javas = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (Files.isExecutable(JDK_25))
        {
            javas.add(JDK_25.toString());
        }
        for (final String java : javas)
        {
            for (final String entryPoint : ENTRY_POINTS)
            {
                cases.add(Arguments.of(entryPoint, java));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("entryPointsAndJdks")
    void shouldFailNamingTheFlagWhenJvmLacksAddOpens(final String entryPoint, final String java) throws Exception
    {
        final Path dir = tmp.resolve("journal");
        if (READ_ONLY.contains(entryPoint))
        {
            try (JournalWriter writer = JournalWriter.open(dir,
                JournalConfig.builder().segmentSize(64 * 1024).forcePolicy(ForcePolicy.never()).build()))
            {
                writer.append(new byte[] {1, 2, 3}, 0, 3);
                writer.endOfBatch();
            }
        }

        final String output = runWithoutFlag(java, entryPoint, dir);

        assertThat(output).as(entryPoint + " on " + java).startsWith("FAILED " +
            IllegalStateException.class.getName() + ": ringwal needs the JVM option '" +
            AgronaAccess.REQUIRED_JVM_FLAG + "'");
    }

    private static String runWithoutFlag(final String java, final String entryPoint, final Path dir)
        throws IOException, InterruptedException
    {
        final String surefire = System.getProperty("surefire.test.class.path");
        final String classPath = surefire != null && !surefire.isBlank() ? surefire :
            System.getProperty("java.class.path");
        final Process process = new ProcessBuilder(java, "-Xmx64m", "-Xshare:auto", "-cp", classPath,
            EntryPointChild.class.getName(), entryPoint, dir.toString()).redirectErrorStream(true).start();
        final boolean exited = process.waitFor(60, TimeUnit.SECONDS);
        if (!exited)
        {
            process.destroyForcibly();
        }
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(exited).as("child exited: " + output).isTrue();
        return output.strip();
    }
}
