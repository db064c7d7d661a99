import XCTest
@testable import HARShell
import TestSupport

/// Commands are types listed once in `CommandTable.commands`; the interpreter checks arguments against their specs.
final class CommandSpecTests: IsolatedTestCase {
    func testEveryCommandWordFindsItsTypeAndEverySpecIsConsistent() {
        XCTAssertEqual(CommandTable.commands.count, CommandTable.all.count)
        for spec in CommandTable.all {
            for word in [spec.name] + spec.aliases {
                XCTAssertEqual(CommandTable.command(named: word)?.spec.name, spec.name, word)
            }
            if spec.keywordKind != nil { XCTAssertFalse(spec.keywords.isEmpty, spec.name) }
            for keyword in spec.forms.keys { XCTAssertTrue(spec.keywords.contains(keyword), "\(spec.name) \(keyword)") }
        }
        XCTAssertNil(CommandTable.command(named: "trian"))
    }

    func testArgumentsAreCheckedAgainstTheSpecBeforeTheCommandRuns() {
        let cases: [(String, String, Int)] = [
            ("cv folds=1", "invalid folds '1': expected an integer in 2…1000", 3),
            ("tune lr=1e-4..1e-2 trials=0", "invalid trials '0': expected an integer in 1…10000", 19),
            ("status now", "unexpected argument 'now' — usage: status", 7),
            ("inspect weights sample=0", "'inspect' takes no options — usage: inspect attention", 16),
            ("inspect attention smaple=0", "unknown option 'smaple' — did you mean 'sample'?", 18),
            ("eval tset x=1", "unknown split 'tset' — did you mean 'test'?", 5),
            ("model sa widht=8 depht=1", "unknown model option 'widht' — did you mean 'width'?", 9),
        ]
        for (line, prefix, position) in cases {
            let (shell, out) = makeInterpreter()
            XCTAssertEqual(shell.execute(line), .failure, line)
            let error = out.errors.last?.error
            XCTAssertTrue(error?.message.hasPrefix(prefix) == true, "\(line): \(error?.message ?? "")")
            XCTAssertEqual(error?.position, position, line)
        }
    }

    func testCvAcceptsLosoAsItsFoldsWord() {
        let (shell, out) = makeInterpreter()
        XCTAssertEqual(shell.execute("cv folds=loso epochs=1"), .failure)
        XCTAssertTrue(out.errors.last?.error.message.hasPrefix("no model yet") == true, out.errors.last?.error.message ?? "")
    }

    func testCompletionFollowsTheFormAKeywordSelects() {
        let completer = Completer(session: Session())
        XCTAssertEqual(completer.complete("inspect attention cl").candidates, ["class="])
        XCTAssertEqual(completer.complete("inspect weights cl").candidates, [])
        XCTAssertEqual(completer.complete("cv folds=l").candidates, ["folds=loso"])
        XCTAssertEqual(completer.complete("load synthetic windowing=r").candidates, ["windowing=reference"])
    }
}
