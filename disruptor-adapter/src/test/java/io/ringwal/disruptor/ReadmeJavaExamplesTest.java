package io.ringwal.disruptor;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code ```java} block of the repository's README.md is a complete compilation unit: this test extracts
 * each one, compiles it with {@code javax.tools} against the test class path (core and this module), and runs its
 * {@code main} with a fresh journal directory. A snippet that stops compiling or throws fails the build.
 */
class ReadmeJavaExamplesTest
{
    private static final Pattern JAVA_BLOCK = Pattern.compile("(?m)^```java\\R(.*?)^```$", Pattern.DOTALL);
    private static final Pattern PUBLIC_CLASS = Pattern.compile("(?m)^public (?:final )?class (\\w+)");

    @TempDir
    Path tmp;

    @Test
    void shouldCompileAndRunEveryJavaBlockWhenTakenFromTheReadme() throws Exception
    {
        final List<String> blocks = javaBlocks(Files.readString(readme()));
        assertThat(blocks).as("java blocks in README.md").isNotEmpty();

        final List<String> outputs = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++)
        {
            outputs.add(compileAndRun(blocks.get(i), tmp.resolve("block-" + i)));
        }

        assertThat(outputs.get(0)).contains("appended 0, durable up to 1").contains("record 0: 5 bytes")
            .contains("record 1: 8 bytes");
        assertThat(outputs).as("the restart replay example's output").anySatisfy(output -> assertThat(output)
            .contains("replayed 0 after -1: position 55, last applied 9")
            .contains("replayed 4 after 5: position 78, last applied 11"));
    }

    static Path readme()
    {
        return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolveSibling("README.md");
    }

    static List<String> javaBlocks(final String markdown)
    {
        final List<String> blocks = new ArrayList<>();
        final Matcher matcher = JAVA_BLOCK.matcher(markdown);
        while (matcher.find())
        {
            blocks.add(matcher.group(1));
        }
        return blocks;
    }

    private static String compileAndRun(final String source, final Path work) throws Exception
    {
        final Matcher name = PUBLIC_CLASS.matcher(source);
        assertThat(name.find()).as("a README java block declares a public class:%n%s", source).isTrue();
        final String className = name.group(1);
        final Path classes = Files.createDirectories(work.resolve("classes"));

        final JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        final StringWriter diagnostics = new StringWriter();
        final JavaFileObject unit = new SimpleJavaFileObject(
            java.net.URI.create("string:///" + className + ".java"), JavaFileObject.Kind.SOURCE)
        {
            @Override
            public CharSequence getCharContent(final boolean ignoreEncodingErrors)
            {
                return source;
            }
        };
        final boolean compiled = compiler.getTask(diagnostics, null, null,
            List.of("-classpath", testClassPath(), "-d", classes.toString(), "-Xlint:all", "-Werror"), null,
            List.of(unit)).call();
        assertThat(compiled).as("README block %s compiles:%n%s%n%s", className, diagnostics, source).isTrue();

        final PrintStream stdout = System.out;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
            ReadmeJavaExamplesTest.class.getClassLoader()))
        {
            final Method main = loader.loadClass(className).getMethod("main", String[].class);
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object)new String[] {Files.createDirectories(work.resolve("journal")).toString()});
        }
        finally
        {
            System.setOut(stdout);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static String testClassPath()
    {
        // Surefire starts the test JVM with a manifest-only jar; it passes the real class path in this property
        final String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }
}
