import GRDB

extension AllotDatabase {
  /// Versioned schema. Never edit a registered migration: add a new one.
  static var migrator: DatabaseMigrator {
    var m = DatabaseMigrator()
    m.registerMigration("v1-batches-rows-issues-attempts") { db in
      try db.execute(
        sql: """
          CREATE TABLE batches (
            id INTEGER PRIMARY KEY,
            file_name TEXT NOT NULL,
            file_sha256 TEXT NOT NULL,
            sheet TEXT,
            mapping_json TEXT,
            options_json TEXT,
            created_at REAL NOT NULL
          );
          CREATE TABLE rows (
            id INTEGER PRIMARY KEY,
            batch_id INTEGER NOT NULL REFERENCES batches(id),
            source_row INTEGER NOT NULL,
            fingerprint TEXT,
            payload BLOB,
            sent_payload BLOB,
            token_id TEXT,
            wallet_address TEXT,
            state TEXT NOT NULL CHECK (state IN
              ('invalid','pending','in_flight','retry_wait','succeeded','failed','unknown','skipped')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at REAL,
            sent_at REAL,
            reference_sent INTEGER NOT NULL DEFAULT 0,
            verify_checks INTEGER NOT NULL DEFAULT 0,
            allocation_id TEXT,
            allocation_key TEXT,
            last_http_status INTEGER,
            error_type TEXT,
            error_message TEXT,
            reference TEXT,
            skipped_from TEXT,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            UNIQUE (batch_id, source_row)
          );
          CREATE INDEX rows_fingerprint_state ON rows(fingerprint, state);
          CREATE INDEX rows_state ON rows(state);
          CREATE TABLE row_issues (
            id INTEGER PRIMARY KEY,
            batch_id INTEGER NOT NULL REFERENCES batches(id),
            source_row INTEGER NOT NULL,
            column_name TEXT,
            field TEXT NOT NULL,
            severity TEXT NOT NULL,
            code TEXT NOT NULL,
            message TEXT NOT NULL,
            value TEXT
          );
          CREATE INDEX row_issues_row ON row_issues(batch_id, source_row);
          CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,
            row_id INTEGER NOT NULL REFERENCES rows(id),
            started_at REAL NOT NULL,
            finished_at REAL NOT NULL,
            duration_ms INTEGER NOT NULL,
            http_status INTEGER,
            outcome TEXT NOT NULL,
            error TEXT
          );
          CREATE INDEX attempts_row ON attempts(row_id);
          CREATE TRIGGER attempts_append_only_update BEFORE UPDATE ON attempts
            BEGIN SELECT RAISE(ABORT, 'attempts is append-only'); END;
          CREATE TRIGGER attempts_append_only_delete BEFORE DELETE ON attempts
            BEGIN SELECT RAISE(ABORT, 'attempts is append-only'); END;
          """)
    }
    // Skipped-row detection only looks up fingerprints of succeeded rows: a partial index has no entry
    // for rows being staged, so importing a million rows does not pay for a random-order index.
    m.registerMigration("v2-partial-fingerprint-index") { db in
      try db.execute(
        sql: """
          DROP INDEX IF EXISTS rows_fingerprint_state;
          CREATE INDEX rows_fingerprint_succeeded ON rows(fingerprint) WHERE state = 'succeeded';
          """)
    }
    // The state CHECK of v1 is an IN list, which SQLite evaluates through a temporary b-tree built
    // afresh for every INSERT (an ephemeral index per statement run): a third of the cost of staging a
    // row. The same rule written as comparisons costs nothing. SQLite cannot change a CHECK in place,
    // so the table is rebuilt (the documented create-copy-drop-rename procedure; the foreign keys of
    // `attempts` name `rows` and keep pointing at it).
    m.registerMigration("v3-rows-state-check-without-in-list") { db in
      try db.execute(
        sql: """
          CREATE TABLE rows_v3 (
            id INTEGER PRIMARY KEY,
            batch_id INTEGER NOT NULL REFERENCES batches(id),
            source_row INTEGER NOT NULL,
            fingerprint TEXT,
            payload BLOB,
            sent_payload BLOB,
            token_id TEXT,
            wallet_address TEXT,
            state TEXT NOT NULL CHECK (state = 'invalid' OR state = 'pending' OR state = 'in_flight'
              OR state = 'retry_wait' OR state = 'succeeded' OR state = 'failed' OR state = 'unknown'
              OR state = 'skipped'),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at REAL,
            sent_at REAL,
            reference_sent INTEGER NOT NULL DEFAULT 0,
            verify_checks INTEGER NOT NULL DEFAULT 0,
            allocation_id TEXT,
            allocation_key TEXT,
            last_http_status INTEGER,
            error_type TEXT,
            error_message TEXT,
            reference TEXT,
            skipped_from TEXT,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            UNIQUE (batch_id, source_row)
          );
          INSERT INTO rows_v3 SELECT * FROM rows;
          DROP TABLE rows;
          ALTER TABLE rows_v3 RENAME TO rows;
          CREATE INDEX rows_state ON rows(state);
          CREATE INDEX rows_fingerprint_succeeded ON rows(fingerprint) WHERE state = 'succeeded';
          """)
    }
    // The fingerprints of created rows move from the partial index of v2 to a table of their own,
    // appended to as rows succeed (they do so roughly in id order, so its pages fill one after another).
    // The index took random keys: every commit of `allot submit` dirtied about nine of its pages with 4,000
    // rows in the database and one page per created row with a long history. `import` reads the table
    // whole into memory (`EarlierRows`), so no index on the fingerprint is needed. `apply` adds a row when
    // it becomes `succeeded` (a state no row leaves); not a trigger, because a trigger made SQLite keep a
    // statement journal, in a temporary file, for every update of a row (ten times the writes).
    m.registerMigration("v4-created-rows-table") { db in
      try db.execute(
        sql: """
          CREATE TABLE created_rows (
            row_id INTEGER PRIMARY KEY,
            fingerprint TEXT NOT NULL
          );
          INSERT INTO created_rows (row_id, fingerprint)
            SELECT id, fingerprint FROM rows WHERE state = 'succeeded' AND fingerprint IS NOT NULL ORDER BY id;
          DROP INDEX rows_fingerprint_succeeded;
          """)
    }
    return m
  }
}
