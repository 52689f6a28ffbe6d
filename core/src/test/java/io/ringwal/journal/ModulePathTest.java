package io.ringwal.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core jar is a module ({@code io.ringwal.core}): an application module that requires it can open, write and
 * read a journal, cannot reach {@code io.ringwal.segment.internal}, and without the Agrona flag is told the flag
 * in its module-path form. Compiles small application modules with the JDK's compiler and runs them in child JVMs
 * against the module descriptor the build put into {@code target/classes}.
 */
class ModulePathTest
{
    private static final String MAIN = String.join("\n",
        "package app;",
        "import java.nio.file.*;",
        "import io.ringwal.journal.*;",
        "public class Main {",
        "    public static void main(String[] args) throws Exception {",
        "        Path dir = Path.of(args[0]);",
        "        try (JournalWriter writer = JournalWriter.open(dir, JournalConfig.builder().segmentSize(1 << 20)",
        "            .build())) {",
        "            byte[] bytes = \"on the module path\".getBytes();",
        "            writer.append(bytes, 0, bytes.length);",
        "            writer.endOfBatch();",
        "        }",
        "        try (JournalReader reader = JournalReader.open(dir, 0)) {",
        "            reader.poll((sequence, buffer, offset, length) -> System.out.println(\"read \" + sequence + \" \"",
        "                + buffer.getStringWithoutLengthAscii(offset, length)), 10);",
        "        }",
        "    }",
        "}");

    @TempDir
    Path tmp;

    @Test
    void shouldServeAnApplicationModuleAndTellItTheModulePathFormOfTheAgronaFlag() throws Exception
    {
        final Path classes = Path.of(JournalWriter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(classes.resolve("module-info.class")).as("the build compiles the module descriptor before the " +
            "tests run").exists();
        final String modulePath = classes + java.io.File.pathSeparator + agronaJar();
        final Path app = tmp.resolve("app-classes");
        assertThat(compile(modulePath, app, MAIN)).isEmpty();

        final Path dir = tmp.resolve("journal");
        final List<String> without = run(modulePath + java.io.File.pathSeparator + app, List.of(), dir);
        assertThat(String.join("\n", without))
            .contains("ringwal needs the JVM option '--add-opens java.base/jdk.internal.misc=org.agrona'");

        final List<String> with = run(modulePath + java.io.File.pathSeparator + app,
            List.of("--add-opens", "java.base/jdk.internal.misc=org.agrona"), dir);
        assertThat(with).as(String.join("\n", with)).contains("read 0 on the module path");
    }

    @Test
    void shouldKeepTheSegmentInternalsOutOfReachOfOtherModules() throws Exception
    {
        final Path classes = Path.of(JournalWriter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        final String modulePath = classes + java.io.File.pathSeparator + agronaJar();
        final List<String> errors = compile(modulePath, tmp.resolve("bad-classes"),
            "package app; public class Main { io.ringwal.segment.internal.MappedSegment segment; " +
                "io.ringwal.segment.PreallocationMode mode; }");
        assertThat(errors).singleElement().asString().contains("package io.ringwal.segment.internal is not visible");
    }

    private static String agronaJar() throws Exception
    {
        return Path.of(UnsafeBuffer.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    /** Compiles module {@code app} (requires io.ringwal.core) with the given {@code app.Main}; returns the errors. */
    private List<String> compile(final String modulePath, final Path out, final String mainSource)
        throws IOException
    {
        final Path src = tmp.resolve("src-" + out.getFileName());
        final Path pkg = Files.createDirectories(src.resolve("app"));
        Files.writeString(src.resolve("module-info.java"), "module app { requires io.ringwal.core; }");
        Files.writeString(pkg.resolve("Main.java"), mainSource);
        final List<Path> files = List.of(src.resolve("module-info.java"), pkg.resolve("Main.java"));
        final JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        final DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager manager = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
            StandardCharsets.UTF_8))
        {
            compiler.getTask(null, manager, diagnostics, List.of("--module-path", modulePath, "-d",
                Files.createDirectories(out).toString()), null, manager.getJavaFileObjectsFromPaths(files)).call();
        }
        return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
            .map(d -> d.getMessage(Locale.ROOT)).collect(Collectors.toList());
    }

    private static List<String> run(final String modulePath, final List<String> flags, final Path dir)
        throws Exception
    {
        final String java = ProcessHandle.current().info().command().orElseGet(
            () -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
        final List<String> command = new ArrayList<>(List.of(java));
        command.addAll(flags);
        command.addAll(List.of("--module-path", modulePath, "-m", "app/app.Main", dir.toString()));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
        try (Stream<String> lines = output.lines())
        {
            return lines.collect(Collectors.toList());
        }
    }
}
