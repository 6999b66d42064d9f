#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writing to the terminal: stdout for results, stderr for errors and progress.
enum Console {
  static func out(_ text: String) {
    write(text.hasSuffix("\n") ? text : text + "\n", to: STDOUT_FILENO)
  }

  static func error(_ text: String) {
    write(text.hasSuffix("\n") ? text : text + "\n", to: STDERR_FILENO)
  }

  static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
  static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

  /// Rewrites the current stderr line (progress on a terminal).
  static func progress(_ text: String) {
    write("\r\u{1B}[2K" + text, to: STDERR_FILENO)
  }

  static func endProgress() {
    write("\r\u{1B}[2K", to: STDERR_FILENO)
  }

  /// Writes all of `text` to a file descriptor, unbuffered.
  static func write(_ text: String, to fd: Int32) {
    var text = text
    text.withUTF8 { buf in
      var offset = 0
      while offset < buf.count, let base = buf.baseAddress {
        let n = systemWrite(fd, base + offset, buf.count - offset)
        if n <= 0 { break }
        offset += n
      }
    }
  }
}

#if canImport(Glibc)
  let systemWrite = Glibc.write
#elseif canImport(Darwin)
  let systemWrite = Darwin.write
#endif
