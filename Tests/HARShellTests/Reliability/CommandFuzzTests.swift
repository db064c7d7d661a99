import XCTest
import HARKit
@testable import HARShell
import TestSupport

/// Hostile input through the in-process interpreter: no crash, no hang, every failure a user-facing error,
/// the session unchanged by every failure.
///
/// `swift test --filter CommandFuzzTests` runs 3,000 inputs; `HARLAB_STRESS=1 swift test --filter CommandFuzzTests`
/// runs 100,000. `HARLAB_SEED=N` runs another sequence; `HARLAB_VERBOSE=1` names each input on stderr.
final class CommandFuzzTests: ThreadRestoringTestCase {
    /// The most seconds one input may take (a debug build on a busy 2-core machine included).
    private let secondsPerInput = 20.0

    private var savedLimits = (model: 0, dataset: 0)
    private var savedDirectory = ""
    private var workFolder = temporaryFolder()

    override func setUp() {
        // Generated `set threads N` lines change the whole process's thread count at once: ThreadRestoringTestCase puts
        // it back.
        super.setUp()
        // Small limits keep every accepted model and dataset cheap; larger requests must be rejected up front.
        savedLimits = (ResourceLimits.modelBytes, ResourceLimits.datasetValues)
        ResourceLimits.modelBytes = 4 << 20
        ResourceLimits.datasetValues = 4 << 20
        // Files that generated commands write (save, export, record, plot) land in a scratch folder.
        savedDirectory = FileManager.default.currentDirectoryPath
        workFolder = temporaryFolder()
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(workFolder.path), "cd \(workFolder.path)")
    }

    override func tearDown() {
        (ResourceLimits.modelBytes, ResourceLimits.datasetValues) = savedLimits
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(savedDirectory), "cd \(savedDirectory)")
        try? FileManager.default.removeItem(at: workFolder)
        super.tearDown()
    }

    /// A shell with a tiny dataset and model, where training stops after its first batch.
    private func preparedShell() -> (Interpreter, OutputBuffer, Session) {
        let (shell, out) = makeInterpreter()
        shell.timingRepetitions = 1
        shell.shouldStop = { true }
        shell.execute("load synthetic window=32 overlap=0; model sa width=2 depth=1; set batch 256")
        return (shell, out, shell.session)
    }

    func testGeneratedAndMutatedInputsFailCleanlyAndLeaveTheSessionAsItWas() throws {
        let total = StressMode.count(quick: 3_000, full: 100_000)
        let seed = StressMode.seed(20_261_129)
        var generator = FuzzInputGenerator(seed: seed)
        let (shell, out, prepared) = preparedShell()
        XCTAssertNotNil(shell.session.model, out.errors.map(\.error.message).joined(separator: "; "))
        var tried: [FuzzInputGenerator.Kind: Int] = [:]
        var outcomes: [Interpreter.Outcome: Int] = [:]
        var skipped = 0, problems: [String] = []
        secondsByKind = [:]
        slowest = (0, "")
        let started = Date(), verbose = ProcessInfo.processInfo.environment["HARLAB_VERBOSE"] != nil
        for index in 0..<total {
            let (kind, line) = generator.next()
            if reachesTheNetwork(line) { skipped += 1; continue }
            if index % 100 == 0 || shell.session.model == nil || shell.session.dataset?.windowLength != 32 { shell.session = prepared }
            tried[kind, default: 0] += 1
            // HARLAB_VERBOSE=1 names each input before it runs, to find one that crashes the process.
            if verbose { FileHandle.standardError.write(Data("input \(index): \(line.prefix(300))\n".utf8)) }
            let clock = Date()
            let commands: [ParsedCommand]
            do {
                commands = try Parser.parse(line)
            } catch {
                // A line that does not parse runs nothing: the interpreter must say so and change nothing.
                let before = Snapshot(shell.session), errorCount = out.errors.count
                let outcome = shell.execute(line)
                outcomes[outcome, default: 0] += 1
                check(outcome, line: line, index: index, before: before, errors: out.errors.dropFirst(errorCount).map(\.error), shell: shell, into: &problems)
                record(Date().timeIntervalSince(clock), kind: kind, line: line, index: index)
                continue
            }
            // Each command of a `;` line is its own transaction: check every one.
            for command in commands {
                let before = Snapshot(shell.session), errorCount = out.errors.count
                let outcome = shell.execute(command, source: line, origin: nil)
                outcomes[outcome, default: 0] += 1
                check(outcome, line: line, index: index, before: before, errors: out.errors.dropFirst(errorCount).map(\.error),
                      shell: shell, transactional: CommandTable.command(named: command.name)?.isTransaction ?? true, into: &problems)
                if outcome != .success { break }
            }
            record(Date().timeIntervalSince(clock), kind: kind, line: line, index: index)
            if out.lines.count > 10_000 { out.clear() }
            if problems.count >= 20 { break }
        }
        let elapsed = Date().timeIntervalSince(started)
        let summary = "fuzz seed \(seed): \(tried.values.reduce(0, +)) inputs run ("
            + FuzzInputGenerator.Kind.allCases.map { String(format: "%@ %d in %.1f s", $0.rawValue, tried[$0, default: 0], secondsByKind[$0, default: 0]) }.joined(separator: ", ")
            + "), \(skipped) skipped (download of a real dataset), command outcomes: success \(outcomes[.success, default: 0]), "
            + "failure \(outcomes[.failure, default: 0]), quit \(outcomes[.quit, default: 0]); "
            + String(format: "%.1f s in all, slowest input %.2f s: ", elapsed, slowest.seconds) + slowest.line.prefix(120)
        print(summary)
        XCTAssertTrue(slowInputs.isEmpty, slowInputs.joined(separator: "\n"))
        XCTAssertTrue(problems.isEmpty, problems.joined(separator: "\n"))
    }

    private var secondsByKind: [FuzzInputGenerator.Kind: Double] = [:]
    private var slowest = (seconds: 0.0, line: "")
    private var slowInputs: [String] = []

    private func record(_ seconds: Double, kind: FuzzInputGenerator.Kind, line: String, index: Int) {
        secondsByKind[kind, default: 0] += seconds
        if seconds > slowest.seconds { slowest = (seconds, line) }
        if seconds > secondsPerInput { slowInputs.append("input \(index) took \(seconds) s: \(line.prefix(200))") }
    }

    /// Adds to `problems` what a failed command did wrong: no error, an error that is not for people, a changed session.
    private func check(_ outcome: Interpreter.Outcome, line: String, index: Int, before: Snapshot, errors: [ShellError],
                       shell: Interpreter, transactional: Bool = true, into problems: inout [String]) {
        guard outcome == .failure else { return }
        if errors.isEmpty { problems.append("input \(index) failed without an error: \(line.prefix(200))") }
        for error in errors where !Self.isUserFacing(error.message) {
            problems.append("input \(index) gave '\(error.message.prefix(300))' for: \(line.prefix(200))")
        }
        let after = Snapshot(shell.session)
        if transactional, after != before {
            problems.append("input \(index) failed but changed the session: \(line.prefix(200))\n  before \(before)\n  after  \(after)")
        }
    }

    /// `download` of a known dataset fetches from the publisher; the fuzzer keeps it offline.
    private func reachesTheNetwork(_ line: String) -> Bool {
        guard let commands = try? Parser.parse(line) else { return false }
        return commands.contains { command in
            CommandTable.spec(named: command.name)?.name == "download"
                && command.arguments.contains { Vocabulary.datasets.contains($0.value.lowercased()) }
        }
    }

    /// `run` keeps what its script's earlier commands did (documented; its type says so); everything else is one transaction.
    private static func isNonTransactional(_ line: String) -> Bool {
        guard let commands = try? Parser.parse(line) else { return false }
        return commands.contains { !(CommandTable.command(named: $0.name)?.isTransaction ?? true) }
    }

    /// A message a person can act on: not empty, not a Swift debug dump of an error value.
    static func isUserFacing(_ message: String) -> Bool {
        let dumps = ["Optional(", "Error(", "error(message:", "Swift.", "HARKit.", "HARShell.", "Torch.", "NSCocoaErrorDomain",
                     "Error Domain=", "Fatal error", "c10::", "std::"]
        return !message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty && !dumps.contains { message.contains($0) }
    }
}

/// What a failed command must leave as it was, as one comparable value.
private struct Snapshot: Equatable, CustomStringConvertible {
    let session: String
    let dataset: String
    let model: ObjectIdentifier?
    let trainer: ObjectIdentifier?
    let augmentation: String
    let runs: Int
    let cachedDatasets: [String]

    init(_ session: Session) {
        let succeeded = session.history.filter(\.succeeded)
        self.session = "\(session.config)|\(session.recording?.path ?? "-")|\(succeeded.count) succeeded, last \(succeeded.last?.command.prefix(80) ?? "-")"
        dataset = session.dataset.map { "\($0.name) \($0.windowLength)×\($0.channelNames.count) \($0.count)" } ?? "-"
        model = session.model.map { ObjectIdentifier($0) }
        trainer = session.trainer.map { ObjectIdentifier($0) }
        augmentation = session.augmentation.map { "\($0)" } ?? "-"
        runs = session.runs.count
        cachedDatasets = session.datasets.keys.sorted()
    }

    var description: String { "\(session) data \(dataset) model \(model.map { "\($0)" } ?? "-") aug \(augmentation) runs \(runs)" }
}
