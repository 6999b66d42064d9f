#ifndef ALLOT_PREFETCH_H
#define ALLOT_PREFETCH_H

/// Asks the CPU to bring the cache line at `address` in ahead of a write (a hint: no fault, no effect on
/// results). For random-access tables probed in a known order: see `DuplicateTable.prefetch(_:)`.
static inline void allot_prefetch_for_write(const void *address) { __builtin_prefetch(address, 1, 3); }

/// The same ahead of a read: for records of a large array read in a known order that the hardware
/// does not foresee (every other one, say): see `Prefetch.record(_:_:)`.
static inline void allot_prefetch_for_read(const void *address) { __builtin_prefetch(address, 0, 3); }

#endif
