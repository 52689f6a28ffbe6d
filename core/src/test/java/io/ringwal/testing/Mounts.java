package io.ringwal.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Mounting small filesystems for fault tests (root only). A test that needs a mount calls
 * {@link #requireRoot(String)} first: without root it is skipped with a loud message; as root a refused mount
 * fails the test with the command's output.
 */
public final class Mounts
{
    private Mounts()
    {
    }

    /**
     * Whether this process runs as root.
     *
     * @return true for uid 0.
     */
    public static boolean isRoot()
    {
        try
        {
            final Result id = run(List.of("id", "-u"));
            return id.exitCode == 0 && "0".equals(id.output.trim());
        }
        catch (final UncheckedIOException ex)
        {
            return false;
        }
    }

    /**
     * Skips the calling test, loudly, unless it runs as root.
     *
     * @param what what the test needs root for.
     */
    public static void requireRoot(final String what)
    {
        if (!isRoot())
        {
            final String message = "SKIPPED (NOT ROOT): " + what + " needs root to mount a filesystem; this test " +
                "did not run";
            System.err.println("*** " + message);
            Assumptions.abort(message);
        }
    }

    /**
     * Mounts a fresh ext4 image of {@code sizeBytes} on {@code mountPoint} through a loop device.
     *
     * @param image      the image file to create.
     * @param sizeBytes  its size.
     * @param mountPoint an existing empty directory.
     */
    public static void mountExt4(final Path image, final long sizeBytes, final Path mountPoint)
    {
        check(run(List.of("truncate", "-s", Long.toString(sizeBytes), image.toString())), "truncate");
        check(run(List.of("mkfs.ext4", "-q", "-F", "-m", "0", image.toString())), "mkfs.ext4");
        mountExistingExt4(image, mountPoint);
    }

    /**
     * Mounts an existing ext4 image on {@code mountPoint} through a loop device.
     *
     * @param image      the image file.
     * @param mountPoint an existing empty directory.
     */
    public static void mountExistingExt4(final Path image, final Path mountPoint)
    {
        check(run(List.of("mount", "-o", "loop", image.toString(), mountPoint.toString())), "mount -o loop");
    }

    /**
     * Mounts a tmpfs.
     *
     * @param mountPoint an existing directory.
     * @param options    mount options such as {@code ro,size=1m}.
     */
    public static void mountTmpfs(final Path mountPoint, final String options)
    {
        check(run(List.of("mount", "-t", "tmpfs", "-o", options, "tmpfs", mountPoint.toString())), "mount -t tmpfs");
    }

    /**
     * Bind-mounts {@code source} on {@code target} read-only.
     *
     * @param source the directory to expose.
     * @param target an existing directory.
     */
    public static void bindReadOnly(final Path source, final Path target)
    {
        check(run(List.of("mount", "--bind", source.toString(), target.toString())), "mount --bind");
        final Result remount = run(List.of("mount", "-o", "remount,bind,ro", target.toString()));
        if (remount.exitCode != 0)
        {
            unmount(target);
            check(remount, "mount -o remount,bind,ro");
        }
    }

    /**
     * Unmounts, lazily if a plain unmount fails; never throws.
     *
     * @param mountPoint the mount point.
     * @return true if a mount was removed.
     */
    public static boolean unmount(final Path mountPoint)
    {
        try
        {
            if (run(List.of("umount", mountPoint.toString())).exitCode == 0)
            {
                return true;
            }
            return run(List.of("umount", "-l", mountPoint.toString())).exitCode == 0;
        }
        catch (final UncheckedIOException ex)
        {
            return false;
        }
    }

    /**
     * Runs a command and collects its merged output.
     *
     * @param command the command.
     * @return exit code and output.
     */
    public static Result run(final List<String> command)
    {
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new IOException("timed out: " + command);
            }
            return new Result(process.exitValue(), output);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static void check(final Result result, final String what)
    {
        if (result.exitCode != 0)
        {
            throw new AssertionError("MOUNT REFUSED: '" + what + "' failed with exit code " + result.exitCode +
                " while running as root: " + result.output.trim() + " -- this fault test cannot run here");
        }
    }

    /** Outcome of a command. */
    public static final class Result
    {
        /** The exit code. */
        public final int exitCode;
        /** Merged stdout and stderr. */
        public final String output;

        Result(final int exitCode, final String output)
        {
            this.exitCode = exitCode;
            this.output = output;
        }
    }
}
