package io.ringwal.concurrency;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs the jcstress tests of this module in a child JVM (jcstress forks its own JVMs per test); forbidden outcomes
 * must stay at 0. The default build runs quick mode over every JVM configuration jcstress detects (biased locking
 * where the JVM has it, C2's code-motion randomizers) with both actors compiled alike (about four minutes on 2
 * cores); {@code -Ptorture} runs jcstress's default (longer) mode and adds every split of interpreter, C1 and C2
 * across the actors. The full run by hand is {@code java -jar concurrency-tests/target/jcstress.jar} after
 * {@code mvn package}.
 */
class JcstressRunTest
{
    @Test
    void shouldNeverSeeAForbiddenOutcomeInQuickMode() throws Exception
    {
        run("quick", 900, false);
    }

    @Test
    @Tag("slow")
    void shouldNeverSeeAForbiddenOutcomeInDefaultMode() throws Exception
    {
        run("default", 3600, true);
    }

    private static void run(final String mode, final long timeoutSeconds, final boolean splitCompilation)
        throws Exception
    {
        final Path results = Files.createDirectories(Path.of("target", "jcstress-" + mode)).toAbsolutePath();
        final Path log = results.resolve("output.txt");
        final String java = ProcessHandle.current().info().command().orElseGet(
            () -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
        final List<String> command = new ArrayList<>(List.of(java,
            "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), "org.openjdk.jcstress.Main",
            "-t", "io\\.ringwal\\.(concurrency|journal|disruptor)\\..*Stress",
            "-m", mode, "-v",
            "-r", results.toString(),
            "-jvmArgsPrepend", "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED"));
        if (!splitCompilation)
        {
            // both actors compiled alike (tiered up to C2) instead of every interpreter/C1/C2 split between them
            command.addAll(List.of("-sc", "false"));
        }
        // jcstress writes its result blob into the working directory: keep it under target
        final Process process = new ProcessBuilder(command).directory(results.toFile()).redirectErrorStream(true)
            .redirectOutput(log.toFile()).start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new AssertionError("jcstress " + mode + " did not finish in " + timeoutSeconds + " s; see " + log);
        }
        final String output = read(log);
        assertThat(process.exitValue()).as("jcstress exit code; output in %s:%n%s", log, output).isZero();
        assertThat(output).as(log.toString())
            .contains("[OK] io.ringwal.concurrency.FrameCommitStress")
            .contains("[OK] io.ringwal.concurrency.FrameCommitStress.RecycledSegmentStress")
            .contains("[OK] io.ringwal.concurrency.DurableWatermarkStress")
            .contains("[OK] io.ringwal.journal.StagedCopyStress")
            .contains("[OK] io.ringwal.disruptor.PublishCloseStress.MultiProducerStress")
            .contains("[OK] io.ringwal.disruptor.PublishCloseStress.SingleProducerStress")
            .contains("Failed tests: No matches.")
            .contains("Error tests: No matches.");
        System.out.println("jcstress " + mode + ": " + output.lines()
            .filter(line -> line.contains("Results:") && line.contains("planned")).reduce((a, b) -> b).orElse("?"));
    }

    private static String read(final Path file) throws IOException
    {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
