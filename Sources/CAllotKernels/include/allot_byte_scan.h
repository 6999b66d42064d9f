#ifndef ALLOT_BYTE_SCAN_H
#define ALLOT_BYTE_SCAN_H

// Byte searches sixteen bytes at a time with SSE2 (every x86-64 CPU has it), byte by byte elsewhere.
// Swift's own SIMD types compare lane by lane here, so the vector code lives in C; `static inline`, so
// Swift inlines it where it is called. Each function's result is the same on either path (tested
// against byte-by-byte loops in ByteScanTests).

#include <stddef.h>
#include <stdint.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// The two masks of a 64-byte block of CSV: bit k of `ends` set when byte k is the delimiter, LF, CR
/// or NUL (what ends an unquoted field, or is binary); bit k of `quotes` when it is `"` or NUL (what
/// ends the text of a quoted field).
typedef struct {
  uint64_t ends;
  uint64_t quotes;
} allot_csv_masks;

/// The masks of the `count` bytes at `p` (at most 64: the end of a buffer); higher bits are clear.
static inline allot_csv_masks allot_csv_masks_tail(const uint8_t *p, size_t count, uint8_t delimiter) {
  allot_csv_masks m = {0, 0};
  for (size_t k = 0; k < count && k < 64; k++) {
    const uint8_t b = p[k];
    if (b == delimiter || b == 10 || b == 13 || b == 0) m.ends |= (uint64_t)1 << k;
    if (b == 34 || b == 0) m.quotes |= (uint64_t)1 << k;
  }
  return m;
}

/// The record-boundary masks (see `allot_line_masks64`) of the `count` bytes at `p` (at most 64); higher
/// bits are clear.
static inline allot_csv_masks allot_line_masks_tail(const uint8_t *p, size_t count) {
  allot_csv_masks m = {0, 0};
  for (size_t k = 0; k < count && k < 64; k++) {
    const uint8_t b = p[k];
    if (b == 10 || b == 13) m.ends |= (uint64_t)1 << k;
    if (b == 34) m.quotes |= (uint64_t)1 << k;
  }
  return m;
}

/// The masks of the 64 bytes at `p` (all 64 must be readable).
static inline allot_csv_masks allot_csv_masks64(const uint8_t *p, uint8_t delimiter) {
  allot_csv_masks m = {0, 0};
#if defined(__SSE2__)
  const __m128i d = _mm_set1_epi8((char)delimiter);
  const __m128i lf = _mm_set1_epi8(10);
  const __m128i cr = _mm_set1_epi8(13);
  const __m128i q = _mm_set1_epi8(34);
  const __m128i zero = _mm_setzero_si128();
  for (int k = 0; k < 4; k++) {
    const __m128i v = _mm_loadu_si128((const __m128i *)(p + 16 * k));
    const __m128i nul = _mm_cmpeq_epi8(v, zero);
    const __m128i e = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, d), _mm_cmpeq_epi8(v, lf)),
                                   _mm_or_si128(_mm_cmpeq_epi8(v, cr), nul));
    const __m128i qq = _mm_or_si128(_mm_cmpeq_epi8(v, q), nul);
    m.ends |= (uint64_t)(uint16_t)_mm_movemask_epi8(e) << (16 * k);
    m.quotes |= (uint64_t)(uint16_t)_mm_movemask_epi8(qq) << (16 * k);
  }
#else
  m = allot_csv_masks_tail(p, 64, delimiter);
#endif
  return m;
}

/// The masks of the 64 bytes at `p` for finding record boundaries (all 64 must be readable): bit k of
/// `ends` set when byte k is LF or CR, of `quotes` when it is `"`.
static inline allot_csv_masks allot_line_masks64(const uint8_t *p) {
  allot_csv_masks m = {0, 0};
#if defined(__SSE2__)
  const __m128i lf = _mm_set1_epi8(10);
  const __m128i cr = _mm_set1_epi8(13);
  const __m128i q = _mm_set1_epi8(34);
  for (int k = 0; k < 4; k++) {
    const __m128i v = _mm_loadu_si128((const __m128i *)(p + 16 * k));
    const __m128i e = _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr));
    m.ends |= (uint64_t)(uint16_t)_mm_movemask_epi8(e) << (16 * k);
    m.quotes |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, q)) << (16 * k);
  }
#else
  m = allot_line_masks_tail(p, 64);
#endif
  return m;
}

// What the searches below look for: `allot__hits` gives the mask of the bytes of `v` that match (bit k
// for byte k); `kind` is a constant at each call, so the switch folds away once inlined.
enum { ALLOT_CSV_QUOTABLE = 0, ALLOT_ONE_BYTE = 1, ALLOT_JSON_SPECIAL = 2 };

/// 1 when byte `b` is one that search `kind` looks for (`x`: the byte of `ALLOT_ONE_BYTE`).
static inline int allot__is_hit(uint8_t b, int kind, uint8_t x) {
  switch (kind) {
  case ALLOT_CSV_QUOTABLE: return b == 44 || b == 34 || b == 10 || b == 13;
  case ALLOT_ONE_BYTE: return b == x;
  default: return b < 0x20 || b == 34 || b == 92 || b == 60 || b == 0xE2;
  }
}

