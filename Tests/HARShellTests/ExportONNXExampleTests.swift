import Foundation
import XCTest
import TestSupport

/// `examples/export-onnx.sh` end to end: the built `har` trains and exports, then ONNX Runtime (the test-only Python
/// tools) loads the file and prints its metadata and predictions. About a minute in a debug build (three epochs of `sa`);
/// `HAR_SKIP_EXAMPLES=1` skips it with the other example runs.
final class ExportONNXExampleTests: IsolatedTestCase {
    func testTheExampleTrainsExportsAndShowsTheMetadata() throws {
        if ProcessInfo.processInfo.environment["HAR_SKIP_EXAMPLES"] == "1" {
            throw XCTSkip("HAR_SKIP_EXAMPLES=1: examples/export-onnx.sh not run end to end")
        }
        try PythonTools.require("onnxruntime", for: "examples/export-onnx.sh")
        let har = try HarBinary.required()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let home = temporaryFolder()
        let file = home.appendingPathComponent("sa.onnx")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [root.appendingPathComponent("examples/export-onnx.sh").path, file.path]
        var environment = ProcessInfo.processInfo.environment
        environment["HAR"] = har.path
        environment["PYTHON"] = PythonTools.python
        environment["HOME"] = home.path
        environment["HAR_RUNS"] = home.appendingPathComponent("runs.sqlite").path
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let deadline = ProcessDeadline(killing: process, after: 300)
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try deadline.check("examples/export-onnx.sh")
        XCTAssertEqual(process.terminationStatus, 0, text)
        XCTAssertTrue(FileManager.default.fileExists(atPath: file.path))
        for line in ["\(file.path): input windows ['batch', 1, 128, 6], output logits ['batch', 6]",
                     #"  class_names: ["walking","jogging","upstairs","downstairs","sitting","standing"]"#,
                     "  window_length: 128", "  sample_rate: 50.0", "  zscore: in graph", "  model: sa depth=2 width=16", "  run_id: 1"] {
            XCTAssertTrue(text.contains(line + "\n"), "missing '\(line)' in:\n\(text)")
        }
        XCTAssertTrue(text.contains("predictions for 4 windows: ["), text)
    }
}
