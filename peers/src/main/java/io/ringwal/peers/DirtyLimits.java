package io.ringwal.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The kernel's dirty-page limits, from {@code /proc/sys/vm} and {@code /proc/meminfo}: how many bytes of written
 * but not yet written-back page cache a writer may have before the kernel starts background write-back
 * ({@code dirty_background_*}) and before it throttles the writer itself ({@code dirty_*}). A byte limit
 * ({@code dirty_bytes}) wins over a ratio; a ratio is of the "dirtyable" memory, which the kernel computes as free
 * pages plus file-backed LRU pages, approximated here by {@code MemFree + Active(file) + Inactive(file)}.
 * A no-force run that writes well past {@link #limitBytes()} runs at the disk's write-back speed, not the page
 * cache's.
 *
 * @param dirtyRatio           {@code vm.dirty_ratio}, percent.
 * @param dirtyBackgroundRatio {@code vm.dirty_background_ratio}, percent.
 * @param dirtyBytes           {@code vm.dirty_bytes} (0: the ratio applies).
 * @param dirtyBackgroundBytes {@code vm.dirty_background_bytes} (0: the ratio applies).
 * @param memTotal             {@code MemTotal}, bytes.
 * @param dirtyable            free plus file-backed memory, bytes.
 */
public record DirtyLimits(long dirtyRatio, long dirtyBackgroundRatio, long dirtyBytes, long dirtyBackgroundBytes,
    long memTotal, long dirtyable)
{
    /**
     * Reads this machine's limits.
     *
     * @return the limits.
     * @throws IOException if {@code /proc} cannot be read (not Linux).
     */
    public static DirtyLimits read() throws IOException
    {
        final Map<String, Long> mem = new HashMap<>();
        for (final String line : Files.readAllLines(Path.of("/proc/meminfo")))
        {
            final String[] parts = line.split(":\\s*|\\s+");
            if (parts.length >= 2)
            {
                mem.put(parts[0], Long.parseLong(parts[1]) * 1024);
            }
        }
        return new DirtyLimits(vm("dirty_ratio"), vm("dirty_background_ratio"), vm("dirty_bytes"),
            vm("dirty_background_bytes"), mem.getOrDefault("MemTotal", 0L),
            mem.getOrDefault("MemFree", 0L) + mem.getOrDefault("Active(file)", 0L) +
                mem.getOrDefault("Inactive(file)", 0L));
    }

    private static long vm(final String name) throws IOException
    {
        return Long.parseLong(Files.readString(Path.of("/proc/sys/vm", name)).trim());
    }

    /**
     * Dirty bytes at which the kernel throttles writers.
     *
     * @return bytes.
     */
    public long limitBytes()
    {
        return dirtyBytes > 0 ? dirtyBytes : dirtyable * dirtyRatio / 100;
    }

    /**
     * Dirty bytes at which background write-back starts.
     *
     * @return bytes.
     */
    public long backgroundBytes()
    {
        return dirtyBackgroundBytes > 0 ? dirtyBackgroundBytes : dirtyable * dirtyBackgroundRatio / 100;
    }

    /**
     * One sentence for the report.
     *
     * @return the description.
     */
    public String describe()
    {
        return String.format(Locale.ROOT, "vm.dirty_ratio=%d, dirty_background_ratio=%d, dirty_bytes=%d, " +
            "dirty_background_bytes=%d; MemTotal %.1f GiB, dirtyable (MemFree + file LRU) %.1f GiB: writers are " +
            "throttled past %.2f GB dirty, background write-back starts at %.2f GB", dirtyRatio,
            dirtyBackgroundRatio, dirtyBytes, dirtyBackgroundBytes, memTotal / (double)(1L << 30),
            dirtyable / (double)(1L << 30), limitBytes() / 1e9, backgroundBytes() / 1e9);
    }
}
