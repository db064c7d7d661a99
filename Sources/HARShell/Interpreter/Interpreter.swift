import Foundation
import HARKit

/// Runs commands of the `har` language against a `Session`, writing to an `OutputSink`.
///
/// Each command either succeeds (its result goes to the sink, the session keeps its changes) or fails
/// (the error goes to the sink and the session is restored to the value it had before the command).
public final class Interpreter {
    /// What running a line or script came to.
    public enum Outcome: Sendable, Equatable {
        /// Every command succeeded.
        case success
        /// A command failed (the error has been reported to the sink).
        case failure
        /// A command asked to leave the shell (`quit`).
        case quit
    }

    /// All state the commands work on.
    public internal(set) var session: Session
    /// Where text, results, errors and progress go.
    public let output: OutputSink
    /// Where datasets are looked for and downloaded (`--data-dir`, `HAR_DATA`).
    public var dataDirectory: URL
    /// Polled by long commands between batches; true asks them to stop early (Ctrl-C).
    public var shouldStop: () -> Bool
    /// The deepest `run FILE` nesting allowed (guards against a script that runs itself).
    public let maximumScriptDepth = 16
    /// Multiplies every epoch count of `train` (`HAR_EPOCHS_SCALE`, for quick runs of long scripts); at least 1 epoch runs.
    public var epochScale = 1.0
    /// Timed batch-1 forward passes in `eval`'s latency measurement.
    public var timingRepetitions = 30
    /// Colours of rendered text (heat maps, tables); the front end turns them on for terminals.
    public var style = Style(colour: false)
    /// Where runs are recorded across sessions (`runs`, `compare`, `report`); nil keeps them in this session only.
    public var runStore: RunStore?
    /// The threads libtorch computes with and why, once `har` (or `set threads`) has applied the setting; nil
    /// leaves libtorch's own choice (an embedded interpreter).
    public internal(set) var threadBudget: ThreadBudget?
    /// The folder `~` stands for in typed paths: the `HOME` the shell was started with.
    public var homeDirectory = TildePath.home()
    /// Why the run store the front end wanted could not be opened; every run then warns that it is not recorded.
    public var runStoreProblem: RunStoreError?
    /// Whether a run of this session could not be recorded in the run store (`har` then exits non-zero after a
    /// script or `-c`, so a lost run is never silent).
    public private(set) var hasUnrecordedRuns = false

    /// The distributed job this process is a rank of (`har` joins one when MASTER_ADDR, MASTER_PORT, RANK and
    /// WORLD_SIZE are set); nil when it runs alone. Its trainers train data-parallel.
    public var dataParallel: DataParallel?
    // workers
    /// How `set workers N` starts local workers (the `har` program and its environment); nil in an interpreter
    /// that is not the `har` program, which can only wait for workers started by hand (`listen=`).
    public var workerLaunch: WorkerLaunch?
    /// This session's workers (`set workers N`), if any; while there are, `dataParallel` is their job's rank 0.
    var workers: WorkerPool?
    // distfault
    /// Why the session stopped its workers after a command failed on them (a worker lost), until the next
    /// `set workers`: `status` says it.
    var workersStopped: String?

    var scriptDepth = 0
    /// How the running command goes into the history and the recording; a command sets it when what it did differs
    /// from what was typed (`train 20` stopped by Ctrl-C after 3 epochs replays as `train 3`).
    var replay = Replay.asTyped

    /// How a command that succeeded is written for replay.
    enum Replay: Equatable {
        /// As typed.
        case asTyped
        /// As this line instead.
        case rewritten(String)
        /// Not at all: it changed nothing a script could repeat.
        case omitted
    }

    /// An interpreter over a fresh session.
    /// - Parameters:
    ///   - output: where everything the commands say goes.
    ///   - dataDirectory: where datasets live.
    ///   - shouldStop: the cancellation flag long commands poll.
    public init(output: OutputSink, dataDirectory: URL, session: Session = Session(),
                shouldStop: @escaping () -> Bool = { false }) {
        self.output = output
        self.dataDirectory = dataDirectory
        self.session = session
        self.shouldStop = shouldStop
    }

    /// Runs every command of one line (or `;`-separated commands), stopping at the first failure unless `keepGoing`,
    /// and after any command during which Ctrl-C arrived (`train 30; eval` stopped in `train` never starts `eval`;
    /// `shouldStop` already true when the line begins is left to the commands, which stop at their first poll).
    /// - Parameters:
    ///   - origin: where the line came from, for messages (`script.har:3`); nil for the prompt.
    ///   - keepGoing: report a failing command and run the rest of the line (`--keep-going`).
    /// - Returns: `.failure` when a command failed or Ctrl-C left commands of the line unrun.
    @discardableResult
    public func execute(_ line: String, origin: String? = nil, keepGoing: Bool = false) -> Outcome {
        let commands: [ParsedCommand]
        do {
            commands = try Parser.parse(line)
        } catch let error as ShellError {
            report(error, command: "parse", source: line, origin: origin)
            if scriptDepth == 0 { session.history.append(HistoryEntry(command: line, succeeded: false, replayable: false)) }
            return .failure
        } catch {
            report(ShellError("\(error)"), command: "parse", source: line, origin: origin)
            return .failure
        }
        var failed = false
        let stoppedAlready = shouldStop()  // a stop asked before the line began is not this line's Ctrl-C
        for (index, command) in commands.enumerated() {
            if index > 0, !stoppedAlready, shouldStop() { return .failure }
            switch execute(command, source: line, origin: origin) {
            case .success: continue
            case .quit: return .quit
            case .failure:
                failed = true
                if !keepGoing { return .failure }
            }
        }
        return failed ? .failure : .success
    }

