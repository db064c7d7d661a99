import XCTest
import Torch
@testable import HARKit
import TestSupport

final class PeerModelsTests: IsolatedTestCase {
    /// Counts printed by `~/peer/bin/python scripts/peer_models.py --parameters --models attn+lstm,sa+transformer
    /// --datasets uci,oppo,dsads` (PyTorch 2.15): the PyTorch peers har-bench compares the hybrids with are the same size.
    func testHybridParameterCountsEqualThePeerScriptsPyTorchModels() throws {
        let reference = [
            "attn+lstm": ["uci": 368_782, "oppo": 3_778_073, "dsads": 1_550_107],
            "sa+transformer": ["uci": 112_974, "oppo": 538_137, "dsads": 261_275],
        ]
        for (spec, counts) in reference {
            for (shape, count) in counts {
                let model = try ModelFactory.make(try ModelSpec(spec), input: try XCTUnwrap(BenchmarkShape.named(shape)).input)
                XCTAssertEqual(model.parameterCount, count, "\(spec) on \(shape)")
            }
        }
    }
}
