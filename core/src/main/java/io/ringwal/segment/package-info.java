/**
 * Segment files: preallocation with real blocks, mapping, the allocator thread that prepares the next
 * segment ahead of need, and forcing files and directories.
 */
package io.ringwal.segment;
