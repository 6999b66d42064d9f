#if canImport(Glibc)
  import Glibc
#endif

/// glibc allocator settings for the commands that build and free large arrays.
enum MemoryTuning {
  /// Gives every block of at least `threshold` bytes its own mapping, returned to the system when
  /// freed, instead of glibc's sliding threshold keeping freed blocks of up to 32 MiB in the heap:
  /// a lower peak memory when large arrays come and go between phases.
  static func mapBlocks(largerThan threshold: Int32) {
    #if canImport(Glibc)
      // mallopt is not in the Glibc module map: look it up (M_MMAP_THRESHOLD is -3).
      if let f = dlsym(nil, "mallopt") {
        typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
        _ = unsafeBitCast(f, to: MallOpt.self)(-3, threshold)
      }
    #endif
  }

  /// While `body` runs, each thread's heap grows in one step of 64 MiB (the most a glibc heap of a
  /// thread other than the main one holds) instead of a page at a time. Reading a million payouts and a
  /// million transactions on two threads allocates some 4 million strings, and their heaps' growth page
  /// by page was 71,500 `mprotect` calls, each taking the process's memory-map lock that the page faults
  /// of the other threads need too. Reset afterwards (to glibc's default of 128 KiB), so that the later
  /// phases give freed memory back as before.
  static func growingHeapsInLargeSteps<T>(_ body: () async throws -> T) async rethrows -> T {
    setTopPad(64 << 20)
    defer { setTopPad(128 << 10) }
    return try await body()
  }

  private static func setTopPad(_ bytes: Int32) {
    #if canImport(Glibc)
      if let f = dlsym(nil, "mallopt") {
        typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
        // M_TOP_PAD is -2.
        _ = unsafeBitCast(f, to: MallOpt.self)(-2, bytes)
      }
    #endif
  }
}
