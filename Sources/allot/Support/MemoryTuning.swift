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
}
