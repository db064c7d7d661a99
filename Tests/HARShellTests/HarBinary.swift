import Foundation
import TestSupport
import XCTest

/// The built `har` executable: next to the test bundle (SwiftPM builds it before `swift test`),
/// or in this package's `.build/debug`.
enum HarBinary {
    static var url: URL? {
        let candidates = [
            Bundle(for: BundleMarker.self).bundleURL.deletingLastPathComponent().appendingPathComponent("har"),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/debug/har"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// The binary, or a skip saying how to build it.
    static func required() throws -> URL {
        guard let url else { throw XCTSkip("the har executable is not built: run `swift build --product har` before the tests") }
        return url
    }

    /// The outcome of one run of `har`.
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `har` with `arguments`, feeding `input` on standard input, in a fresh HOME with its own run store; when
    /// `home` is given, that folder is HOME and also the working directory (where relative output files land). The
    /// variables in `removing` are left out of the environment passed on.
    static func run(_ arguments: [String], input: String = "", environment extra: [String: String] = [:],
                    removing: [String] = [], home given: URL? = nil) throws -> Run {
        let process = Process()
        process.executableURL = try required()
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        let home = given ?? temporaryFolder()
        if given != nil { process.currentDirectoryURL = home }
        environment["HOME"] = home.path
        environment["HAR_RUNS"] = home.appendingPathComponent("runs.sqlite").path
        environment.removeValue(forKey: "NO_COLOR")
        for (key, value) in extra { environment[key] = value }
        for key in removing { environment.removeValue(forKey: key) }
        process.environment = environment
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Killed after 5 minutes (its pipes then end), so that a hang fails the test instead of CI.
        let deadline = ProcessDeadline(killing: process, after: 300)
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try deadline.check("har \(arguments.joined(separator: " "))")
        return Run(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                   stderr: String(decoding: err, as: UTF8.self))
    }
}

private final class BundleMarker {}
