import GRDB

extension RunStore {
    /// Records run `run`'s test scores per subject (replacing earlier ones).
    /// - Throws: `RunStoreError` for an unknown run id.
    public func setSubjectScores(of run: Int64, _ scores: SubjectScores) throws {
        try write("record per-subject scores in") { db in
            try requireRun(run, in: db)
            try db.execute(sql: "UPDATE runs SET subject_scores = ? WHERE id = ?", arguments: [try RunJSON.text(scores), run])
        }
    }

    /// Run `run`'s test scores per subject; nil when none were recorded.
    /// - Throws: `RunStoreError` for an unknown run id or scores that do not read back.
    public func subjectScores(of run: Int64) throws -> SubjectScores? {
        let text: String? = try read("read") { db in
            try requireRun(run, in: db)
            return try String.fetchOne(db, sql: "SELECT subject_scores FROM runs WHERE id = ?", arguments: [run])
        }
        return try text.map { try RunJSON.value(SubjectScores.self, from: $0, what: "run \(run)'s subject_scores") }
    }
}
