import Foundation
import HARKit

/// The `har` program's behaviour apart from terminal glue: runs the start-up file, scripts, `-c`
/// commands, standard input or the interactive loop, and decides the exit status.
public final class ShellProgram {
    /// Exit statuses of `har`.
    public enum ExitStatus {
        /// Every command succeeded.
        public static let success: Int32 = 0
        /// A command failed.
        public static let failure: Int32 = 1
        /// The command line was wrong.
        public static let badInvocation: Int32 = 2
        /// Interrupted outside a command (SIGINT).
        public static let interrupted: Int32 = 130
    }

    /// The terminals `har` runs on.
    public struct Terminals: Sendable {
        /// Whether standard input is a terminal.
        public var input: Bool
        /// Whether standard output is a terminal.
        public var output: Bool
        /// Whether standard error is a terminal.
        public var error: Bool

        /// Which standard streams are terminals.
        public init(input: Bool, output: Bool, error: Bool) {
            self.input = input
            self.output = output
            self.error = error
        }
    }

    /// The parsed command line.
    public let invocation: Invocation
    /// The interpreter running every command.
    public let interpreter: Interpreter
    private let environment: [String: String]
    private let terminals: Terminals
    private let isInterrupted: () -> Bool
    private let clearInterrupt: () -> Void
    /// The terminal sink, told when `har` ends (under `--json-document` it prints the results then).
    private let terminalSink: TerminalSink?
    /// The distributed job the environment describes (MASTER_ADDR, …), nil for none, or why it is wrong.
    private let launch: Result<LaunchEnvironment?, Error>
    /// Where `har worker` says why it could not join or go on (its interpreter's own output is silent).
    private let programOutput: OutputSink

    /// A program for `invocation`.
    /// - Parameters:
    ///   - output: where commands write; nil builds the terminal sink that fits `terminals` and the options.
    ///   - isInterrupted: whether SIGINT arrived (polled by long commands and between commands).
    ///   - clearInterrupt: forgets a handled SIGINT.
    ///   - executable: the `har` program, which `set workers N` starts as workers; nil: this program cannot.
    public init(invocation: Invocation, environment: [String: String], terminals: Terminals, output: OutputSink? = nil,
                isInterrupted: @escaping () -> Bool = { false }, clearInterrupt: @escaping () -> Void = {}, executable: URL? = nil) {
        self.invocation = invocation
        self.environment = environment
        self.terminals = terminals
        self.isInterrupted = isInterrupted
        self.clearInterrupt = clearInterrupt
        // Text goes to standard output, or to standard error under `--json`: its width is that stream's terminal's.
        let textOnTerminal = invocation.json ? terminals.error : terminals.output
        let textDescriptor: Int32 = invocation.json ? 2 : 1
        let sink = output ?? TerminalSink(
            json: invocation.json, document: invocation.jsonDocument,
            showProgress: terminals.error && !invocation.quiet, liveStatus: terminals.output,
            textStyle: Style.forTerminal(isTerminal: textOnTerminal, environment: environment),
            errorStyle: Style.forTerminal(isTerminal: terminals.error, environment: environment),
            width: { TerminalWidth.resolve(measured: textOnTerminal ? TerminalWidth.measured(fd: textDescriptor) : nil, environment: environment) })
        terminalSink = sink as? TerminalSink
        launch = Result { try LaunchEnvironment.from(environment) }
        // Every rank of a distributed job runs the same script; only rank 0 speaks (the others' errors still do).
        let rank = (try? launch.get())?.rank ?? 0
        programOutput = sink
        var commandOutput = rank == 0 ? sink : SecondaryRankSink(inner: sink, rank: rank)
        if case .worker = invocation.action { commandOutput = WorkerSink() }
        interpreter = Interpreter(output: commandOutput, dataDirectory: ShellProgram.dataDirectory(invocation, environment),
                                  shouldStop: isInterrupted)
        interpreter.workerLaunch = executable.map { WorkerLaunch(executable: $0, environment: environment) }
        interpreter.style = Style.forTerminal(isTerminal: terminals.output && !invocation.json, environment: environment)
        interpreter.homeDirectory = TildePath.home(environment)
        if let scale = environment["HAR_EPOCHS_SCALE"].flatMap(Double.init), scale.isFinite, scale > 0 {
            interpreter.epochScale = scale
        }
    }

