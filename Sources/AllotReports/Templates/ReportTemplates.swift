#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Finds report templates: `DIR/<name>.mustache` when `--templates DIR` is given and has the file,
/// else the built-in copy of `templates/<name>.mustache`.
public enum ReportTemplates {
  public struct Source: Sendable {
    public var text: String
    /// The file it came from, or `built-in <name>.mustache`.
    public var origin: String
  }

  public static func source(named name: String, in directory: String?) throws(ReportError) -> Source {
    if let directory {
      let path = (directory.hasSuffix("/") ? directory : directory + "/") + name + ".mustache"
      if let text = readFile(path) { return Source(text: text, origin: path) }
    }
    // A built-in template must exist: a missing one is a packaging mistake, reported as an error.
    guard let text = DefaultTemplates.all[name] else {
      throw ReportError(path: name + ".mustache", message: "no such template (built-in or in --templates).")
    }
    return Source(text: text, origin: "built-in \(name).mustache")
  }

  /// The built-in template names.
  public static var builtInNames: [String] { DefaultTemplates.all.keys.sorted() }

  /// The built-in text of a template (tests compare it with `templates/`).
  public static func builtIn(_ name: String) -> String? { DefaultTemplates.all[name] }

  static func readFile(_ path: String) -> String? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
      if n <= 0 { break }
      bytes.append(contentsOf: chunk[0..<n])
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
