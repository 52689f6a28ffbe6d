/**
 * The segment settings and signals a user of the journal meets: how new segment files get their blocks
 * ({@link io.ringwal.segment.PreallocationMode}), how their pages are touched ({@link io.ringwal.segment.PretouchMode}),
 * the early warning of a full disk ({@link io.ringwal.segment.AllocationListener}) and the allocator's failure
 * ({@link io.ringwal.segment.SegmentAllocationException}). The machinery itself is in
 * {@code io.ringwal.segment.internal}.
 */
package io.ringwal.segment;
