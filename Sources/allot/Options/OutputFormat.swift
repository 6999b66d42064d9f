import ArgumentParser

/// `--format text|json`: text for people, json (a stable schema) for scripts.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
  case text, json
}
