package io.ringwal.disruptor;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringwal.journal.JournalWriter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "Add ringwal to your build" Maven snippet works for a user: a scratch project made of that snippet
 * (the BOM import and the dependency, nothing else about ringwal) compiles the README's Java example and a class
 * using the pipeline, resolving ringwal from a repository that holds this build's artifacts (the parent and BOM
 * poms, core and this module as jars with their poms).
 *
 * <p>The nested Maven runs with its own empty local repository and a settings file that serves everything else
 * (plugins, Agrona, the Disruptor) from the user's local repository as a file repository, so that it neither
 * needs the network nor touches the shared local repository (Maven 3.8 has no chained local repository).
 *
 * <p>The README's Gradle snippet cannot be built here: there is no Gradle on the build machine, Gradle is not a
 * Maven Central artifact that the build could fetch, and the distribution's site does not answer. What can be
 * checked is that it names what the Maven snippet names (the BOM at this build's version, the same artifacts) and
 * the flag the README's library section gives.
 */
class ReadmeBuildSnippetTest
{
    private static final Pattern XML_BLOCK = Pattern.compile("(?m)^```xml\\R(.*?)^```$", Pattern.DOTALL);
    private static final Pattern KOTLIN_BLOCK = Pattern.compile("(?m)^```kotlin\\R(.*?)^```$", Pattern.DOTALL);
    private static final Pattern MAVEN_DEPENDENCY = Pattern.compile(
        "<groupId>([^<]+)</groupId>\\s*<artifactId>([^<]+)</artifactId>");
    private static final String FLAG = "--add-opens java.base/jdk.internal.misc=ALL-UNNAMED";
    private static final Pattern VERSION = Pattern.compile("<artifactId>ringwal-bom</artifactId>\\s*<version>([^<]+)");

    @TempDir
    Path tmp;

    @Test
    void shouldCompileAScratchProjectBuiltFromTheReadmeMavenSnippet() throws Exception
    {
        final Path root = ReadmeJavaExamplesTest.readme().getParent();
        final String readme = Files.readString(root.resolve("README.md"));
        final String snippet = snippet(readme, XML_BLOCK, "Maven");
        final String v = bomVersion(root);
        assertThat(snippet).as("the README names this build's version").contains("<version>" + v + "</version>");

        final Path staged = tmp.resolve("staged");
        stagePom(staged, "ringwal-parent", v, root.resolve("pom.xml"));
        stagePom(staged, "ringwal-bom", v, root.resolve("bom/pom.xml"));
        stagePom(staged, "ringwal-core", v, root.resolve("core/pom.xml"));
        stageJar(staged, "ringwal-core", v, codeSource(JournalWriter.class));
        stagePom(staged, "ringwal-disruptor-adapter", v, root.resolve("disruptor-adapter/pom.xml"));
        stageJar(staged, "ringwal-disruptor-adapter", v, codeSource(JournalPipeline.class));

        final Path project = Files.createDirectories(tmp.resolve("project"));
        final String rootPom = Files.readString(root.resolve("pom.xml"));
        Files.writeString(project.resolve("pom.xml"), scratchPom(snippet, pluginVersion(rootPom,
            "maven-resources-plugin"), pluginVersion(rootPom, "maven-compiler-plugin")));
        final Path sources = Files.createDirectories(project.resolve("src/main/java"));
        Files.writeString(sources.resolve("JournalExample.java"),
            ReadmeJavaExamplesTest.javaBlocks(readme).get(0));
        Files.writeString(sources.resolve("UsesPipeline.java"), String.join("\n",
            "import java.nio.file.Path;",
            "import io.ringwal.disruptor.JournalPipeline;",
            "public class UsesPipeline",
            "{",
            "    public static JournalPipeline pipeline(Path dir)",
            "    {",
            "        return JournalPipeline.builder(dir).ringSize(1024).build();",
            "    }",
            "}",
            ""));
        final Path settings = tmp.resolve("settings.xml");
        Files.writeString(settings, settings(tmp.resolve("local"), staged, userRepository()));

        final Path log = tmp.resolve("mvn.log");
        final Process mvn = new ProcessBuilder("mvn", "-B", "-ntp", "-s", settings.toString(), "compile")
            .directory(project.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        final boolean exited = mvn.waitFor(5, TimeUnit.MINUTES);
        if (!exited)
        {
            mvn.destroyForcibly();
        }

        assertThat(exited && mvn.exitValue() == 0).as("mvn compile of the scratch project:%n%s",
            Files.readString(log)).isTrue();
        assertThat(project.resolve("target/classes/JournalExample.class")).isRegularFile();
        assertThat(project.resolve("target/classes/UsesPipeline.class")).isRegularFile();
        // resolved from this build's staged artifacts, not from a ringwal the user's repository may hold (the
        // mirrored central repository has snapshots off, so a SNAPSHOT can only come from "staged")
        for (final String artifactId : List.of("ringwal-core", "ringwal-disruptor-adapter"))
        {
            assertThat(tmp.resolve("local/io/ringwal").resolve(artifactId).resolve(v).resolve("_remote.repositories"))
                .content().contains(artifactId + "-" + v + ".jar>staged=");
        }
    }

    @Test
    void shouldNameTheSameArtifactsAndFlagInTheGradleSnippetAsInTheMavenSnippet() throws Exception
    {
        final Path root = ReadmeJavaExamplesTest.readme().getParent();
        final String readme = Files.readString(root.resolve("README.md"));
        final String maven = snippet(readme, XML_BLOCK, "Maven");
        final String gradle = snippet(readme, KOTLIN_BLOCK, "Gradle");
        final String v = bomVersion(root);

        final Matcher dependency = MAVEN_DEPENDENCY.matcher(maven);
        final List<String> coordinates = new ArrayList<>();
        while (dependency.find())
        {
            coordinates.add(dependency.group(1).trim() + ":" + dependency.group(2).trim());
        }
        assertThat(coordinates).contains("io.ringwal:ringwal-bom").hasSizeGreaterThan(1);
        for (final String coordinate : coordinates)
        {
            final String expected = coordinate.endsWith(":ringwal-bom") ?
                "implementation(platform(\"" + coordinate + ":" + v + "\"))" :
                "implementation(\"" + coordinate + "\")";
            assertThat(gradle).as("the Gradle snippet names %s as the Maven snippet does", coordinate)
                .contains(expected);
        }
        assertThat(gradle).as("the test JVM gets the flag the library section gives")
            .contains("jvmArgs(\"" + FLAG.replace(" ", "\", \"") + "\")");
        assertThat(readme.substring(readme.indexOf("## Using ringwal as a library"))).contains(FLAG);
    }

    /** The first {@code block} of the README's "Add ringwal to your build" section, without its fences. */
    private static String snippet(final String readme, final Pattern block, final String what)
    {
        final Matcher matcher = block.matcher(readme.substring(readme.indexOf("## Add ringwal to your build")));
        assertThat(matcher.find()).as("a " + what + " snippet in 'Add ringwal to your build'").isTrue();
        return matcher.group(1);
    }

    /** This build's version, from the BOM. */
    private static String bomVersion(final Path root) throws IOException
    {
        final Matcher version = VERSION.matcher(Files.readString(root.resolve("bom/pom.xml")));
        assertThat(version.find()).isTrue();
        return version.group(1).trim();
    }

    private static String scratchPom(final String snippet, final String resourcesVersion, final String compilerVersion)
    {
        return String.join("\n",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">",
            "  <modelVersion>4.0.0</modelVersion>",
            "  <groupId>example</groupId>",
            "  <artifactId>uses-ringwal</artifactId>",
            "  <version>1</version>",
            "  <properties>",
            "    <maven.compiler.release>17</maven.compiler.release>",
            "    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>",
            "  </properties>",
            snippet,
            "  <build>",
            "    <plugins>",
            "      <plugin>",
            "        <groupId>org.apache.maven.plugins</groupId>",
            "        <artifactId>maven-resources-plugin</artifactId>",
            "        <version>" + resourcesVersion + "</version>",
            "      </plugin>",
            "      <plugin>",
            "        <groupId>org.apache.maven.plugins</groupId>",
            "        <artifactId>maven-compiler-plugin</artifactId>",
            "        <version>" + compilerVersion + "</version>",
            "      </plugin>",
            "    </plugins>",
            "  </build>",
            "</project>",
            "");
    }

    private static String settings(final Path local, final Path staged, final Path userRepository)
    {
        return String.join("\n",
            "<settings>",
            "  <localRepository>" + local + "</localRepository>",
            "  <mirrors>",
            "    <mirror>",
            "      <id>user-local-repository</id>",
            "      <mirrorOf>*,!staged</mirrorOf>",
            "      <url>" + userRepository.toUri() + "</url>",
            "    </mirror>",
            "  </mirrors>",
            "  <profiles>",
            "    <profile>",
            "      <id>staged</id>",
            "      <repositories>",
            "        <repository>",
            "          <id>staged</id>",
            "          <url>" + staged.toUri() + "</url>",
            "          <snapshots><enabled>true</enabled></snapshots>",
            "        </repository>",
            "      </repositories>",
            "    </profile>",
            "  </profiles>",
            "  <activeProfiles>",
            "    <activeProfile>staged</activeProfile>",
            "  </activeProfiles>",
            "</settings>",
            "");
    }

    private static Path userRepository()
    {
        final Path repository = Path.of(System.getProperty("user.home"), ".m2", "repository");
        assertThat(repository).as("the user's local Maven repository").isDirectory();
        return repository;
    }

    private static String pluginVersion(final String pom, final String artifactId)
    {
        final Matcher matcher = Pattern.compile("<artifactId>" + artifactId + "</artifactId>\\s*<version>([^<]+)")
            .matcher(pom);
        assertThat(matcher.find()).as(artifactId + " pinned in the root pom").isTrue();
        return matcher.group(1).trim();
    }

    private static Path codeSource(final Class<?> type) throws URISyntaxException
    {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static Path artifactDir(final Path staged, final String artifactId, final String version)
        throws IOException
    {
        return Files.createDirectories(staged.resolve("io/ringwal").resolve(artifactId).resolve(version));
    }

    private static void stagePom(final Path staged, final String artifactId, final String version, final Path pom)
        throws IOException
    {
        Files.copy(pom, artifactDir(staged, artifactId, version).resolve(artifactId + "-" + version + ".pom"));
    }

    /** Copies the jar, or jars up the classes directory, that the test class path holds for the artifact. */
    private static void stageJar(final Path staged, final String artifactId, final String version, final Path from)
        throws IOException
    {
        final Path jar = artifactDir(staged, artifactId, version).resolve(artifactId + "-" + version + ".jar");
        if (Files.isRegularFile(from))
        {
            Files.copy(from, jar);
            return;
        }
        final List<Path> files;
        try (Stream<Path> walk = Files.walk(from))
        {
            files = walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out))
        {
            for (final Path file : files)
            {
                zip.putNextEntry(new JarEntry(from.relativize(file).toString().replace('\\', '/')));
                zip.write(Files.readAllBytes(file));
                zip.closeEntry();
            }
        }
    }
}
