import Foundation

/// One run of a Python benchmark script that prints a single JSON line (the PyTorch peer's pandas loader, the ONNX
/// Runtime latency script): its exit status, the line, and the line parsed as an object when it is one.
struct PythonJSONLine {
    /// The script's exit status.
    let status: Int32
    /// Its standard output, trimmed.
    let line: String
    /// `line` as a JSON object, or nil when the script failed or printed something else.
    let object: [String: Any]?

    /// Runs `python arguments…` and waits for it.
    init(python: String, arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        status = process.terminationStatus
        line = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        object = status == 0 ? (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] : nil
    }
}
