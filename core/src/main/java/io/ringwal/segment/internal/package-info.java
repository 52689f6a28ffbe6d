/**
 * Internal, not API: segment files (mapping, preallocation with real blocks), the allocator thread that prepares
 * the next segment ahead of need, and forcing files and directories. Public only because {@code io.ringwal.journal}
 * uses it from another package; left out of the published Javadoc, and its classes may change in any release.
 */
package io.ringwal.segment.internal;
