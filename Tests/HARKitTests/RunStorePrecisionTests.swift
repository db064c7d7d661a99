import Foundation
import GRDB
import XCTest
@testable import HARKit
import TestSupport

/// The precision a run trained in, in the run store: recorded for new runs, and worked out for runs recorded before
/// the store had the column (from their `mixedPrecision` true/false, which decided it exactly then).
final class RunStorePrecisionTests: IsolatedTestCase {
    func testNewRunsRecordTheirPrecision() throws {
        let store = try RunStore(url: try makeTemporaryFolder(self).appendingPathComponent("runs.sqlite"))
        var config = TrainingConfig()
        config.mixedPrecision = .off
        let off = try store.begin(RunStart(dataset: "synthetic", model: "sa", config: config))
        config.mixedPrecision = .on
        let on = try store.begin(RunStart(dataset: "synthetic", model: "sa", config: config))
        config.mixedPrecision = .auto
        let auto = try store.begin(RunStart(dataset: "synthetic", model: "sa", config: config))
        let explicit = try store.record(RunStart(dataset: "synthetic", model: "sa", config: config, precision: .float32),
                                        epochs: [], end: RunEnd(status: .finished, trainSeconds: 1))
        XCTAssertEqual(try store.run(off).precision, .float32)
        XCTAssertEqual(try store.run(on).precision, .bfloat16)
        XCTAssertEqual(try store.run(auto).precision, CPUDescription.current.computesBFloat16 ? .bfloat16 : .float32,
                       "auto as this machine's CPU resolves it")
        XCTAssertEqual(try store.run(explicit).precision, .float32, "the trainer's precision when given")
        let json = RunTable.runs(try store.runs([on])).rendered(as: .json)
        XCTAssertTrue(json.contains(#""train_precision":"bfloat16""#), json)
    }

    /// A store written before `v3` (built here with the migrations up to `v2`) gets each run's precision from its
    /// config: `mixedPrecision` true was bfloat16 autocast, false float32.
    func testRunsRecordedBeforeTheColumnGetThePrecisionTheirConfigChose() throws {
        let url = try makeTemporaryFolder(self).appendingPathComponent("runs.sqlite")
        let queue = try DatabaseQueue(path: url.path)
        try RunStoreSchema.migrator.migrate(queue, upTo: "v2: run owners and interrupted runs")
        let modern = try RunJSON.text(TrainingConfig())
        XCTAssertTrue(modern.contains(#""mixedPrecision":"auto""#), "premise: \(modern)")
        try queue.write { db in
            for flag in ["true", "false"] {
                try db.execute(sql: """
                    INSERT INTO runs (dataset, protocol, model, config, seed, versions, host, started_at, status)
                    VALUES ('synthetic', '{}', 'sa', ?, 0, '{}', 'old', '2026-01-01 00:00:00', 'finished')
                    """, arguments: [modern.replacingOccurrences(of: #""mixedPrecision":"auto""#, with: #""mixedPrecision":\#(flag)"#)])
            }
        }
        try queue.close()
        let runs = try RunStore(url: url).runs()
        XCTAssertEqual(runs.map(\.precision), [.bfloat16, .float32])
        XCTAssertEqual(runs.map(\.config.mixedPrecision), [.on, .off])
    }
}
