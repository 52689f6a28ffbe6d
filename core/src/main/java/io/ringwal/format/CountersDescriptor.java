package io.ringwal.format;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

/**
 * Layout of the counters file {@value #FILE_NAME} that a running writer keeps in the journal directory, so that
 * another process can read its live counters (docs/FORMAT.md, "The counters file"). The file is not part of the
 * journal: readers of segments, recovery and verify ignore it, and deleting it loses nothing but the figures.
 * All fields are little-endian; every field is written with a release store by the writer thread only and read
 * with an acquire load, one field at a time (the fields are not a consistent snapshot).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 Magic "RWCOUNT1" (8 bytes)                    |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                       Layout Version                          |  8
 *  +---------------------------------------------------------------+
 *  |                  File Length (= 4096)                         | 12
 *  +---------------------------------------------------------------+
 *  |                 Writer Process Id (int64)                     | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |   Writer Process Start, epoch ms, -1 when unknown (int64)     | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |            Start: file created, epoch ms (int64)              | 32
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |          Heartbeat: last update, epoch ms (int64)             | 40
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                          State                                | 48
 *  +---------------------------------------------------------------+
 *  |                Ring Size (0 without a ring)                   | 52
 *  +---------------------------------------------------------------+
 *  |                  Counter Slots in use                         | 56
 *  +---------------------------------------------------------------+
 *  |                      Reserved (zero)                          | 60
 *  +---------------------------------------------------------------+
 *  |       Counter slot 0 .. 47, int64 each (see CounterId)       ...  64
 *  +---------------------------------------------------------------+
 *  |          Failure Reason Length in bytes (0: none)             | 448
 *  +---------------------------------------------------------------+
 *  |        Failure Reason, UTF-8, at most 1020 bytes             ...  452
 *  +---------------------------------------------------------------+
 *  |                 Reserved (zero) up to 4096                   ...  1472
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class CountersDescriptor
{
    /** The file's name in the journal directory. */
    public static final String FILE_NAME = "ringwal.counters";

    /** The name under which a new counters file is prepared before it is renamed into place. */
    public static final String TEMP_FILE_NAME = "ringwal.counters.tmp";

    /** Byte order of every field. */
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;

    /** The magic number: the ASCII bytes {@code RWCOUNT1} read as a little-endian long. */
    public static final long MAGIC = 0x31544E554F435752L;

    /** The layout version this code writes and reads. */
    public static final int CURRENT_VERSION = 1;

    /** Length of the file in bytes. */
    public static final int FILE_LENGTH = 4096;

    /** Number of counter slots the layout has room for. */
    public static final int MAX_COUNTERS = 48;

    /** Longest failure reason kept, in UTF-8 bytes (longer ones are cut). */
    public static final int MAX_FAILURE_REASON_LENGTH = 1020;

    /** State: the writer is running and updates the file. */
    public static final int STATE_RUNNING = 1;
    /** State: the writer closed the journal cleanly; the counters are final and everything written is durable. */
    public static final int STATE_CLOSED = 2;
    /** State: the writer failed; the failure reason says why. */
    public static final int STATE_FAILED = 3;
    /** State: the publisher stopped while its writer stayed open; the counters are no longer updated. */
    public static final int STATE_DETACHED = 4;

    /** Offset of the magic number. */
    public static final int MAGIC_OFFSET;
    /** Offset of the layout version. */
    public static final int VERSION_OFFSET;
    /** Offset of the file length. */
    public static final int FILE_LENGTH_OFFSET;
    /** Offset of the writer's process id. */
    public static final int PID_OFFSET;
    /** Offset of the writer process's start time. */
    public static final int PROCESS_START_OFFSET;
    /** Offset of the time the file was created. */
    public static final int START_OFFSET;
    /** Offset of the heartbeat time. */
    public static final int HEARTBEAT_OFFSET;
    /** Offset of the state. */
    public static final int STATE_OFFSET;
    /** Offset of the ring size. */
    public static final int RING_SIZE_OFFSET;
    /** Offset of the number of counter slots in use. */
    public static final int COUNTER_COUNT_OFFSET;
    /** Offset of the first counter slot. */
    public static final int COUNTERS_OFFSET;
    /** Offset of the failure reason's length. */
    public static final int FAILURE_LENGTH_OFFSET;
    /** Offset of the failure reason's bytes. */
    public static final int FAILURE_REASON_OFFSET;

    static
    {
        int offset = 0;
        MAGIC_OFFSET = offset;
        offset += Long.BYTES;
        VERSION_OFFSET = offset;
        offset += Integer.BYTES;
        FILE_LENGTH_OFFSET = offset;
        offset += Integer.BYTES;
        PID_OFFSET = offset;
        offset += Long.BYTES;
        PROCESS_START_OFFSET = offset;
        offset += Long.BYTES;
        START_OFFSET = offset;
        offset += Long.BYTES;
        HEARTBEAT_OFFSET = offset;
        offset += Long.BYTES;
        STATE_OFFSET = offset;
        offset += Integer.BYTES;
        RING_SIZE_OFFSET = offset;
        offset += Integer.BYTES;
        COUNTER_COUNT_OFFSET = offset;
        offset += Integer.BYTES;
        offset += Integer.BYTES; // reserved
        COUNTERS_OFFSET = offset;
        offset += MAX_COUNTERS * Long.BYTES;
        FAILURE_LENGTH_OFFSET = offset;
        offset += Integer.BYTES;
        FAILURE_REASON_OFFSET = offset;
    }

    private static final boolean NATIVE_LE = ByteOrder.nativeOrder() == BYTE_ORDER;

    private CountersDescriptor()
    {
    }

    /**
     * Offset of a counter's slot.
     *
     * @param index the slot index, below {@link #MAX_COUNTERS}.
     * @return the byte offset.
     */
    public static int counterOffset(final int index)
    {
        return COUNTERS_OFFSET + index * Long.BYTES;
    }

    /**
     * Stores a little-endian long with release semantics.
     *
     * @param buffer the file's buffer.
     * @param offset an 8-byte aligned offset.
     * @param value  the value.
     */
    public static void putLongRelease(final AtomicBuffer buffer, final int offset, final long value)
    {
        buffer.putLongRelease(offset, NATIVE_LE ? value : Long.reverseBytes(value));
    }

    /**
     * Loads a little-endian long with acquire semantics.
     *
     * @param buffer the file's buffer.
     * @param offset an 8-byte aligned offset.
     * @return the value.
     */
    public static long getLongAcquire(final AtomicBuffer buffer, final int offset)
    {
        final long value = buffer.getLongAcquire(offset);
        return NATIVE_LE ? value : Long.reverseBytes(value);
    }

    /**
     * Stores a little-endian int with release semantics.
     *
     * @param buffer the file's buffer.
     * @param offset a 4-byte aligned offset.
     * @param value  the value.
     */
    public static void putIntRelease(final AtomicBuffer buffer, final int offset, final int value)
    {
        buffer.putIntRelease(offset, NATIVE_LE ? value : Integer.reverseBytes(value));
    }

    /**
     * Loads a little-endian int with acquire semantics.
     *
     * @param buffer the file's buffer.
     * @param offset a 4-byte aligned offset.
     * @return the value.
     */
    public static int getIntAcquire(final AtomicBuffer buffer, final int offset)
    {
        final int value = buffer.getIntAcquire(offset);
        return NATIVE_LE ? value : Integer.reverseBytes(value);
    }

    /**
     * Checks the fixed fields of a counters file and returns why it is not one this code reads, or null.
     *
     * @param buffer     the file's bytes.
     * @param fileLength the file's length.
     * @return the problem, or null if the file is readable.
     */
    public static String validate(final DirectBuffer buffer, final long fileLength)
    {
        if (fileLength < FILE_LENGTH)
        {
            return "counters file is " + fileLength + " bytes, shorter than " + FILE_LENGTH;
        }
        final long magic = buffer.getLong(MAGIC_OFFSET, BYTE_ORDER);
        if (magic != MAGIC)
        {
            return "not a ringwal counters file: magic 0x" + Long.toHexString(magic);
        }
        final int version = buffer.getInt(VERSION_OFFSET, BYTE_ORDER);
        if (version != CURRENT_VERSION)
        {
            return "counters file layout version " + version + " is not supported (this reader reads version " +
                CURRENT_VERSION + ")";
        }
        final int length = buffer.getInt(FILE_LENGTH_OFFSET, BYTE_ORDER);
        if (length != FILE_LENGTH)
        {
            return "counters file length field " + length + " where " + FILE_LENGTH + " was expected";
        }
        return null;
    }

    /**
     * The name of a state value.
     *
     * @param state the state field.
     * @return {@code running}, {@code closed}, {@code failed}, {@code detached} or {@code unknown(N)}.
     */
    public static String stateName(final int state)
    {
        switch (state)
        {
            case STATE_RUNNING:
                return "running";
            case STATE_CLOSED:
                return "closed";
            case STATE_FAILED:
                return "failed";
            case STATE_DETACHED:
                return "detached";
            default:
                return "unknown(" + state + ")";
        }
    }
}
