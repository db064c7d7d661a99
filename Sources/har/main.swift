import CLineEdit
import Foundation
import HARShell

// `har`: argument parsing, the run loop and every command live in HARShell; this file only wires the
// terminal (libedit, SIGINT) to it.

let invocation: Invocation
do {
    invocation = try Invocation.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    TerminalSink.standardError("har: \(error)\n\(Invocation.usage)\n")
    exit(ShellProgram.ExitStatus.badInvocation)
}

cle_install_interrupt_handler()
let environment = ProcessInfo.processInfo.environment
let terminals = ShellProgram.Terminals(input: isatty(0) == 1, output: isatty(1) == 1, error: isatty(2) == 1)
let program = ShellProgram(invocation: invocation, environment: environment, terminals: terminals,
                           isInterrupted: { cle_interrupt_pending() != 0 }, clearInterrupt: { cle_clear_interrupt() },
                           executable: Bundle.main.executableURL)

/// The program whose session completion reads (libedit calls back through a C function pointer).
nonisolated(unsafe) var completingProgram: ShellProgram? = program

let completer: cle_completer = { line in
    guard let line, let program = completingProgram else { return nil }
    let completion = program.complete(String(cString: line))
    let answer = ([completion.insertion] + completion.listing()).joined(separator: "\n")
    return strdup(answer)
}

let status = program.run(interactiveInput: {
    guard terminals.input else { return StandardInputLines() }
    let history = HistoryFile(url: ShellProgram.home(environment).appendingPathComponent(".har_history"))
    return LineEditor(historyFile: history, completer: completer) ?? StandardInputLines()
})
completingProgram = nil
exit(status)
