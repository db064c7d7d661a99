import Foundation
import XCTest
@testable import HARShell

/// The example scripts in `examples/` are valid command language: every line parses, every command word
/// exists, and each script names itself. `ExampleRunTests` runs them end to end.
final class ExampleTests: XCTestCase {
    private var examples: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("examples")
    }

    func testEveryExampleParsesAndUsesKnownCommands() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: examples.path).filter { $0.hasSuffix(".har") }.sorted()
        XCTAssertEqual(files, ["compare-datasets.har", "hybrid-models.har", "quickstart.har", "teaching-demo.har", "tune.har"])
        for file in files {
            let text = try String(contentsOf: examples.appendingPathComponent(file), encoding: .utf8)
            XCTAssertTrue(text.hasPrefix("# \(file)"), "\(file) starts by naming itself")
            for line in ScriptReader.lines(of: text) {
                let commands = try Parser.parse(line.text)
                for command in commands {
                    XCTAssertNotNil(CommandTable.spec(named: command.name), "\(file):\(line.number): \(command.name)")
                }
            }
        }
    }
}

/// Runs the example scripts end to end through the interpreter when `HAR_RUN_EXAMPLES=1` (minutes in a debug
/// build), with every epoch count scaled by `HAR_EPOCHS_SCALE` (default 0.2). Scripts that need data which is
/// absent, or commands not yet in this build, are named in the failure.
final class ExampleRunTests: XCTestCase {
    private func run(_ file: String) throws {
        let environment = ProcessInfo.processInfo.environment
        guard environment["HAR_RUN_EXAMPLES"] == "1" else {
            throw XCTSkip("set HAR_RUN_EXAMPLES=1 to run examples/\(file) end to end")
        }
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("examples/\(file)")
        let (shell, out) = makeInterpreter()
        shell.epochScale = environment["HAR_EPOCHS_SCALE"].flatMap(Double.init) ?? 0.2
        shell.timingRepetitions = 5
        let outcome = shell.executeScript(try String(contentsOf: url, encoding: .utf8), name: file)
        XCTAssertEqual(outcome, .success, out.errors.map { "\($0.origin ?? ""): \($0.error.message)" }.joined(separator: "\n"))
    }

    func testQuickstart() throws { try run("quickstart.har") }
    func testTeachingDemo() throws { try run("teaching-demo.har") }
    func testHybridModels() throws { try run("hybrid-models.har") }
    func testTune() throws { try run("tune.har") }
}
