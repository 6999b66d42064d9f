/// Keeps a value alive until the process ends, for large results a command is done with just before it
/// exits: their memory goes back with the process instead of being freed piece by piece (the hundred
/// thousand issues of a million-row file hold several hundred thousand strings, tens of milliseconds of
/// frees on one thread at the very end of `allot validate`).
enum KeptUntilExit {
  private final class Box<Value> {
    let value: Value
    init(_ value: Value) { self.value = value }
  }

  static func keep<Value>(_ value: Value) {
    _ = Unmanaged.passRetained(Box(value))
  }
}
