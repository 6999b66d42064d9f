import AllotStore
import ArgumentParser

extension SubmissionLock {
  /// The database's submission lock for a command, or the exit (2) with the sentence saying who holds it.
  static func take(for db: AllotDatabase) throws -> SubmissionLock {
    do {
      return try SubmissionLock(databasePath: db.path)
    } catch {
      throw error.reportAndExit()
    }
  }
}
