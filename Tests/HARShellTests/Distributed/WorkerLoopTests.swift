import Foundation
import HARKit
@testable import HARShell
import TestSupport
import XCTest

/// A real `har worker --join` process facing a session (this test, hosting the job's store) whose dispatch stopped
/// half-way: the job posted, the worker ready, but no decision whether to run it. The worker must neither run the
/// job nor wait for the decision forever. A few seconds each.
final class WorkerLoopTests: IsolatedTestCase {
    /// The session moved on (its dispatch failed after posting job 1, and stopping its workers posted job 2, `quit`):
    /// the worker leaves job 1 unrun, takes job 2 and ends with status 0 at once.
    func testAWorkerLeavesAnUndecidedJobWhenTheSessionPostsANewerOne() throws {
        let (session, worker, _) = try Self.sessionWithWorker(timeout: 20)
        try Self.post(WorkerJob(command: "eval"), number: 1, to: session)
        try Self.waitUntilReady(1, session)
        try Self.post(WorkerJob.ending, number: 2, to: session)
        try ProcessDeadline.wait(for: worker, seconds: 10, "a worker whose session moved on to `quit`")
        XCTAssertEqual(worker.terminationStatus, 0)
        XCTAssertEqual(try session.count("job/1/done/1/posted"), 0, "job 1 never ran")
        XCTAssertEqual(try session.count("job/2/done/1/posted"), 1, "the worker answered the quit")
    }

    /// The session says nothing more at all (and every worker is ready): the worker gives up after the job timeout
    /// (2 s here), ends with status 1 and says why, rather than spinning forever.
    func testAWorkerGivesUpOnAJobNeverDecidedWithinTheTimeout() throws {
        let (session, worker, errors) = try Self.sessionWithWorker(timeout: 2)
        try Self.post(WorkerJob(command: "eval"), number: 1, to: session)
        try Self.waitUntilReady(1, session)
        try ProcessDeadline.wait(for: worker, seconds: 20, "a worker whose job is never decided")
        XCTAssertEqual(worker.terminationStatus, 1)
        let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(said.contains("the session did not say within 2 s whether to run job 1 (eval)"), said)
        XCTAssertEqual(try session.count("job/1/done/1/posted"), 0, "job 1 never ran")
    }

    /// This test as a session hosting a 2-rank job on loopback, and a `har worker` joined to it.
    private static func sessionWithWorker(timeout: Int) throws -> (DataParallel, Process, Pipe) {
        let port = try LoopbackPort.free()
        let worker = Process()
        worker.executableURL = try HarBinary.required()
        worker.arguments = ["worker", "--join", "127.0.0.1:\(port)"]
        worker.environment = ProcessInfo.processInfo.environment.merging(["HOME": temporaryFolder().path,
                                                                          "HARLAB_DIST_TIMEOUT": "\(timeout)"]) { $1 }
        let errors = Pipe()
        worker.standardError = errors
        worker.standardOutput = FileHandle.nullDevice
        try worker.run()
        let session = try DataParallel.hostSession(address: "127.0.0.1", port: port, worldSize: 2, timeout: TimeInterval(timeout),
                                                   waiting: 60) {
            if !worker.isRunning { throw RankWaitFailure(description: "the worker ended before joining") }
        }
        return (session, worker, errors)
    }

    /// Posts `job` as the session's job `number`, as `WorkerPool` does.
    private static func post(_ job: WorkerJob, number: Int, to session: DataParallel) throws {
        try session.post("job/\(number)", try JSONEncoder().encode(job))
        try session.count("jobs", adding: 1)
    }

    /// Waits (up to 30 s) until the worker has said it is ready for job `number`.
    private static func waitUntilReady(_ number: Int, _ session: DataParallel) throws {
        let end = Date().addingTimeInterval(30)
        while try session.count("job/\(number)/ready/1/posted") == 0 {
            guard Date() < end else { throw RankWaitFailure(description: "the worker did not get ready for job \(number) within 30 s") }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }
}
