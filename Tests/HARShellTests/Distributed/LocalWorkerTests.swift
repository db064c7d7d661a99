import Foundation
@testable import HARShell
import TestSupport
import XCTest

/// How a worker started here reports its end: with what it said on standard error, even when the last bytes reach
/// the pipe only after the process has ended (a real child process, a shell script standing in for `har worker`).
/// About a second.
final class LocalWorkerTests: IsolatedTestCase {
    /// The script exits with status 1 at once, while a child it left behind writes the cause to the shared standard
    /// error 0.2 s later and then closes it: `ending`, read as soon as the script has ended, waits for the end of
    /// the stream (up to 1 s) and includes the cause.
    func testTheEndingOfAWorkerIncludesWhatReachedItsStandardErrorLast() throws {
        let folder = temporaryFolder()
        let program = folder.appendingPathComponent("dying-worker.sh")
        try "#!/bin/sh\necho starting >&2\n(sleep 0.2; echo 'cannot load the dataset' >&2) &\nexit 1\n"
            .write(to: program, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: program.path)
        let worker = try LocalWorker(executable: program, joining: "127.0.0.1:1", dataDirectory: folder, environment: [:])
        let end = Date().addingTimeInterval(10)
        while worker.isRunning, Date() < end { Thread.sleep(forTimeInterval: 0.005) }
        XCTAssertFalse(worker.isRunning)
        XCTAssertEqual(worker.ending, "exited with status 1: starting\ncannot load the dataset")
        worker.stop(within: 0)
    }
}
