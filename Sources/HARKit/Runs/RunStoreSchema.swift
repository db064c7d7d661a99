import GRDB

/// The run store's tables, as versioned migrations: a store written by an older harlab is brought up to date
/// on opening; one written by a newer harlab is refused rather than misread.
enum RunStoreSchema {
    /// Every migration in order. Append new ones; never edit a released one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: runs and epochs") { db in
            try db.execute(sql: """
                CREATE TABLE runs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    dataset TEXT NOT NULL,
                    protocol TEXT NOT NULL,
                    model TEXT NOT NULL,
                    config TEXT NOT NULL,
                    seed INTEGER NOT NULL,
                    versions TEXT NOT NULL,
                    host TEXT NOT NULL,
                    label TEXT,
                    started_at DATETIME NOT NULL,
                    ended_at DATETIME,
                    status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'stopped early', 'cancelled', 'failed')),
                    message TEXT,
                    train_seconds REAL,
                    test_metrics TEXT,
                    accuracy REAL,
                    precision_macro REAL,
                    recall_macro REAL,
                    f1_macro REAL,
                    f1_weighted REAL,
                    inference TEXT,
                    latency_ms_p50 REAL,
                    latency_ms_p95 REAL,
                    throughput REAL,
                    checkpoint_path TEXT
                );
                CREATE INDEX runs_by_dataset_and_model ON runs(dataset, model);
                CREATE TABLE epochs (
                    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    epoch INTEGER NOT NULL,
                    train_loss REAL,
                    penalty_loss REAL,
                    train_accuracy REAL,
                    validation_loss REAL,
                    validation_accuracy REAL,
                    validation_macro_f1 REAL,
                    learning_rate REAL,
                    seconds REAL,
                    windows_per_second REAL,
                    PRIMARY KEY (run_id, epoch)
                );
                """)
        }
        migrator.registerMigration("v2: run owners and interrupted runs") { db in
            // SQLite cannot change a CHECK constraint in place: the table is rebuilt (foreign keys are off during
            // migrations, so the epochs stay) with the new status and the owner of a running run.
            try db.execute(sql: """
                CREATE TABLE new_runs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    dataset TEXT NOT NULL,
                    protocol TEXT NOT NULL,
                    model TEXT NOT NULL,
                    config TEXT NOT NULL,
                    seed INTEGER NOT NULL,
                    versions TEXT NOT NULL,
                    host TEXT NOT NULL,
                    label TEXT,
                    started_at DATETIME NOT NULL,
                    ended_at DATETIME,
                    status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'stopped early', 'cancelled', 'failed', 'interrupted')),
                    message TEXT,
                    train_seconds REAL,
                    test_metrics TEXT,
                    accuracy REAL,
                    precision_macro REAL,
                    recall_macro REAL,
                    f1_macro REAL,
                    f1_weighted REAL,
                    inference TEXT,
                    latency_ms_p50 REAL,
                    latency_ms_p95 REAL,
                    throughput REAL,
                    checkpoint_path TEXT,
                    owner_host TEXT,
                    owner_boot TEXT,
                    owner_pid INTEGER,
                    owner_start INTEGER
                );
                INSERT INTO new_runs (id, dataset, protocol, model, config, seed, versions, host, label, started_at, ended_at,
                                      status, message, train_seconds, test_metrics, accuracy, precision_macro, recall_macro,
                                      f1_macro, f1_weighted, inference, latency_ms_p50, latency_ms_p95, throughput, checkpoint_path)
                    SELECT id, dataset, protocol, model, config, seed, versions, host, label, started_at, ended_at,
                           status, message, train_seconds, test_metrics, accuracy, precision_macro, recall_macro,
                           f1_macro, f1_weighted, inference, latency_ms_p50, latency_ms_p95, throughput, checkpoint_path
                    FROM runs;
                DELETE FROM sqlite_sequence WHERE name = 'new_runs';
                INSERT INTO sqlite_sequence (name, seq) SELECT 'new_runs', seq FROM sqlite_sequence WHERE name = 'runs';
                DROP TABLE runs;
                ALTER TABLE new_runs RENAME TO runs;
                CREATE INDEX runs_by_dataset_and_model ON runs(dataset, model);
                """)
        }
        migrator.registerMigration("v3: run kinds, groups, settings history and spreads") { db in
            // A run is a whole result or a member of one (its group); a run's settings history says which epochs ran
            // with which settings; a group result keeps the spread of its members. Folds and trials of older stores
            // are recognised by their labels, so they stop ranking beside held-out runs.
            try db.execute(sql: """
                ALTER TABLE runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'train'
                    CHECK (kind IN ('train', 'cv', 'fold', 'tune', 'trial', 'seeds', 'seed'));
                ALTER TABLE runs ADD COLUMN group_id INTEGER REFERENCES runs(id) ON DELETE CASCADE;
                ALTER TABLE runs ADD COLUMN augmentation TEXT;
                ALTER TABLE runs ADD COLUMN settings TEXT;
                ALTER TABLE runs ADD COLUMN spread TEXT;
                ALTER TABLE runs ADD COLUMN accuracy_std REAL;
                ALTER TABLE runs ADD COLUMN f1_macro_std REAL;
                UPDATE runs SET kind = 'fold' WHERE label LIKE 'cv fold %';
                UPDATE runs SET kind = 'trial' WHERE label LIKE 'tune trial %';
                CREATE INDEX runs_by_group ON runs(group_id);
                """)
        }
        migrator.registerMigration("v4: the precision a run trained in") { db in
            // Before `amp auto` a run trained in bfloat16 exactly when its config's mixedPrecision was true.
            try db.execute(sql: """
                ALTER TABLE runs ADD COLUMN train_precision TEXT;
                UPDATE runs SET train_precision = CASE WHEN json_extract(config, '$.mixedPrecision') = 1 THEN 'bfloat16' ELSE 'float32' END;
                """)
        }
        migrator.registerMigration("v5-learn: per-subject scores") { db in
            // An evaluation's (or a cross-validation's) accuracy and macro F1 per subject, as SubjectScores JSON.
            try db.execute(sql: "ALTER TABLE runs ADD COLUMN subject_scores TEXT")
        }
        migrator.registerMigration("v6-learn: the trained weights a run started from") { db in
            // `model from #RUN|FILE`: the checkpoint file read, and the run that saved it when named by its id.
            try db.execute(sql: """
                ALTER TABLE runs ADD COLUMN source_run INTEGER;
                ALTER TABLE runs ADD COLUMN source_checkpoint TEXT;
                """)
        }
        return migrator
    }
}