    /// Opens the run store (`HAR_RUNS`, else `$XDG_DATA_HOME/harlab/runs.sqlite`, else `~/.local/share/harlab/runs.sqlite`);
    /// when it cannot be opened, says so on standard error and keeps runs in the session only (each run then warns
    /// again, and a script or `-c` that trained exits non-zero).
    private func openRunStore() {
        guard interpreter.runStore == nil else { return }
        let url = RunStore.defaultURL(environment: environment)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            interpreter.runStore = try RunStore(url: url)
        } catch {
            interpreter.runStoreProblem = error as? RunStoreError ?? RunStoreError("\(error)")
            interpreter.output.warning("runs are kept in this session only: \(error)")
        }
    }

    /// Joins the distributed job the environment describes, if any; the exit status when that failed (the error
    /// said on standard error), else nil.
    private func joinJob() -> Int32? {
        do {
            guard let job = try launch.get() else { return nil }
            interpreter.dataParallel = try DataParallel.join(job)
            return nil
        } catch {
            interpreter.output.error(ShellError("cannot join the distributed job: \(error)"), source: "", origin: nil)
            return ExitStatus.failure
        }
    }

    /// `har worker --join HOST:PORT`: joins the session there, then runs its jobs until it quits or vanishes. A
    /// worker the session started itself leaves Ctrl-C to the session (the terminal sends it to both).
    private func runWorker(joining address: String) -> Int32 {
        if environment[WorkerLaunch.sessionVariable] != nil { signal(SIGINT, SIG_IGN) }
        let parts = address.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, let port = Int(parts[1]), (1...65_535).contains(port) else {
            programOutput.error(ShellError("--join \(address): expected HOST:PORT (a port in 1...65535)"), source: "", origin: nil)
            return ExitStatus.badInvocation
        }
        do {
            let timeout = try WorkerLaunch.timeout(environment)
            let parallel = try DataParallel.joinSession(address: String(parts[0]), port: port, timeout: timeout,
                                                        interface: environment["GLOO_SOCKET_IFNAME"].flatMap { $0.isEmpty ? nil : $0 })
            interpreter.dataParallel = parallel
        } catch {
            programOutput.error(ShellError("har worker cannot join the session at \(address): \(error)"), source: "", origin: nil)
            return ExitStatus.failure
        }
        do { try interpreter.applyThreadSetting() } catch {
            programOutput.warning("libtorch keeps its own thread count: \(error)")
        }
        guard let sink = interpreter.output as? WorkerSink, let parallel = interpreter.dataParallel else { return ExitStatus.failure }
        return WorkerLoop(interpreter: interpreter, sink: sink, parallel: parallel, isInterrupted: isInterrupted).run()
    }

    /// `--data-dir`, else `HAR_DATA`, else `~/.harlab/data`.
    public static func dataDirectory(_ invocation: Invocation, _ environment: [String: String]) -> URL {
        if let path = invocation.dataDirectory ?? environment["HAR_DATA"], !path.isEmpty {
            return URL(fileURLWithPath: TildePath.expand(path, home: TildePath.home(environment)))
        }
        return home(environment).appendingPathComponent(".harlab/data")
    }

    /// The user's home folder (`HOME`).
    public static func home(_ environment: [String: String]) -> URL {
        URL(fileURLWithPath: TildePath.home(environment))
    }

    /// Whether this invocation ends in the interactive loop (and so wants a line editor).
    public var wantsInteractiveLoop: Bool {
        invocation.action == .run && (invocation.interactive || invocation.steps.isEmpty)
    }

    /// Runs everything the invocation asks for and returns the exit status; under `--json-document` the results
    /// are printed as one array at the end.
    /// - Parameter interactiveInput: the line source of the interactive loop (libedit on a terminal).
    public func run(interactiveInput: () -> LineSource = { StandardInputLines() }) -> Int32 {
        defer {
            interpreter.stopWorkers()
            terminalSink?.finish()
        }
        return runSteps(interactiveInput: interactiveInput)
    }

    private func runSteps(interactiveInput: () -> LineSource) -> Int32 {
        switch invocation.action {
        case .version:
            interpreter.output.text("har \(HARKit.version)")
            return ExitStatus.success
        case .help:
            interpreter.output.text(Invocation.usage)
            return ExitStatus.success
        case .worker(let address):
            return runWorker(joining: address)
        case .run:
            break
        }
        for case .script(let path) in invocation.steps where path != "-" && !FileManager.default.isReadableFile(atPath: path) {
            interpreter.output.error(ShellError("cannot read script '\(path)'"), source: "", origin: nil)
            return ExitStatus.badInvocation
        }
        if let failure = joinJob() { return failure }
        if interpreter.dataParallel?.isPrimary ?? true { openRunStore() }
        do { try interpreter.applyThreadSetting() } catch {
            interpreter.output.warning("libtorch keeps its own thread count: \(error)")
        }
        runStartupFile()
        var failed = false
        for step in invocation.steps {
            let outcome: Interpreter.Outcome
            switch step {
            case .commands(let text): outcome = interpreter.execute(text, keepGoing: invocation.keepGoing)
            case .script(let path): outcome = runScript(path)
            }
            if isInterrupted() { return ExitStatus.interrupted }
            if outcome == .quit { return unattendedStatus(failed: failed) }
            if outcome == .failure {
                failed = true
                if !invocation.keepGoing && !invocation.interactive { return ExitStatus.failure }
            }
        }
        guard wantsInteractiveLoop else { return unattendedStatus(failed: failed) }
        if !terminals.input && !invocation.interactive {
            let outcome = runLines(from: StandardInputLines(), name: "<stdin>")
            if isInterrupted() { return ExitStatus.interrupted }
            return unattendedStatus(failed: outcome == .failure)
        }
        return interact(interactiveInput())
    }

    /// The exit status of a script, `-c` or piped run: a failure when a command failed or a run could not be
    /// recorded in the run store (the warning alone would be lost in a pipeline).
    private func unattendedStatus(failed: Bool) -> Int32 {
        failed || interpreter.hasUnrecordedRuns ? ExitStatus.failure : ExitStatus.success
    }

    /// The interactive loop: prompt, read, run; Ctrl-C drops the line, Ctrl-D or `quit` leaves with status 0.
    public func interact(_ input: LineSource) -> Int32 {
        if !invocation.quiet && terminals.input { interpreter.output.text(HARShell.banner) }
        var pending = ""
        while true {
            switch input.readLine(prompt: pending.isEmpty ? "har> " : "...> ") {
            case .end:
                return ExitStatus.success
            case .interrupted:
                clearInterrupt()
                pending = ""
            case .line(let line):
                if ScriptReader.endsWithContinuation(line) {
                    pending += String(line.dropLast()) + " "
                    continue
                }
                let full = pending + line
                pending = ""
                guard !full.allSatisfy(\.isWhitespace) else { continue }
                input.addHistory(full)
                let outcome = interpreter.execute(full)
                clearInterrupt()
                if outcome == .quit { return ExitStatus.success }
            }
        }
    }

    /// The completions for the line left of the cursor, from the current session.
    public func complete(_ line: String) -> Completion {
        Completer(session: interpreter.session).complete(line)
    }

    private func runStartupFile() {
        guard !invocation.skipStartupFile else { return }
        let url = ShellProgram.home(environment).appendingPathComponent(".harrc")
        guard let text = try? ScriptFile.read(url) else { return }
        interpreter.executeScript(text, name: url.path, keepGoing: true)
    }

    private func runScript(_ path: String) -> Interpreter.Outcome {
        if path == "-" { return runLines(from: StandardInputLines(), name: "<stdin>") }
        do {
            let text = try ScriptFile.read(URL(fileURLWithPath: path))
            return interpreter.executeScript(text, name: path, keepGoing: invocation.keepGoing)
        } catch {
            interpreter.output.error(error as? ShellError ?? ShellError("\(error)"), source: "", origin: nil)
            return .failure
        }
    }

    /// Runs lines as they arrive (`har < FILE`, a pipe) as a script named `name`: continuation lines joined,
    /// errors as `name:line`, stopping at the first failure unless `--keep-going`, or at an interrupt.
    public func runLines(from input: LineSource, name: String) -> Interpreter.Outcome {
        var failed = false
        var number = 0
        var pending: (start: Int, text: String)?
        while !isInterrupted(), case .line(let line) = input.readLine(prompt: "") {
            number += 1
            if ScriptReader.endsWithContinuation(line) {
                pending = (pending?.start ?? number, (pending?.text ?? "") + line.dropLast() + " ")
                continue
            }
            let start = pending?.start ?? number
            let text = (pending?.text ?? "") + line
            pending = nil
            switch interpreter.execute(text, origin: "\(name):\(start)", keepGoing: invocation.keepGoing) {
            case .success: continue
            case .quit: return failed ? .failure : .quit
            case .failure:
                failed = true
                if !invocation.keepGoing { return .failure }
            }
        }
        if let pending, interpreter.execute(pending.text, origin: "\(name):\(pending.start)") == .failure { failed = true }
        return failed ? .failure : .success
    }
}
