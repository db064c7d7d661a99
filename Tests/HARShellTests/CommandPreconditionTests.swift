import XCTest
@testable import HARShell
import TestSupport

/// Commands that need a dataset, model, evaluation or store first, and misspelled words: they fail saying what is
/// wrong or missing, and leave the session as it was.
final class CommandPreconditionTests: IsolatedTestCase {
    func testCommandsThatNeedStateSayWhatIsMissingAndChangeNothing() {
        let cases: [(String, String)] = [
            ("info", "no dataset loaded"), ("model sa", "no dataset loaded"), ("summary", "no model yet"),
            ("train", "no model yet"), ("eval", "no model yet"), ("inspect attention", "no model yet"),
            ("inspect weights", "no model yet"), ("inspect confusion", "no evaluation yet"), ("inspect predictions", "no evaluation yet"),
            ("inspect history", "no training history yet"), ("plot history", "no training history yet"),
            ("compare", "nothing to compare yet"), ("compare 3", "no run #3 in this session"),
            ("tune lr=1e-4..1e-2:log", "no model yet"), ("cv", "no model yet"), ("save model m.ckpt", "no model yet"),
            ("report", "'report' reads the run store"), ("plot confusion to c.svg", "no evaluation yet"),
            ("load model /nonexistent/m.ckpt", "no checkpoint at"),
        ]
        for (line, prefix) in cases {
            let (shell, out) = makeInterpreter()
            shell.execute("set lr 0.01")
            let before = shell.session.snapshot
            XCTAssertEqual(shell.execute(line), .failure, line)
            XCTAssertEqual(shell.session.snapshot, before, line)
            XCTAssertTrue(out.errors.last?.error.message.hasPrefix(prefix) == true, "\(line): \(out.errors.last?.error.message ?? "")")
        }
    }

    func testMisspelledNamesAreCaughtBeforeTheMissingLibrary() {
        let cases: [(String, String, Int)] = [
            ("load wisdmm", "unknown dataset 'wisdmm' — did you mean 'wisdm'?", 5),
            ("load uci window=128 overlp=0.5", "unknown option 'overlp' — did you mean 'overlap'?", 20),
            ("augment jiter", "unknown augmentation 'jiter' — did you mean 'jitter'?", 8),
            ("eval tset", "unknown split 'tset' — did you mean 'test'?", 5),
            ("train many", "invalid epoch count 'many': expected an integer in 1…100000", 6),
            ("inspect atention", "unknown inspect target 'atention' — did you mean 'attention'?", 8),
            ("export xml runs.xml", "unknown export format 'xml' (one of: csv, json, markdown, onnx)", 7),
            ("load uci into x", "unexpected argument 'into' — usage: load NAME [from PATH] [key=value…]", 9),
            ("tune trials=3", "missing KEY=RANGE — usage: tune KEY=RANGE[, …] [trials=N] [epochs=N]", 0),
        ]
        for (line, message, position) in cases {
            let (shell, out) = makeInterpreter()
            XCTAssertEqual(shell.execute(line), .failure, line)
            XCTAssertEqual(out.errors.last?.error, ShellError(message, at: position), line)
        }
    }
}
