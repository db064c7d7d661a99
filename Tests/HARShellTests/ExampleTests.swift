import XCTest
@testable import HARShell

/// The example scripts in `examples/` are valid command language: every line parses, every command word
/// exists, and each script has narration. (Running them end to end comes with the training commands.)
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
