import XCTest
@testable import HARShell
import TestSupport

final class ParserTests: IsolatedTestCase {
    func testWordsNumbersAndOptionsKeepTheirPositions() throws {
        let commands = try Parser.parse("load wisdm window=128 overlap=0.5")
        XCTAssertEqual(commands.count, 1)
        let command = commands[0]
        XCTAssertEqual(command.name, "load")
        XCTAssertEqual(command.offset, 0)
        XCTAssertEqual(command.arguments, [
            Argument(value: "wisdm", offset: 5),
            Argument(key: "window", value: "128", offset: 11),
            Argument(key: "overlap", value: "0.5", offset: 22),
        ])
    }

    func testSemicolonsSeparateCommandsAndOffsetsCountFromTheLineStart() throws {
        let commands = try Parser.parse("set lr 1e-3;  train 3 ; eval")
        XCTAssertEqual(commands.map(\.name), ["set", "train", "eval"])
        XCTAssertEqual(commands.map(\.offset), [0, 14, 24])
        XCTAssertEqual(commands[0].arguments.map(\.value), ["lr", "1e-3"])
        XCTAssertEqual(commands[1].arguments.first?.offset, 20)
    }

    func testQuotedStringsKeepSpacesAndAreMarkedQuoted() throws {
        let command = try XCTUnwrap(Parser.parse(#"load uci-har from "UCI HAR Dataset" split='subjects:7,8'"#).first)
        XCTAssertEqual(command.arguments[2], Argument(value: "UCI HAR Dataset", quoted: true, offset: 18))
        XCTAssertEqual(command.arguments[3].key, "split")
        XCTAssertEqual(command.arguments[3].value, "subjects:7,8")
    }

    func testEscapedQuoteInsideDoubleQuotes() throws {
        let command = try XCTUnwrap(Parser.parse(#"record "a \"b\".har""#).first)
        XCTAssertEqual(command.arguments.first?.value, #"a "b".har"#)
    }

    func testCommentRunsToTheEndOfTheLine() throws {
        let commands = try Parser.parse("train 3 # three epochs; eval\neval")
        XCTAssertEqual(commands.map(\.name), ["train", "eval"])
        XCTAssertEqual(commands[0].arguments.map(\.value), ["3"])
    }

    func testHashInsideAWordIsNotAComment() throws {
        let command = try XCTUnwrap(Parser.parse("record run#2.har").first)
        XCTAssertEqual(command.arguments.first?.value, "run#2.har")
    }

    /// `#5` after a command word is a run reference (the shell writes runs as `#5`), not a comment that drops the
    /// rest of the line; at the start of a line, after `;`, or before a non-digit, `#` still starts a comment.
    func testHashAndADigitAfterACommandWordIsARunReference() throws {
        let compare = try XCTUnwrap(Parser.parse("compare #5 #7 # the two best").first)
        XCTAssertEqual(compare.arguments.map(\.value), ["#5", "#7"])
        XCTAssertEqual(try Parser.parse("#5 is my favourite run").count, 0)
        XCTAssertEqual(try Parser.parse("runs; #5 notes").count, 1)
        XCTAssertEqual(try XCTUnwrap(Parser.parse("train 5 # 10 next time").first).arguments.map(\.value), ["5"])
    }

    func testBackslashNewlineContinuesTheCommand() throws {
        let commands = try Parser.parse("tune lr=1e-4..1e-2:log, \\\n  batch=64|128")
        XCTAssertEqual(commands.count, 1)
        XCTAssertEqual(commands[0].arguments.map(\.key), ["lr", "batch"])
        XCTAssertEqual(commands[0].arguments.map(\.value), ["1e-4..1e-2:log", "64|128"])
    }

    func testTrailingCommaSeparatesListItemsButInnerCommasStay() throws {
        let command = try XCTUnwrap(Parser.parse("augment jitter, rotate=15, crop split=subjects:7,8").first)
        XCTAssertEqual(command.arguments.map(\.value), ["jitter", "15", "crop", "subjects:7,8"])
    }

    func testQuestionMarkIsHelp() throws {
        let command = try XCTUnwrap(Parser.parse("?train").first)
        XCTAssertEqual(command.name, "help")
        XCTAssertEqual(command.arguments, [Argument(value: "train", offset: 1)])
    }

    func testBlankAndCommentOnlyLinesHaveNoCommands() throws {
        XCTAssertEqual(try Parser.parse("   ").count, 0)
        XCTAssertEqual(try Parser.parse("# nothing here").count, 0)
        XCTAssertEqual(try Parser.parse(";;").count, 0)
    }

    func testUnterminatedStringPointsAtItsQuote() {
        XCTAssertThrowsError(try Parser.parse(#"load npy from "my data"#)) { error in
            XCTAssertEqual((error as? ShellError)?.position, 14)
            XCTAssertTrue((error as? ShellError)?.message.contains("unterminated") == true)
        }
    }

    func testCommandCannotStartWithAnOption() {
        XCTAssertThrowsError(try Parser.parse("train 3; lr=1e-3")) { error in
            XCTAssertEqual((error as? ShellError)?.position, 9)
        }
    }

    func testWrittenFormRoundTrips() throws {
        let source = #"load npy from "my data/x" window=128 split=subjects:7,8"#
        let command = try XCTUnwrap(Parser.parse(source).first)
        XCTAssertEqual(command.written, #"load npy from "my data/x" window=128 split=subjects:7,8"#)
        XCTAssertEqual(try Parser.parse(command.written).first, command)
    }

    /// Found by scripts/fuzz-parser.sh: `label "a=b"` was written back (history, `record`) as `label a=b`, an option.
    func testWrittenFormQuotesAPositionalValueWithAnEqualsSign() throws {
        let command = try XCTUnwrap(Parser.parse(#"set label "a=b" "==" x="c=d""#).first)
        XCTAssertEqual(command.written, #"set label "a=b" "==" x="c=d""#)
        let again = try XCTUnwrap(Parser.parse(command.written).first)
        XCTAssertEqual(again.arguments.map(\.key), [nil, nil, nil, "x"])
        XCTAssertEqual(again.arguments.map(\.value), ["label", "a=b", "==", "c=d"])
    }

    func testOffsetsCountCharactersNotBytes() throws {
        let command = try XCTUnwrap(Parser.parse("record \"σ é\" x").first)
        XCTAssertEqual(command.arguments.map(\.offset), [7, 13])
    }
}
