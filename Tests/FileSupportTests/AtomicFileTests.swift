import Foundation
import FileSupport
import TestSupport
import XCTest

/// `AtomicFile.write` removes the temporaries of killed writers of the same target, and only those, and names a missing folder.
final class AtomicFileTests: XCTestCase {
    /// A target in a folder that does not exist says so, naming the folder, rather than the bare "No such file or
    /// directory" that reads as if the file were missing (issue 20).
    func testAMissingFolderIsNamedAsTheProblem() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("harlab-missing-\(UUID().uuidString)")
        XCTAssertThrowsError(try AtomicFile.write(Data("x".utf8), to: missing.appendingPathComponent("m.pt"))) { error in
            XCTAssertEqual("\(error)", "cannot write '\(missing.path)/m.pt': the folder '\(missing.path)' does not exist (create it first)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: missing.path), "nothing was created")
    }

    func testWriteRemovesTemporariesOfDeadWritersAndKeepsLiveOnes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("harlab-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let dead = try exitedProcessID()
        let sleeper = Process()
        sleeper.executableURL = URL(fileURLWithPath: "/bin/sleep")
        sleeper.arguments = ["30"]
        try sleeper.run()
        defer { sleeper.terminate(); try? ProcessDeadline.wait(for: sleeper, seconds: 60, "sleep") }
        let live = sleeper.processIdentifier

        let removed = [".model.ckpt.tmp-\(dead)-123", ".model.ckpt.tmp-\(dead)"]
        let kept = [".model.ckpt.tmp-\(live)-7", ".model.ckpt.tmp-\(getpid())-8",   // live writers, this process included
                    ".other.ckpt.tmp-\(dead)-1", "model.ckpt.tmp-\(dead)-1",         // another target; not our hidden name
                    ".model.ckpt.tmp-\(dead)-1-2", ".model.ckpt.tmp-x\(dead)", ".model.ckpt.tmp-"]
        for name in removed + kept { FileManager.default.createFile(atPath: folder.appendingPathComponent(name).path, contents: Data("partial".utf8)) }
        let deadFolder = folder.appendingPathComponent(".model.ckpt.tmp-\(dead)-9")
        try FileManager.default.createDirectory(at: deadFolder, withIntermediateDirectories: false)
        FileManager.default.createFile(atPath: deadFolder.appendingPathComponent("x.npy").path, contents: Data())

        try AtomicFile.write(Data("new".utf8), to: folder.appendingPathComponent("model.ckpt"))
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
        XCTAssertEqual(left, Set(kept + ["model.ckpt"]))
    }

    func testFailedWriteLeavesOtherTemporariesAlone() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("harlab-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let stale = ".target.tmp-\(try exitedProcessID())-1"
        FileManager.default.createFile(atPath: folder.appendingPathComponent(stale).path, contents: nil)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("target"), withIntermediateDirectories: false)
        XCTAssertThrowsError(try AtomicFile.write(Data("x".utf8), to: folder.appendingPathComponent("target")), "a folder is in the way")
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: folder.path)), [stale, "target"],
                       "only a successful write cleans up")
    }

    /// The pid of a child that has exited and been reaped (not reused this soon).
    private func exitedProcessID() throws -> Int32 {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        try ProcessDeadline.wait(for: child, seconds: 60, "/bin/true")
        return child.processIdentifier
    }
}
