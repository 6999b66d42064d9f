#ifndef ALLOT_PREFETCH_H
#define ALLOT_PREFETCH_H

/// Asks the CPU to bring the cache line at `address` in ahead of a write (a hint: no fault, no effect on
/// results). For random-access tables probed in a known order: see `DuplicateTable.prefetch(_:)`.
static inline void allot_prefetch_for_write(const void *address) { __builtin_prefetch(address, 1, 3); }

#endif
