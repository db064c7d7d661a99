import Foundation
import XCTest
import HARKit
@testable import HARShell
import TestSupport

/// `stream`: predictions over a file (followed as it grows), a pipe, TCP and UDP on localhost; the model's own
/// predictions on the same windows; each bad input; Ctrl-C mid-stream. Each test loads the synthetic set with
/// 32-sample windows (about 1 s in a debug build) and streams at most a few hundred lines; the socket tests wait at
/// most 30 s for their peer.
final class StreamCommandTests: IsolatedTestCase {
    private static let setup = "load synthetic window=32 overlap=0; model sa width=4 depth=1"

    private func shell() throws -> (Interpreter, OutputBuffer) {
        let (shell, out) = makeInterpreter()
        XCTAssertEqual(shell.execute(Self.setup), .success, out.errors.map(\.error.message).joined())
        out.clear()
        return (shell, out)
    }

    /// The dataset's test windows `0..<count` as raw sample lines (de-normalised, so that the stream's z-scoring
    /// gives the windows back), with timestamps at the dataset's rate from `start` when asked.
    private func lines(_ dataset: HARDataset, windows count: Int, timestamps: Bool = false, start: Double = 0) -> [String] {
        let stats = dataset.protocolDescription, test = dataset.indices(in: .test)
        var lines: [String] = []
        for index in test.prefix(count) {
            for t in 0..<dataset.windowLength {
                let row = (0..<dataset.channelCount).map { c -> String in
                    let value = dataset.windows[(index * dataset.windowLength + t) * dataset.channelCount + c]
                    return String(format: "%.9g", Double(value * stats.std[c] + stats.mean[c]))
                }
                let time = start + Double(lines.count) / dataset.sampleRate
                lines.append(((timestamps ? [String(format: "%.6f", time)] : []) + row).joined(separator: ","))
            }
        }
        return lines
    }

