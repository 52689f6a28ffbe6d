/**
 * The on-disk format: one descriptor class per structure (segment header, frame), the file naming
 * rule and the frame CRC. Everything persisted is little-endian. See {@code docs/FORMAT.md}.
 */
package io.ringwal.format;
