import Foundation
import XCTest
import TestSupport

/// The shell stands on HARKit alone: no file under `Sources/HARShell` imports `Torch` or `CTorch`
/// (tensors, seeding and libtorch stay behind HARKit's API; file utilities come from `FileSupport`).
final class LayeringTests: IsolatedTestCase {
    /// `Sources/HARShell` of the package this test file belongs to.
    private var shellSources: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/HARShell")
    }

    func testNoShellSourceImportsTorchOrCTorch() throws {
        let files = try swiftFiles(under: shellSources)
        XCTAssertFalse(files.isEmpty, "no Swift files found under \(shellSources.path)")
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where LayeringTests.importsTorch(String(line)) {
                XCTFail("\(file.path):\(number + 1): '\(line.trimmingCharacters(in: .whitespaces))': HARShell may import HARKit, not Torch or CTorch")
            }
        }
    }

    func testImportCheckRecognisesEveryFormOfTheImport() {
        for line in ["import Torch", "import CTorch", "  @testable import Torch", "@_exported import CTorch",
                     "import struct Torch.Tensor", "import Torch.Core", "import Torch // tensors"] {
            XCTAssertTrue(LayeringTests.importsTorch(line), line)
        }
        for line in ["import HARKit", "import TorchVision", "import FileSupport", "// import Torch", "let x = 1 // import Torch"] {
            XCTAssertFalse(LayeringTests.importsTorch(line), line)
        }
    }

    /// Whether `line` is an import declaration of the `Torch` or `CTorch` module (or one of their declarations).
    static func importsTorch(_ line: String) -> Bool {
        let pattern = #"^\s*(@\w+\s+)*import\s+((typealias|struct|class|enum|protocol|let|var|func)\s+)?C?Torch(\.|\s|$)"#
        return line.range(of: pattern, options: .regularExpression) != nil
    }

    /// The `.swift` files anywhere under `folder`.
    private func swiftFiles(under folder: URL) throws -> [URL] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
    }
}