    private func write(_ lines: [String], header: String? = nil) throws -> URL {
        let file = temporaryFolder().appendingPathComponent("samples.csv")
        try ((header.map { [$0] } ?? []) + lines).map { $0 + "\n" }.joined().write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    private func predictions(_ out: OutputBuffer) -> [CommandResult] { out.results.filter { $0["event"] == .string("prediction") } }
    private func end(_ out: OutputBuffer) -> CommandResult? { out.results.last { $0["event"] == .string("end") } }

    func testStreamedPredictionsAreTheModelsOwnOnTheSameWindows() throws {
        let (shell, out) = try shell()
        XCTAssertEqual(shell.execute("train 1"), .success)
        let dataset = try XCTUnwrap(shell.session.dataset), model = try XCTUnwrap(shell.session.model)
        let file = try write(lines(dataset, windows: 12))
        out.clear()
        XCTAssertEqual(shell.execute("stream from \(file.path) limit=12"), .success, out.errors.map(\.error.message).joined())
        let expected = try Evaluator(model: model, dataset: dataset).evaluate(split: .test).predictions.prefix(12)
        XCTAssertEqual(predictions(out).map { $0["activity"] }, expected.map { .string(dataset.classNames[$0]) })
        XCTAssertEqual(predictions(out).map { $0["sample"] }, (0..<12).map { .int($0 * 32 + 31) }, "hop = the dataset's stride")
        XCTAssertEqual(end(out)?["stopped"], .string("limit"))
        XCTAssertEqual(shell.session.history.last?.replayable, false, "a live stream is not replayed")
    }

    func testAGrowingFileIsFollowedAndCtrlCEndsTheStreamWithTheSessionIntact() throws {
        let (shell, out) = try shell()
        let dataset = try XCTUnwrap(shell.session.dataset), all = lines(dataset, windows: 6)
        let file = try write(Array(all.prefix(40)), header: "acc_x,acc_y,acc_z,gyro_x,gyro_y,gyro_z")
        let (model, config, runs) = (shell.session.model, "\(shell.session.config)", shell.session.runs.count)
        var written = 40, polls = 0
        // Between polls, the "writer" appends 10 lines; after the third prediction the user presses Ctrl-C.
        shell.shouldStop = { [self] in
            polls += 1
            if written < all.count, let handle = try? FileHandle(forWritingTo: file) {
                handle.seekToEndOfFile()
                handle.write(Data(all[written..<min(written + 10, all.count)].map { $0 + "\n" }.joined().utf8))
                try? handle.close()
                written += 10
            }
            return predictions(out).count >= 3 || polls > 400
        }
        XCTAssertEqual(shell.execute("stream from \(file.path) hop=16"), .success, out.errors.map(\.error.message).joined())
        XCTAssertEqual(end(out)?["stopped"], .string("Ctrl-C"))
        XCTAssertEqual(predictions(out).count, 3, "lines written after the file was opened were read")
        XCTAssertTrue(shell.session.model === model)
        XCTAssertEqual("\(shell.session.config)", config)
        XCTAssertEqual(shell.session.runs.count, runs)
        XCTAssertEqual(shell.session.dataset?.name, "synthetic")
        shell.shouldStop = { false }
        XCTAssertEqual(shell.execute("status"), .success, "the prompt goes on")
    }

    func testAStalledInputSaysItIsWaiting() throws {  // waits just over the 1 s stall threshold
        let (shell, out) = try shell()
        let file = try write(Array(lines(try XCTUnwrap(shell.session.dataset), windows: 1).prefix(10)))
        let started = Date()
        shell.shouldStop = { Date().timeIntervalSince(started) > 1.5 }
        XCTAssertEqual(shell.execute("stream from \(file.path)"), .success)
        XCTAssertEqual(out.lines.filter { $0.hasPrefix("waiting for samples from \(file.path)") }.count, 1, out.transcript)
        out.clear()
        out.showsLiveStatus = true
        let restarted = Date()
        shell.shouldStop = { Date().timeIntervalSince(restarted) > 1.5 }
        XCTAssertEqual(shell.execute("stream from \(file.path)"), .success)
        XCTAssertTrue(out.statusLines.contains { $0.contains("waiting for samples") }, "on a terminal the live line says it")
    }

    func testOnATerminalALiveBarReplacesTheLinePerPrediction() throws {
        let (shell, out) = try shell()
        out.showsLiveStatus = true
        let file = try write(lines(try XCTUnwrap(shell.session.dataset), windows: 4))
        XCTAssertEqual(shell.execute("stream from \(file.path) limit=4"), .success)
        XCTAssertEqual(out.statusLines.count, 4)
        XCTAssertEqual(out.statusLines.last?.filter { "ABCDEF".contains($0) }.count, 4, "one cell per prediction: \(out.statusLines)")
        XCTAssertTrue(predictions(out).isEmpty)
        XCTAssertEqual(end(out)?["predictions"], .int(4))
    }

    func testMalformedLinesAreSkippedAndCountedAndTheFirstFewShown() throws {
        let (shell, out) = try shell()
        var all = lines(try XCTUnwrap(shell.session.dataset), windows: 2)
        for (n, position) in [5, 9, 13, 17, 21, 25, 29].enumerated() { all.insert(n % 2 == 0 ? "1,2,x,4,5,6" : "1,2,3", at: position) }
        let file = try write(all)
        XCTAssertEqual(shell.execute("stream from \(file.path) limit=2"), .success, out.errors.map(\.error.message).joined())
        XCTAssertEqual(out.lines.filter { $0.hasPrefix("skipped line") }.count, 5)
        XCTAssertTrue(out.lines.contains("skipped line 6: 'x' (acc_z) is not a finite number"), out.transcript)
        XCTAssertTrue(out.lines.contains("skipped line 10: 3 values, expected 6"), out.transcript)
        XCTAssertTrue(out.lines.contains("further malformed lines are skipped and counted, not shown"))
        XCTAssertEqual(end(out)?["skipped"], .int(7))
        XCTAssertEqual(predictions(out).count, 2, "the stream went on")
    }

    func testAStreamThatDoesNotFitTheModelIsAClearErrorAndChangesNothing() throws {
        let (shell, out) = try shell()
        let before = shell.session.snapshot
        let cases: [(lines: [String], option: String, message: String)] = [
            (["1,2,3,4,5", "1,2,3,4,5"], "", "line 1: 5 values, but the model reads 6 channels"),
            (["acc_x,acc_y,acc_z,gyro_x,gyro_y,mag_z"], "", "line 1: header column 'mag_z' is not one of the model's channels"),
            ((0..<20).map { "\(Double($0) / 100),1,2,3,4,5,6" }, "resample=off", "runs at 100 Hz but the model at 50 Hz"),
            ((0..<20).map { "\(Double($0) / 50),1,2,3,4,5,6" }, "rate=25", "declared as 25 Hz but the timestamps run at 50 Hz"),
        ]
        for (lines, option, message) in cases {
            out.clear()
            let file = try write(lines)
            XCTAssertEqual(shell.execute("stream from \(file.path) \(option)"), .failure)
            let error = try XCTUnwrap(out.errors.last?.error)
            XCTAssertTrue(error.message.contains(message) && error.message.hasPrefix(file.path), error.message)
            XCTAssertEqual(error.position, 12, "points at the source")
        }
        for (command, word) in [("stream from tcp:99999", "tcp:99999"), ("stream from - smooth=often", "often"), ("stream from - rate=fast", "fast"),
                                ("stream from - time=hours", "hours"), ("stream from /no/such/file.csv", "/no/such")] {
            out.clear()
            XCTAssertEqual(shell.execute(command), .failure, command)
            let error = try XCTUnwrap(out.errors.last?.error)
            XCTAssertTrue(error.message.contains(word), error.message)
        }
        XCTAssertEqual(shell.session.snapshot, before)
    }

    func testAFasterStreamIsResampledAndAGapRestartsTheWindow() throws {
        let (shell, out) = try shell()
        // 100 Hz timestamps (the model reads 50 Hz), then a 10 s gap.
        let row = "1,2,3,4,5,6"
        let lines = (0..<130).map { "\(String(format: "%.2f", Double($0) / 100)),\(row)" } + (0..<70).map { "\(String(format: "%.2f", 20 + Double($0) / 100)),\(row)" }
        let file = try write(lines, header: "time,acc_x,acc_y,acc_z,gyro_x,gyro_y,gyro_z")
        let started = Date()
        shell.shouldStop = { Date().timeIntervalSince(started) > 1.2 }
        XCTAssertEqual(shell.execute("stream from \(file.path)"), .success, out.errors.map(\.error.message).joined())
        XCTAssertTrue(out.lines.contains("stream rate 100 Hz (measured), resampled to 50 Hz by linear interpolation"), out.transcript)
        XCTAssertEqual(end(out)?["restarts"], .int(1))
        XCTAssertEqual(end(out)?["resampled"], .bool(true))
        // 130 samples at 100 Hz are 65 at 50 Hz: windows end at 31, 63; after the gap, 35 more samples: one window.
        XCTAssertEqual(predictions(out).map { $0["sample"] }, [.int(31), .int(63), .int(96)])
    }

    func testATCPClientOnLocalhostIsRecognised() throws {
        let (shell, out) = try shell()
        let text = lines(try XCTUnwrap(shell.session.dataset), windows: 3).map { $0 + "\n" }.joined()
        let port = try LocalSocket.freePort()
        let sender = Thread { LocalSocket.sendTCP(text, port: port, for: 30) }
        sender.start()
        let started = Date()
        shell.shouldStop = { Date().timeIntervalSince(started) > 30 }
        XCTAssertEqual(shell.execute("stream from tcp:\(port) limit=3"), .success, out.errors.map(\.error.message).joined())
        XCTAssertEqual(predictions(out).count, 3)
        XCTAssertEqual(out.results.first?["source"], .string("tcp:127.0.0.1:\(port)"))
        XCTAssertTrue(out.lines.contains { $0.hasPrefix("127.0.0.1:") && $0.hasSuffix("connected") }, out.transcript)
    }

    func testUDPDatagramsOnLocalhostAreRecognised() throws {
        let (shell, out) = try shell()
        let all = lines(try XCTUnwrap(shell.session.dataset), windows: 2)
        let port = try LocalSocket.freePort(udp: true)
        let done = LocalSocket.Flag()
        // Datagrams of 8 lines each, sent again and again until the stream has ended (the first may precede the bind).
        let sender = Thread { LocalSocket.sendUDP(stride(from: 0, to: all.count, by: 8).map { all[$0..<min($0 + 8, all.count)].joined(separator: "\n") },
                                                  port: port, until: done) }
        sender.start()
        defer { done.set() }
        let started = Date()
        shell.shouldStop = { Date().timeIntervalSince(started) > 30 }
        XCTAssertEqual(shell.execute("stream from udp:localhost:\(port) limit=2"), .success, out.errors.map(\.error.message).joined())
        XCTAssertEqual(predictions(out).count, 2)
    }

    func testAPipeGetsEachPredictionAsItIsMade() throws {  // runs the har executable (about 3 s in a debug build)
        let process = Process()
        process.executableURL = try HarBinary.required()
        process.arguments = ["--json", "-c", Self.setup + "; stream from - hop=8"]
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = temporaryFolder().path
        environment["HAR_RUNS"] = temporaryFolder().appendingPathComponent("runs.sqlite").path
        process.environment = environment
        let input = Pipe(), output = Pipe()
        (process.standardInput, process.standardOutput, process.standardError) = (input, output, FileHandle.nullDevice)
        try process.run()
        let deadline = ProcessDeadline(killing: process, after: 120)
        let rows = (0..<40).map { (i: Int) -> String in
            let values = (0..<6).map { (c: Int) -> String in String(Double((i * 7 + c * 3) % 11) / 5) }
            return values.joined(separator: " ") + "\n"
        }
        input.fileHandleForWriting.write(Data(rows.joined().utf8))
        // The pipe stays open: the first prediction (after 32 samples) must arrive without waiting for the end.
        var text = ""
        let until = Date().addingTimeInterval(60)
        while !text.contains("\"event\":\"prediction\""), Date() < until {
            var request = pollfd(fd: output.fileHandleForReading.fileDescriptor, events: Int16(POLLIN), revents: 0)
            if poll(&request, 1, 100) > 0 { text += String(decoding: output.fileHandleForReading.availableData, as: UTF8.self) }
        }
        XCTAssertTrue(text.contains("\"event\":\"prediction\""), "no prediction before the input ended: \(text)")
        try input.fileHandleForWriting.close()
        text += String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try deadline.check("har stream from -")
        XCTAssertEqual(process.terminationStatus, 0)
        let events = text.split(separator: "\n").filter { $0.contains("\"command\":\"stream\"") }
        XCTAssertEqual(events.filter { $0.contains("\"event\":\"prediction\"") }.count, 2, "windows ending at samples 31 and 39")
        XCTAssertTrue(events.last?.contains("\"stopped\":\"end of input\"") == true, text)
    }
}