#if defined(__SSE2__)
static inline unsigned allot__hits(__m128i v, int kind, uint8_t x) {
  __m128i hit;
  switch (kind) {
  case ALLOT_CSV_QUOTABLE:
    hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(44)), _mm_cmpeq_epi8(v, _mm_set1_epi8(34))),
                       _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(10)), _mm_cmpeq_epi8(v, _mm_set1_epi8(13))));
    break;
  case ALLOT_ONE_BYTE: hit = _mm_cmpeq_epi8(v, _mm_set1_epi8((char)x)); break;
  default: {
    // Below 0x20: the unsigned minimum with 0x1F is the byte itself.
    const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v);
    hit = _mm_or_si128(_mm_or_si128(control, _mm_cmpeq_epi8(v, _mm_set1_epi8(34))),
                       _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(92)),
                                                 _mm_cmpeq_epi8(v, _mm_set1_epi8(60))),
                                    _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE2))));
  }
  }
  return (unsigned)_mm_movemask_epi8(hit);
}
#endif

/// The index of the first byte of the `count` at `p` that search `kind` looks for, or `count`. Never
/// reads outside the `count` bytes: the last bytes are read as overlapping blocks of 16, 8 or 4.
static inline size_t allot__first(const uint8_t *p, size_t count, int kind, uint8_t x) {
  size_t i = 0;
#if defined(__SSE2__)
  for (; i + 16 <= count; i += 16) {
    const unsigned bits = allot__hits(_mm_loadu_si128((const __m128i *)(p + i)), kind, x);
    if (bits != 0) return i + (size_t)__builtin_ctz(bits);
  }
  const size_t rest = count - i;
  if (rest == 0) return count;
  if (i > 0) {
    // The last 16 bytes, of which the first 16 - rest were searched already.
    const unsigned bits = allot__hits(_mm_loadu_si128((const __m128i *)(p + count - 16)), kind, x) >> (16 - rest);
    return bits != 0 ? i + (size_t)__builtin_ctz(bits) : count;
  }
  if (rest >= 8) {
    // Bytes 0–7 in the low half, the last 8 (overlapping them) in the high half.
    const __m128i v = _mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)p),
                                         _mm_loadl_epi64((const __m128i *)(p + count - 8)));
    const unsigned bits = allot__hits(v, kind, x);
    if ((bits & 0xFF) != 0) return (size_t)__builtin_ctz(bits & 0xFF);
    const unsigned high = (bits >> 8) >> (16 - rest);
    return high != 0 ? 8 + (size_t)__builtin_ctz(high) : count;
  }
  if (rest >= 4) {
    // Bytes 0–3, then the last 4 (overlapping them); the upper eight lanes are zero and ignored.
    int32_t lo, hi;
    __builtin_memcpy(&lo, p, 4);
    __builtin_memcpy(&hi, p + count - 4, 4);
    const __m128i v = _mm_unpacklo_epi32(_mm_cvtsi32_si128(lo), _mm_cvtsi32_si128(hi));
    const unsigned bits = allot__hits(v, kind, x) & 0xFF;
    if ((bits & 0xF) != 0) return (size_t)__builtin_ctz(bits & 0xF);
    const unsigned high = (bits >> 4) >> (8 - rest);
    return high != 0 ? 4 + (size_t)__builtin_ctz(high) : count;
  }
#endif
  for (; i < count; i++) {
    if (allot__is_hit(p[i], kind, x)) return i;
  }
  return count;
}

/// The index of the first byte of the `count` at `p` that makes a CSV cell need quotes (`,` `"` LF
/// CR), or `count` when there is none.
static inline size_t allot_first_csv_quotable(const uint8_t *p, size_t count) {
  return allot__first(p, count, ALLOT_CSV_QUOTABLE, 0);
}

/// The index of the first `byte` among the `count` at `p`, or `count`.
static inline size_t allot_first_byte(const uint8_t *p, size_t count, uint8_t byte) {
  return allot__first(p, count, ALLOT_ONE_BYTE, byte);
}

/// The index of the first byte of the `count` at `p` that a JSON string literal may need to escape
/// (below 0x20, `"`, `\`, `<`, or 0xE2, which starts U+2028 and U+2029), or `count`.
static inline size_t allot_first_json_special(const uint8_t *p, size_t count) {
  return allot__first(p, count, ALLOT_JSON_SPECIAL, 0);
}

/// 1 when all `count` bytes at `p` are ASCII (below 0x80), else 0.
static inline int allot_is_ascii(const uint8_t *p, size_t count) {
  size_t i = 0;
#if defined(__SSE2__)
  __m128i acc = _mm_setzero_si128();
  for (; i + 64 <= count; i += 64) {
    acc = _mm_or_si128(acc, _mm_or_si128(_mm_loadu_si128((const __m128i *)(p + i)),
                                         _mm_loadu_si128((const __m128i *)(p + i + 16))));
    acc = _mm_or_si128(acc, _mm_or_si128(_mm_loadu_si128((const __m128i *)(p + i + 32)),
                                         _mm_loadu_si128((const __m128i *)(p + i + 48))));
  }
  for (; i + 16 <= count; i += 16) acc = _mm_or_si128(acc, _mm_loadu_si128((const __m128i *)(p + i)));
  if (_mm_movemask_epi8(acc) != 0) return 0;
#endif
  uint8_t tail = 0;
  for (; i < count; i++) tail |= p[i];
  return tail < 0x80;
}

#endif
