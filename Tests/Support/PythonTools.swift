import Foundation
import XCTest

/// The test-only Python tools (ONNX Runtime, the ONNX checker, TensorBoard's reader) that `scripts/test.sh`
/// installs into the project's own virtual environment, `.build/python-tools`, and a way to run a script with them.
public enum PythonTools {
    /// The environment's interpreter: `HARLAB_PYTHON_TOOLS/bin/python` when that variable names another environment.
    public static var python: String {
        if let folder = ProcessInfo.processInfo.environment["HARLAB_PYTHON_TOOLS"] { return folder + "/bin/python" }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.appendingPathComponent(".build/python-tools/bin/python").path
    }

    /// What the tools are missing for.
    public struct Missing: Error, CustomStringConvertible {
        public let description: String
    }

    /// Throws `XCTSkip` when `HARLAB_SKIP_PYTHON_TOOLS=1` asks so, `Missing` when the environment lacks `module`
    /// (a promised check must not skip quietly).
    public static func require(_ module: String, for check: String) throws {
        if ProcessInfo.processInfo.environment["HARLAB_SKIP_PYTHON_TOOLS"] == "1" {
            throw XCTSkip("HARLAB_SKIP_PYTHON_TOOLS=1: \(check) did not run")
        }
        guard FileManager.default.isExecutableFile(atPath: python), (try? run(["-c", "import \(module)"]))?.status == 0 else {
            throw Missing(description: "\(python) cannot import \(module): scripts/test.sh installs the test-only Python tools "
                          + "into .build/python-tools; HARLAB_SKIP_PYTHON_TOOLS=1 skips \(check)")
        }
    }

    /// Runs `interpreter` (default: the environment's) with `arguments`, bounded by `ProcessDeadline`; returns its
    /// status, standard output and standard error.
    public static func run(_ arguments: [String], interpreter: String = python,
                           timeout: TimeInterval = 300) throws -> (status: Int32, output: String, error: String) {
        let (status, output, error) = try runForData(arguments, interpreter: interpreter, timeout: timeout)
        return (status, String(decoding: output, as: UTF8.self), error)
    }

    /// `run`, with the standard output as bytes (for a JSON answer).
    public static func runForData(_ arguments: [String], interpreter: String = python,
                                  timeout: TimeInterval = 300) throws -> (status: Int32, output: Data, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: interpreter)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let deadline = ProcessDeadline(killing: process, after: timeout)
        var errorText = Data()
        let reader = DispatchWorkItem { errorText = errors.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(execute: reader)
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        reader.wait()
        process.waitUntilExit()
        try deadline.check("python \(arguments.first ?? "")")
        return (process.terminationStatus, outputData, String(decoding: errorText, as: UTF8.self))
    }
}
