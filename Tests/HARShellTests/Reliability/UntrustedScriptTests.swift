import Foundation
import XCTest
@testable import HARShell
import TestSupport

/// A script from elsewhere does only what its commands say: the language has no shell escape, and file names
/// are taken literally (no substitution, no expansion beyond a leading `~`).
final class UntrustedScriptTests: IsolatedTestCase {
    func testShellEscapeLinesRunNothingAndOnlyTheNamedFilesAreWritten() throws {
        let folder = temporaryFolder(), home = temporaryFolder()
        let script = folder.appendingPathComponent("from-elsewhere.har")
        try """
        !touch pwned-bang
        !rm -rf \(folder.path)
        $(touch pwned-dollar)
        `touch pwned-backtick`
        set lr $(touch pwned-value)
        load synthetic window=32 overlap=0; model sa width=2 depth=1
        save model named.ckpt
        export csv "$(touch pwned-export).csv"
        history save "; touch pwned-semicolon"
        run "`touch pwned-run`"
        plot history to |touch pwned-pipe
        """.write(to: script, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = try HarBinary.required()
        process.arguments = ["--no-rc", "--quiet", "--keep-going", script.lastPathComponent]
        process.currentDirectoryURL = folder
        process.environment = ["HOME": home.path, "HAR_RUNS": home.appendingPathComponent("runs.sqlite").path]
        let stderr = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = stderr
        try process.run()
        let deadline = ProcessDeadline(killing: process, after: 300)
        let errors = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try deadline.check("har running an untrusted script")
        XCTAssertEqual(process.terminationStatus, 1, "the escape lines fail")
        for line in [1, 2, 3, 4, 5, 10] {
            XCTAssertTrue(errors.contains("from-elsewhere.har:\(line):"), "line \(line) is an error: \(errors)")
        }
        let written = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
        let named: Set = ["from-elsewhere.har", "named.ckpt", "$(touch pwned-export).csv", "; touch pwned-semicolon", "|touch pwned-pipe"]
        XCTAssertTrue(written.isSubset(of: named), "only files the commands name, taken literally: \(written)")
        XCTAssertTrue(written.contains("named.ckpt"), "\(written)")
        XCTAssertTrue(written.contains("$(touch pwned-export).csv"), "the name is literal: \(written)")
        let homeFiles = try FileManager.default.contentsOfDirectory(atPath: home.path).filter { $0.contains("pwned") }
        XCTAssertEqual(homeFiles, [])
        XCTAssertFalse(written.contains { $0.hasPrefix("pwned") }, "no escape ran: \(written)")
    }
}
