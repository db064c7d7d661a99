import XCTest
@testable import HARShell
import TestSupport

final class SuggestionTests: IsolatedTestCase {
    func testDistanceCountsEditsAndAdjacentSwaps() {
        XCTAssertEqual(Suggestion.distance("kitten", "sitting"), 3)
        XCTAssertEqual(Suggestion.distance("trian", "train"), 1)
        XCTAssertEqual(Suggestion.distance("", "abc"), 3)
        XCTAssertEqual(Suggestion.distance("same", "same"), 0)
    }

    func testNearestFindsTheClosestModelName() {
        XCTAssertEqual(Suggestion.nearest(to: "atn+lstm", among: Vocabulary.models), "attn+lstm")
        XCTAssertEqual(Suggestion.nearest(to: "LSTM", among: Vocabulary.models), "lstm")
    }

    func testNearestRefusesFarWords() {
        XCTAssertNil(Suggestion.nearest(to: "banana", among: Vocabulary.models))
    }

    func testAUniquePrefixIsSuggested() {
        XCTAssertEqual(Suggestion.nearest(to: "deepconv", among: Vocabulary.models), "deepconvlstm")
    }

    func testUnknownMessageMatchesTheContract() {
        XCTAssertEqual(Suggestion.unknown("model", "atn+lstm", among: Vocabulary.models),
                       "unknown model 'atn+lstm' — did you mean 'attn+lstm'?")
    }

    func testUnknownMessageListsFewChoicesWhenNothingIsNear() {
        XCTAssertEqual(Suggestion.unknown("split", "zzz", among: ["test", "val", "train"]),
                       "unknown split 'zzz' (one of: test, val, train)")
    }
}
