import AllotReaders

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Small file-system helpers for the commands.
enum FileSystem {
  /// Creates `path` and its parents (mode 0755) when missing.
  static func makeDirectory(_ path: String) throws(ReaderError) {
    var current = path.hasPrefix("/") ? "" : "."
    for part in path.split(separator: "/") {
      current += "/" + part
      if mkdir(current, 0o755) != 0 && errno != EEXIST {
        throw ReaderError(
          code: "output.unwritable", file: path, message: "cannot create the folder \(current)")
      }
    }
  }
}