    /// Runs a script's text line by line; stops at the first failure unless `keepGoing`.
    /// - Parameter name: the script's name for `name:line` messages.
    /// - Returns: `.failure` if any command failed, `.quit` if the script asked to leave.
    @discardableResult
    public func executeScript(_ text: String, name: String, keepGoing: Bool = false) -> Outcome {
        var failed = false
        for line in ScriptReader.lines(of: text) {
            switch execute(line.text, origin: "\(name):\(line.number)", keepGoing: keepGoing) {
            case .success: continue
            case .quit: return .quit
            case .failure:
                failed = true
                if !keepGoing { return .failure }
            }
            if shouldStop() { return .failure }
        }
        return failed ? .failure : .success
    }

    /// Runs one parsed command transactionally and reports its result or error: finds its type in the
    /// `CommandTable`, checks the arguments against its spec, then runs it.
    func execute(_ command: ParsedCommand, source: String, origin: String?) -> Outcome {
        let saved = session
        let type = CommandTable.command(named: command.name)
        do {
            guard let type else {
                throw ShellError(Suggestion.unknown("command", command.name, among: CommandTable.words), at: command.offset)
            }
            let arguments = Arguments(command, spec: type.spec)
            try type.validate(arguments)
            try arguments.check()
            if skipsOnThisRank(type.spec) { return .success }
            let outerReplay = replay  // a command of `run FILE` must not change how `run FILE` itself replays
            replay = .asTyped
            defer { replay = outerReplay }
            try onWorkers(type.workerSharing(arguments), arguments) { emit(try type.init(arguments: arguments).run(in: self)) }
            remember(command, succeeded: true, replayable: type.spec.replayable && replay != .omitted)
            return type.endsSession ? .quit : .success
        } catch {
            // A command that is not one transaction (`run`: the commands of the script before its failing one keep
            // their effect, each a transaction of its own, as when the script's lines are typed one by one) keeps
            // what it did.
            // A command that failed part-way but keeps what it finished (`ShellError.kept`) keeps it too.
            let shellError = error as? ShellError ?? ShellError("\(error)")
            if type?.isTransaction ?? true, shellError.kept == nil { session = saved }
            report(shellError, command: type?.spec.name ?? command.name, source: source, origin: origin)
            remember(command, succeeded: false, replayable: false)
            if let kept = shellError.kept { remember(kept.replay) }
            return .failure
        }
    }

    /// Adds what a failed command kept (`ShellError.kept`, replayed by a line such as `train 3`) to the history and the
    /// recording, as a replayable line: a script replaying the session then makes the state it kept.
    private func remember(_ kept: String) {
        guard scriptDepth == 0 else { return }
        session.history.append(HistoryEntry(command: kept, succeeded: true, replayable: true))
        appendToRecording(kept)
    }

    private func report(_ error: ShellError, command: String, source: String, origin: String?) {
        output.error(error, source: source, origin: origin)
        output.result(CommandResult(command: command, error: error))
    }

    /// Adds a top-level command to the history and, when it succeeded and is replayable, to the recording.
    private func remember(_ command: ParsedCommand, succeeded: Bool, replayable: Bool) {
        guard scriptDepth == 0 else { return }
        var written = command.written
        if succeeded, case .rewritten(let line) = replay { written = line }
        session.history.append(HistoryEntry(command: written, succeeded: succeeded, replayable: replayable))
        if succeeded, replayable { appendToRecording(written) }
    }

    /// Appends `line` to the script `record FILE` writes, if any; a failure stops the recording and says so.
    private func appendToRecording(_ line: String) {
        guard let target = session.recording else { return }
        do {
            try ScriptFile.append(line + "\n", to: target)
        } catch {
            session.recording = nil
            output.error(ShellError("recording stopped: \(error)"), source: line, origin: nil)
        }
    }

    /// How the runs of `what` (`run 3`, `a fold`) are recorded: into `runStore`, with a store failure — or a store
    /// that could not be opened — said as a warning on standard error (never a failed command: the training goes on)
    /// and remembered in `hasUnrecordedRuns`.
    /// A TensorBoard log that cannot be written is said and remembered the same way.
    func recording(of what: String) -> RunRecording {
        var recording = RunRecording(store: runStore, unavailable: runStoreProblem) { [weak self] problem in
            self?.output.warning("\(what) is not recorded in the run store: \(problem)")
            self?.hasUnrecordedRuns = true
        }
        // Only rank 0 of a distributed job records runs and writes TensorBoard logs.
        recording.writesTensorBoardLog = dataParallel?.isPrimary ?? true
        recording.onLogProblem = { [weak self] problem in
            self?.output.warning("the TensorBoard log of \(what) stopped: \(problem)")
            self?.hasUnrecordedRuns = true
        }
        return recording
    }

    /// `path` with `~` expanded from `homeDirectory`, relative to the current directory.
    func resolve(_ path: String) -> URL {
        URL(fileURLWithPath: TildePath.expand(path, home: homeDirectory))
    }
}
