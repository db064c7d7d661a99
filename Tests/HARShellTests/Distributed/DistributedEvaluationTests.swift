import Foundation
import HARKit
import TestSupport
import XCTest

/// `eval` in a data-parallel job (real `har` processes on loopback): the ranks evaluate the test split in shares and
/// gather them, and rank 0 reports exactly what one process evaluating the same weights alone reports. About 20–40 s
/// on a busy 2-core machine (one training, then one process and two jobs evaluating).
final class DistributedEvaluationTests: IsolatedTestCase {
    private static let load = "load synthetic window=32 overlap=0"

    /// Weights trained once and saved; then one process, 2 ranks and 3 ranks (shares of the test split differing by
    /// one window) load them and `eval`: the scores, per-class table, confusion matrix and per-subject scores (which
    /// pair each prediction with its window's subject, so a share gathered out of order would show) are equal, the
    /// confusion counts every test window once, and rank 0 says it evaluated in shares.
    func testEvalInAJobIsShardedAndEqualsOneProcess() throws {
        let checkpoint = temporaryFolder().appendingPathComponent("sa.ckpt").path
        let trained = try HarBinary.run(["--no-rc", "--quiet", "-c",
                                         "\(Self.load); model sa width=2 depth=1; set seed 4; set batch 64; train 1; save model \(checkpoint)"])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        let script = "\(Self.load); load model \(checkpoint); eval"
        let alone = try HarBinary.run(["--no-rc", "--quiet", "--json", "-c", script])
        XCTAssertEqual(alone.status, 0, alone.stderr)
        let expected = try XCTUnwrap(try Self.evaluation(alone.stdout), alone.stdout)
        XCTAssertEqual(expected["ranks"] as? Int, 1)
        let confusion = try XCTUnwrap(expected["confusion"] as? [[Int]])
        let testWindows = try DatasetCatalog.load("synthetic", options: ["window": "32", "overlap": "0"]).indices(in: .test).count
        XCTAssertEqual(confusion.joined().reduce(0, +), testWindows, "one process counts every test window once")

        for ranks in [2, 3] {
            let job = try RankProcesses(worldSizes: Array(repeating: ranks, count: ranks), arguments: ["--json"]) { _ in script }
            try job.wait()
            XCTAssertEqual(job.ranks.map(\.status), Array(repeating: 0, count: ranks), job.transcript)
            let measured = try XCTUnwrap(try Self.evaluation(job.ranks[0].output), job.transcript)
            XCTAssertEqual(measured["ranks"] as? Int, ranks, "rank 0 says the split was evaluated in shares")
            for key in ["accuracy", "f1_macro", "f1_weighted", "precision_macro", "recall_macro", "per_class", "confusion", "per_subject"] {
                XCTAssertEqual(Self.canonical(measured[key]), Self.canonical(expected[key]), "\(key) on \(ranks) ranks:\n" + job.transcript)
            }
            for other in job.ranks.dropFirst() { XCTAssertEqual(other.output, "", "only rank 0 reports") }
        }
    }

    /// Ranks whose weights differ (rank 0 and rank 1 load different checkpoints) do not split the split between them:
    /// the ranks compare weight checksums first, every rank evaluates its own model alone, and rank 0 says so and
    /// reports exactly what one process evaluating its checkpoint reports (a split evaluation would mix the two
    /// models' predictions).
    func testEvalOverRanksWithDifferentWeightsIsNotSharded() throws {
        let folder = temporaryFolder()
        let first = folder.appendingPathComponent("first.ckpt").path, second = folder.appendingPathComponent("second.ckpt").path
        let trained = try HarBinary.run(["--no-rc", "--quiet", "-c",
                                         "\(Self.load); model sa width=2 depth=1; set seed 4; set batch 64; train 1; save model \(first); "
                                         + "model sa width=2 depth=1; set seed 9; train 1; save model \(second)"])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        let alone = try HarBinary.run(["--no-rc", "--quiet", "--json", "-c", "\(Self.load); load model \(first); eval"])
        XCTAssertEqual(alone.status, 0, alone.stderr)
        let expected = try XCTUnwrap(try Self.evaluation(alone.stdout), alone.stdout)

        let job = try RankProcesses(worldSizes: [2, 2], arguments: ["--json"]) { rank in
            "\(Self.load); load model \(rank == 0 ? first : second); eval"
        }
        try job.wait()
        XCTAssertEqual(job.ranks.map(\.status), [0, 0], job.transcript)
        let measured = try XCTUnwrap(try Self.evaluation(job.ranks[0].output), job.transcript)
        XCTAssertEqual(measured["ranks"] as? Int, 1, "rank 0 evaluated alone")
        XCTAssertTrue(job.ranks[0].errors.contains("the weights of rank 1 differ from rank 0's"), job.transcript)
        for key in ["accuracy", "f1_macro", "confusion", "per_subject"] {
            XCTAssertEqual(Self.canonical(measured[key]), Self.canonical(expected[key]), "\(key):\n" + job.transcript)
        }
    }

    /// The `eval` object of a `--json` output.
    private static func evaluation(_ output: String) throws -> [String: Any]? {
        try output.split(separator: "\n").compactMap { line in
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        }.first { $0["command"] as? String == "eval" }
    }

    /// A JSON value written with sorted keys, to compare nested values exactly.
    private static func canonical(_ value: Any?) -> String {
        guard let value, let data = try? JSONSerialization.data(withJSONObject: ["v": value], options: [.sortedKeys]) else { return "nil" }
        return String(decoding: data, as: UTF8.self)
    }
}
