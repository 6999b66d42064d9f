#ifndef ALLOT_SHA256_H
#define ALLOT_SHA256_H

#include <stddef.h>
#include <stdint.h>

/// SHA-256's 64 round constants (FIPS 180-4, 4.2.2), for the portable block function too.
const uint32_t *allot_sha256_round_constants(void);

/// 1 when this CPU has the x86 SHA extensions (and SSSE3 and SSE4.1), else 0. Always 0 off x86-64.
int allot_sha256_hardware_available(void);

/// Runs the SHA-256 compression function over `blocks` 64-byte blocks at `data` with the SHA extensions,
/// updating `state` (H0…H7 in order). Call only when `allot_sha256_hardware_available()` returned 1.
void allot_sha256_hardware_blocks(uint32_t state[8], const uint8_t *data, size_t blocks);

/// `allot_sha256_hardware_blocks` on two messages at once (`blocks` blocks of each), interleaved, which
/// keeps the SHA unit busier than one message at a time. Same precondition.
void allot_sha256_hardware_blocks_x2(uint32_t state_a[8], const uint8_t *data_a, uint32_t state_b[8],
                                     const uint8_t *data_b, size_t blocks);

#endif
