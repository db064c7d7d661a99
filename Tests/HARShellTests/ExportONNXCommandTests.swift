import Foundation
import XCTest
@testable import HARShell
import TestSupport

/// `export onnx FILE`: writes the current model with its dataset's description; without a model, into a missing
/// folder or with an unknown `zscore=` it says what is wrong, where, and writes nothing. (ONNX Runtime running the
/// file is `ONNXExportTests`' part.)
final class ExportONNXCommandTests: IsolatedTestCase {
    func testExportsTheCurrentModelAndReportsIt() throws {
        let (shell, out) = makeInterpreter()
        let folder = temporaryFolder()
        let file = folder.appendingPathComponent("cnn.onnx").path
        XCTAssertEqual(shell.execute("load synthetic window=32 overlap=0; model cnn width=4 depth=2; export onnx \(file)"), .success,
                       out.errors.map(\.error.message).joined())
        let result = try XCTUnwrap(out.results.last)
        XCTAssertEqual(result["format"], .string("onnx"))
        XCTAssertEqual(result["model"], .string("cnn depth=2 width=4"))
        XCTAssertEqual(result["opset"], .int(9))
        XCTAssertEqual(result["zscore"], .string("graph"))
        XCTAssertEqual(result["run_id"], .string(""), "an untrained model comes from no run")
        let bytes = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
        XCTAssertEqual(result["bytes"], .int(bytes))
        XCTAssertGreaterThan(bytes, 0)
        XCTAssertTrue(out.lines.last?.hasPrefix("exported cnn depth=2 width=4 to \(file) (ONNX opset 9") == true, out.lines.last ?? "")

        XCTAssertEqual(shell.execute("export onnx \(file) zscore=metadata"), .success)
        XCTAssertEqual(out.results.last?["zscore"], .string("metadata"))
    }

    func testBadExportsSayWhatIsWrongAndWriteNothing() {
        let folder = temporaryFolder()
        let (bare, bareOut) = makeInterpreter()
        XCTAssertEqual(bare.execute("export onnx \(folder.path)/m.onnx"), .failure)
        XCTAssertTrue(bareOut.errors.last?.error.message.hasPrefix("no model yet") == true, bareOut.errors.last?.error.message ?? "")

        let (shell, out) = makeInterpreter()
        XCTAssertEqual(shell.execute("load synthetic window=32 overlap=0; model cnn width=4 depth=2"), .success)
        let missing = "\(folder.path)/missing/m.onnx"
        XCTAssertEqual(shell.execute("export onnx \(missing)"), .failure)
        XCTAssertEqual(out.errors.last?.error.position, 12, "the error points at the file")
        XCTAssertTrue(out.errors.last?.error.message.contains(missing) == true, out.errors.last?.error.message ?? "")

        let line = "export onnx \(folder.path)/m.onnx zscore=later"
        XCTAssertEqual(shell.execute(line), .failure)
        XCTAssertEqual(out.errors.last?.error, ShellError("zscore=later is not a z-score placement (valid: graph, metadata)",
                                                          at: line.distance(from: line.startIndex, to: line.range(of: "zscore")!.lowerBound)))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [], "nothing is written")
    }
}
