import Foundation
import XCTest
@testable import HARKit
import TestSupport

/// Opens reports in a real headless Chromium (Debian's `chromium` package, which scripts/test.sh installs);
/// skipped only when `HARLAB_SKIP_BROWSER=1` asks so, and failing when Chromium is missing otherwise.
final class ReportBrowserTests: IsolatedTestCase {
    /// What the browser printed and wrote.
    struct BrowserRun {
        let status: Int32
        let output: String
        let log: String
        /// Messages the page wrote to the console (errors, failed loads, script output).
        var consoleMessages: [String] { log.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init) }
    }

    /// Why the browser check could not run.
    struct MissingBrowser: Error, CustomStringConvertible {
        let description: String
    }

    /// The Chromium to run: `HARLAB_CHROMIUM`, else the first of `installed` that exists.
    /// - Throws: `XCTSkip` naming `HARLAB_SKIP_BROWSER` when it is 1; `MissingBrowser` when there is no Chromium.
    func chromium(environment: [String: String] = ProcessInfo.processInfo.environment,
                  installed: [String] = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]) throws -> URL {
        if environment["HARLAB_SKIP_BROWSER"] == "1" {
            throw XCTSkip("HARLAB_SKIP_BROWSER=1: the report was not checked in a browser")
        }
        let candidates = [environment["HARLAB_CHROMIUM"]].compactMap { $0 } + installed
        guard let path = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw MissingBrowser(description: "Chromium is not installed: scripts/test.sh installs Debian's chromium (or apt-get install -y "
                                 + "chromium, or point HARLAB_CHROMIUM at one); HARLAB_SKIP_BROWSER=1 skips the report's browser check")
        }
        return URL(fileURLWithPath: path)
    }

    func open(_ page: URL, _ arguments: [String]) throws -> BrowserRun {
        let process = Process()
        process.executableURL = try chromium()
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--enable-logging=stderr", "--v=0",
                             "--user-data-dir=\(page.deletingLastPathComponent().appendingPathComponent("profile").path)"] + arguments + [page.absoluteString]
        let output = Pipe(), log = Pipe()
        process.standardOutput = output
        process.standardError = log
        try process.run()
        // The pipes are read on their own threads, so that a browser that hangs is killed at the deadline, and a helper
        // process left holding a pipe open fails the test instead of blocking the read forever.
        let outputData = Locked(Data()), logData = Locked(Data())
        let readers = DispatchGroup()
        for (pipe, sink) in [(output, outputData), (log, logData)] {
            DispatchQueue.global().async(group: readers) { sink.value = pipe.fileHandleForReading.readDataToEndOfFile() }
        }
        try ChildTestProcess.wait(for: process, seconds: 90)
        guard readers.wait(timeout: .now() + 30) == .success else {
            throw MissingBrowser(description: "Chromium exited but its output stayed open 30 s later (a helper process still holds it)")
        }
        return BrowserRun(status: process.terminationStatus, output: String(decoding: outputData.value, as: UTF8.self),
                          log: String(decoding: logData.value, as: UTF8.self))
    }

    /// A value shared with a reader thread.
    final class Locked<Value>: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: Value
        init(_ value: Value) { stored = value }
        var value: Value {
            get { lock.lock(); defer { lock.unlock() }; return stored }
            set { lock.lock(); defer { lock.unlock() }; stored = newValue }
        }
    }

    func testReportLoadsWithoutConsoleErrorsAndTheScreenshotShowsThePlots() throws {
        _ = try chromium()
        let folder = try makeTemporaryFolder(self)
        let store = try RunStore(url: folder.appendingPathComponent("runs.sqlite"))
        let end = RunEnd(status: .finished, trainSeconds: 10)
        try store.record(sampleStart(dataset: "uci-har", model: "sa"), epochs: (1...5).map { sampleEpoch($0) }, end: end, metrics: sampleMetrics(correct: 9))
        try store.record(sampleStart(dataset: "wisdm", model: "cnn"), epochs: (1...5).map { sampleEpoch($0) }, end: end, metrics: sampleMetrics(correct: 7))
        let page = folder.appendingPathComponent("report.html")
        try Report(store: store, attention: [sampleAttention()]).write(to: page)

        let dom = try open(page, ["--dump-dom"])
        XCTAssertEqual(dom.status, 0, dom.log)
        XCTAssertEqual(dom.consoleMessages, [], "the page logs nothing to the console")
        XCTAssertEqual(dom.output.components(separatedBy: "<svg").count - 1, 2 * 2 + 2 + 1, "the DOM holds every plot: curves and times of two datasets, two confusion matrices, one attention map")
        XCTAssertTrue(dom.output.contains("Confusion matrices"))

        let shot = folder.appendingPathComponent("report.png")
        let screenshot = try open(page, ["--screenshot=\(shot.path)", "--window-size=1280,2000", "--hide-scrollbars"])
        XCTAssertEqual(screenshot.status, 0, screenshot.log)
        XCTAssertEqual(screenshot.consoleMessages, [])
        let png = try Data(contentsOf: shot)
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47], "a PNG")
        XCTAssertGreaterThan(png.count, 60_000, "plots and tables fill the screenshot (a blank 1280×2000 page is ~10 kB)")
    }

    /// The console check itself: a page that logs an error is caught.
    func testConsoleCheckCatchesAPageThatLogsAnError() throws {
        _ = try chromium()
        let folder = try makeTemporaryFolder(self)
        let page = folder.appendingPathComponent("broken.html")
        try Data("<!DOCTYPE html><html><body><script>console.error('boom')</script></body></html>".utf8).write(to: page)
        let run = try open(page, ["--dump-dom"])
        XCTAssertEqual(run.consoleMessages.count, 1)
        XCTAssertTrue(run.consoleMessages.first?.contains("\"boom\"") == true, run.log)
    }

    /// A missing Chromium fails the check (scripts/test.sh installs it); only HARLAB_SKIP_BROWSER=1 skips it, saying so.
    func testOnlyTheOptOutVariableSkipsAndAMissingChromiumFailsNamingIt() {
        XCTAssertThrowsError(try chromium(environment: ["HARLAB_SKIP_BROWSER": "1"])) { error in
            XCTAssertTrue(error is XCTSkip, "\(error)")
            XCTAssertTrue("\(error)".contains("HARLAB_SKIP_BROWSER=1"), "\(error)")
        }
        XCTAssertThrowsError(try chromium(environment: [:], installed: ["/nonexistent/chromium"])) { error in
            XCTAssertFalse(error is XCTSkip, "not a skip: \(error)")
            XCTAssertTrue("\(error)".contains("scripts/test.sh installs Debian's chromium"), "\(error)")
            XCTAssertTrue("\(error)".contains("HARLAB_SKIP_BROWSER=1 skips"), "\(error)")
        }
    }
}
