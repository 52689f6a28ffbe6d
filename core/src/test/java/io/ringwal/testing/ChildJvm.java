package io.ringwal.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a child JVM with the test classpath and the Agrona flag, running a main class of the test sources.
 */
public final class ChildJvm
{
    private ChildJvm()
    {
    }

    /**
     * Starts {@code mainClass} in a new JVM.
     *
     * @param mainClass the class whose main runs.
     * @param args      its arguments.
     * @return the process (stdout piped, stderr inherited).
     * @throws IOException if the process cannot be started.
     */
    public static Process start(final Class<?> mainClass, final String... args) throws IOException
    {
        final String java = ProcessHandle.current().info().command().orElse("java");
        final List<String> command = new ArrayList<>();
        command.add(java);
        command.add("--add-opens");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
