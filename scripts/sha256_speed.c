// Throughput of allot's SHA-256 block functions (Sources/CAllotKernels), one message and two at once,
// for `scripts/bench --only sha256`; compiled the way SwiftPM compiles the kernels in release (clang -O2).
// Prints GB/s; OpenSSL's figure on the same machine is `openssl speed -bytes 1048576 -evp sha256`.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "allot_sha256.h"

static double seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(void) {
  if (!allot_sha256_hardware_available()) {
    printf("sha256: no SHA extensions on this CPU (allot uses its portable Swift code)\n");
    return 0;
  }
  const size_t n = (size_t)256 << 20;
  uint8_t *data = malloc(n);
  if (!data) return 1;
  for (size_t i = 0; i < n; i++) data[i] = (uint8_t)(i * 7 ^ i >> 9);
  uint32_t a[8] = {0}, b[8] = {0};
  double best1 = 0, best2 = 0;
  for (int r = 0; r < 5; r++) {
    double t = seconds();
    allot_sha256_hardware_blocks(a, data, n / 64);
    double one = n / (seconds() - t) / 1e9;
    t = seconds();
    allot_sha256_hardware_blocks_x2(a, data, b, data + n / 2, n / 128);
    double two = n / (seconds() - t) / 1e9;
    if (one > best1) best1 = one;
    if (two > best2) best2 = two;
  }
  printf("sha256: one message %.2f GB/s, two at once %.2f GB/s (best of 5 over 256 MiB; state %08x)\n", best1,
         best2, a[0] ^ b[0]);
  free(data);
  return 0;
}
