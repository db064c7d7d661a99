import Foundation
import XCTest
import HARKit
@testable import HARShell
import TestSupport

/// `set tensorboard DIR` in the shell: the folder is resolved and made at once, `train`, `tune` and `cv` each log
/// every run in a folder of its own named by its run id, and `set tensorboard off` stops it. (What the files hold is
/// read back with TensorBoard's reader in HARKitTests.TensorBoardLogTests.)
final class TensorBoardCommandTests: IsolatedTestCase {
    func testSetTensorBoardResolvesAndMakesTheFolderAndOffStopsIt() throws {
        let (shell, out) = makeInterpreter()
        let home = temporaryFolder()
        shell.homeDirectory = home.path
        XCTAssertEqual(shell.execute("set tensorboard ~/logs/harlab"), .success, out.errors.map(\.error.message).joined())
        let folder = home.appendingPathComponent("logs/harlab").path
        XCTAssertEqual(shell.session.config.tensorBoardDirectory, folder)
        var isFolder: ObjCBool = false
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) && isFolder.boolValue, "made at once")
        XCTAssertEqual(out.results.last?["value"], .string(folder))
        XCTAssertEqual(out.results.last?["previous"], .string("off"))
        XCTAssertEqual(shell.execute("show tensorboard"), .success)
        XCTAssertEqual(out.results.last?["settings"]?.arrayValue?.first?["value"], .string(folder))
        XCTAssertTrue(out.results.last?["settings"]?.arrayValue?.first?["meaning"]?.stringValue?.contains("TensorBoard") == true)
        XCTAssertEqual(shell.execute("set tensorboard off"), .success)
        XCTAssertNil(shell.session.config.tensorBoardDirectory)
        XCTAssertEqual(shell.execute("set tensorboard \(folder); set tensorboard default"), .success)
        XCTAssertNil(shell.session.config.tensorBoardDirectory, "the default is off")
    }

    /// A folder that cannot be made fails `set` at the word, naming the path, and leaves the setting as it was.
    func testAFolderThatCannotBeMadeIsRefusedAtTheWord() throws {
        let (shell, out) = makeInterpreter()
        let blocker = temporaryFolder().appendingPathComponent("a-file")
        try Data("not a folder".utf8).write(to: blocker)
        let line = "set tensorboard \(blocker.path)/logs"
        XCTAssertEqual(shell.execute(line), .failure)
        let error = try XCTUnwrap(out.errors.last?.error)
        XCTAssertEqual(error.message, "cannot create the TensorBoard log folder '\(blocker.path)/logs': '\(blocker.path)' is a file, not a folder")
        XCTAssertEqual(error.position, "set tensorboard ".count)
        XCTAssertNil(shell.session.config.tensorBoardDirectory)
    }

    /// Every run of `train` (continued by a second `train`), `tune` and `cv` gets the folder of its run id; after
    /// `set tensorboard off` a run logs nothing; `load model` keeps the session's setting, not the checkpoint's.
    /// (Trains tiny models for a few seconds.)
    func testTrainTuneAndCVEachLogEveryRunInItsOwnFolder() throws {
        let (shell, out) = makeInterpreter()
        shell.runStore = try RunStore(url: temporaryFolder().appendingPathComponent("runs.sqlite"))
        let logs = temporaryFolder().appendingPathComponent("tb")
        let checkpoint = temporaryFolder().appendingPathComponent("m.ckpt")
        XCTAssertEqual(shell.execute("load synthetic window=32 overlap=0; model sa width=2 depth=1; set batch 256; set tensorboard \(logs.path)"),
                       .success, out.errors.map(\.error.message).joined())
        XCTAssertEqual(shell.execute("train 1; train 1; save model \(checkpoint.path)"), .success, out.errors.map(\.error.message).joined())
        XCTAssertEqual(shell.execute("tune lr=1e-3..1e-2:log trials=2 epochs=1"), .success, out.errors.map(\.error.message).joined())
        XCTAssertEqual(shell.execute("cv folds=2 epochs=1"), .success, out.errors.map(\.error.message).joined())
        XCTAssertEqual(out.warnings, [])
        let model = "synthetic-sa_depth=1_width=2"
        let folders = try FileManager.default.contentsOfDirectory(atPath: logs.path).sorted()
        XCTAssertEqual(folders, (1...5).map { "run-\($0)-\(model)" }, "run 1 trained, runs 2 and 3 the trials, 4 and 5 the folds")
        let files = { (run: Int) in try FileManager.default.contentsOfDirectory(atPath: logs.appendingPathComponent("run-\(run)-\(model)").path) }
        XCTAssertEqual(try files(1).count, 2, "one events file per train call")
        XCTAssertEqual(try (2...5).map { try files($0).count }, [1, 1, 1, 1])

        XCTAssertEqual(shell.execute("set tensorboard off; model sa width=2 depth=1; train 1"), .success, out.errors.map(\.error.message).joined())
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: logs.path).count, 5, "run 6 is not logged")
        XCTAssertEqual(shell.execute("load model \(checkpoint.path)"), .success, out.errors.map(\.error.message).joined())
        XCTAssertNil(shell.session.config.tensorBoardDirectory, "the checkpoint's config does not turn the log back on")
    }
}
