import Foundation
import XCTest
@testable import Torch
import TestSupport

/// State dicts move between Swift and Python's torch.save / torch.load in both directions.
final class StateDictInteropTests: IsolatedTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("harlab-state-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    /// The model whose `state_dict()` the fixture script saved: Linear(3,4), BatchNorm1d(4), ReLU, Linear(4,2).
    private func pythonShapedModel() throws -> Sequential {
        Sequential([try Linear(3, 4), try BatchNorm1d(4), ActivationLayer(.relu), try Linear(4, 2)])
    }

    private struct Described: Decodable {
        let name: String
        let shape: [Int]
        let dtype: String
        let values: [Double]
    }

    func testPythonModelStateDictLoadsWithItsNamesShapesAndValues() throws {
        let state = try Fixtures.load("python_state_dict.pt")
        let expected = try JSONDecoder().decode([Described].self, from: Data(contentsOf: Fixtures.url("python_state_dict.json")))
        XCTAssertEqual(state.names, expected.map(\.name))
        for item in expected {
            let tensor = try state.required(item.name)
            XCTAssertEqual(tensor.shape, item.shape, item.name)
            XCTAssertEqual(tensor.dtype.description, item.dtype, item.name)
            let values = try tensor.scalars(as: Double.self)
            for (a, e) in zip(values, item.values) { XCTAssertEqual(a, e, accuracy: 1e-7, item.name) }
        }
        let model = try pythonShapedModel()
        try model.loadState(state)
        try assertClose(try XCTUnwrap(model.stateDict()["1.running_mean"]), try state.required("1.running_mean"), tolerance: 0)
    }

    func testOneEntryDictFromPythonLoads() throws {
        let state = try Fixtures.load("single_entry.pt")
        XCTAssertEqual(state.names, ["only"])
        XCTAssertEqual(try state.required("only").scalars(as: Float.self), [0, 1, 2, 3, 4])
    }

    func testNestedPythonCheckpointReadsAsDottedNames() throws {
        let state = try Fixtures.load("nested_checkpoint.pt")
        XCTAssertEqual(state.names.last, "scale")
        XCTAssertEqual(try state.required("scale").item(), 2)
        let model = try pythonShapedModel()
        try model.loadState(state.withPrefix("model."))
        try assertClose(model.parameters[0], try Fixtures.load("python_state_dict.pt").required("0.weight"), tolerance: 0)
    }

    func testCheckpointWithANonTensorEntryIsRejectedNamingIt() {
        XCTAssertThrowsError(try Fixtures.load("checkpoint_with_epoch.pt")) { error in
            XCTAssertTrue("\(error)".contains("entry 'epoch' is not a tensor"), "\(error)")
        }
    }

    /// The fixture script runs this with HARLAB_SWIFT_STATE_OUT set and opens the file with Python's torch.load;
    /// on its own it checks that Swift reads back what it wrote.
    func testSwiftWrittenStateHoldsReferenceValues() throws {
        let path = ProcessInfo.processInfo.environment["HARLAB_SWIFT_STATE_OUT"] ?? folder.appendingPathComponent("swift.pt").path
        let grid = try Tensor.arange(0, 12).reshaped(to: [3, 4])
        var state = StateDict()
        state.set("weight", try Tensor.arange(0, 6).reshaped(to: [2, 3]) / 4)
        state.set("counts", try Tensor([1, 2, 3] as [Int64]))
        state.set("half", try Tensor([0.5, -1.25] as [Float]).converted(to: .bfloat16))
        state.set("column", try grid.selecting(axis: 1, index: 1))  // a strided view of a larger storage
        try state.write(to: URL(fileURLWithPath: path))
        let back = try StateDict(contentsOf: URL(fileURLWithPath: path))
        XCTAssertEqual(back.names, ["weight", "counts", "half", "column"])
        XCTAssertEqual(try back.required("weight").scalars(as: Float.self), [0, 0.25, 0.5, 0.75, 1, 1.25])
        XCTAssertEqual(try back.required("counts").dtype, .int64)
        XCTAssertEqual(try back.required("counts").scalars(as: Int64.self), [1, 2, 3])
        XCTAssertEqual(try back.required("half").dtype, .bfloat16)
        XCTAssertEqual(try back.required("half").scalars(as: Float.self), [0.5, -1.25])
        XCTAssertEqual(try back.required("column").scalars(as: Float.self), [1, 5, 9])
    }

    func testModelRoundTripRestoresEveryParameterAndBuffer() throws {
        Runtime.manualSeed(1)
        let original = try pythonShapedModel()
        _ = try original(try Tensor.randn([5, 3]))  // running statistics move
        let url = folder.appendingPathComponent("model.pt")
        try original.stateDict().write(to: url)
        Runtime.manualSeed(2)
        let copy = try pythonShapedModel()
        XCTAssertNotEqual(try copy.parameters[0].scalars(as: Float.self), try original.parameters[0].scalars(as: Float.self))
        try copy.loadState(try StateDict(contentsOf: url))
        for ((name, a), (_, b)) in zip(original.stateDict().entries, copy.stateDict().entries) {
            try assertClose(b, a, tolerance: 0, name)
        }
    }

    func testLoadStateRejectsMismatchesAndChangesNothing() throws {
        let model = try pythonShapedModel()
        let before = try model.parameters[0].scalars(as: Float.self)
        var state = model.stateDict()
        state.set("0.weight", try Tensor.zeros([4, 3]))
        state.set("extra.weight", try Tensor.zeros([1]))
        XCTAssertThrowsError(try model.loadState(state)) { XCTAssertTrue("\($0)".contains("unexpected extra.weight"), "\($0)") }
        var wrongShape = model.stateDict()
        wrongShape.set("0.weight", try Tensor.zeros([3, 4]))
        wrongShape.set("0.bias", try Tensor.zeros([4]))
        XCTAssertThrowsError(try model.loadState(wrongShape)) { XCTAssertTrue("\($0)".contains("'0.weight' has shape [3, 4]"), "\($0)") }
        XCTAssertEqual(try model.parameters[0].scalars(as: Float.self), before)
    }

    func testLoadRejectsMissingAndTruncatedFilesNamingThem() throws {
        let missing = folder.appendingPathComponent("absent.pt")
        XCTAssertThrowsError(try StateDict(contentsOf: missing)) { XCTAssertTrue("\($0)".contains(missing.path), "\($0)") }
        let bytes = try Data(contentsOf: Fixtures.url("python_state_dict.pt"))
        let truncated = folder.appendingPathComponent("truncated.pt")
        try bytes.prefix(bytes.count / 2).write(to: truncated)
        XCTAssertThrowsError(try StateDict(contentsOf: truncated)) { XCTAssertTrue("\($0)".contains("truncated.pt"), "\($0)") }
        let text = folder.appendingPathComponent("notes.pt")
        try Data("not a checkpoint".utf8).write(to: text)
        XCTAssertThrowsError(try StateDict(contentsOf: text)) { XCTAssertTrue("\($0)".contains("not a zip-format"), "\($0)") }
    }

    func testFailedWriteLeavesTheExistingFileAsItWas() throws {
        let url = folder.appendingPathComponent("model.pt")
        try StateDict([("a", try Tensor([1] as [Float]))]).write(to: url)
        let before = try Data(contentsOf: url)
        let duplicated = StateDict([("a", try Tensor([2] as [Float])), ("a", try Tensor([3] as [Float]))])
        XCTAssertThrowsError(try duplicated.write(to: url)) { XCTAssertTrue("\($0)".contains("duplicate name 'a'"), "\($0)") }
        XCTAssertEqual(try Data(contentsOf: url), before)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["model.pt"], "no temporary file is left")
        XCTAssertThrowsError(try StateDict([("a", try Tensor([1] as [Float]))]).write(to: folder.appendingPathComponent("no/such/x.pt"))) {
            XCTAssertTrue("\($0)".contains("no/such/x.pt"), "\($0)")
        }
    }
}
