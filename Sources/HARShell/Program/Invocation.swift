/// The `har` command line: what to run and how, parsed from the arguments after the program name.
public struct Invocation: Sendable, Equatable {
    /// One thing to run, in the order given.
    public enum Step: Sendable, Equatable {
        /// A script file (`har FILE`).
        case script(String)
        /// Commands given with `-c`.
        case commands(String)
    }

    /// What the invocation asks for.
    public enum Action: Sendable, Equatable {
        /// Run the steps (and maybe the interactive shell).
        case run
        /// Print the version and exit.
        case version
        /// Print the usage and exit.
        case help
        /// Work for the session at `join` (`HOST:PORT`): `har worker --join HOST:PORT`.
        case worker(join: String)
    }

    /// What to do.
    public var action = Action.run
    /// Scripts and `-c` commands, in order.
    public var steps: [Step] = []
    /// `-i`: stay interactive after the steps.
    public var interactive = false
    /// `--keep-going`: report a failing command and continue.
    public var keepGoing = false
    /// `--quiet`: no banner, no progress bars.
    public var quiet = false
    /// `--no-rc`: skip `~/.harrc`.
    public var skipStartupFile = false
    /// `--json`: one JSON result per command on stdout, messages on stderr.
    public var json = false
    /// `--json-document`: as `--json`, but every result in one JSON array on stdout when `har` ends.
    public var jsonDocument = false
    /// `--data-dir DIR`.
    public var dataDirectory: String?

    /// An invocation with no steps (the interactive shell).
    public init() {}

    /// The usage text of `--help`.
    public static let usage = """
        usage: har [options] [FILE…]
          har                    interactive shell (line editing, history, completion)
          har FILE…              run the scripts in order, then exit
          har -c "CMD; CMD"      run the commands, then exit (repeatable)
          har < FILE             run commands from standard input
        options:
          -i                     stay interactive after the scripts and commands
          --keep-going           in scripts and -c, report an error and continue (default: stop)
          --quiet                no banner, no progress bars
          --no-rc                skip the start-up file ~/.harrc
          --data-dir DIR         where datasets are looked for and downloaded (also HAR_DATA)
          --json                 print each command's result as one JSON object per line
          --json-document        as --json, but all results in one JSON array, printed when har ends
          --version, --help      print the version or this help
          har worker --join HOST:PORT   work for the session that ran `set workers N listen=HOST:PORT`
        exit status: 0 success, 1 a command failed, 2 bad invocation, 130 interrupted
        """

    private static let flags = ["-c", "-i", "--keep-going", "--quiet", "--no-rc", "--data-dir", "--json", "--json-document", "--version", "--help"]

    /// Parses `arguments` (without the program name).
    /// - Throws: `ShellError` naming the offending argument (exit status 2).
    public static func parse(_ arguments: [String]) throws -> Invocation {
        if arguments.first == "worker" { return try parseWorker(Array(arguments.dropFirst())) }
        var invocation = Invocation()
        var index = 0
        var onlyFiles = false
        func value(for flag: String) throws -> String {
            index += 1
            guard index < arguments.count else { throw ShellError("\(flag) needs a value") }
            return arguments[index]
        }
        while index < arguments.count {
            let argument = arguments[index]
            if onlyFiles || !argument.hasPrefix("-") || argument == "-" {
                invocation.steps.append(.script(argument))
            } else if argument.hasPrefix("--data-dir=") {
                invocation.dataDirectory = String(argument.dropFirst("--data-dir=".count))
            } else {
                switch argument {
                case "--": onlyFiles = true
                case "-c": invocation.steps.append(.commands(try value(for: "-c")))
                case "-i": invocation.interactive = true
                case "--keep-going": invocation.keepGoing = true
                case "--quiet", "-q": invocation.quiet = true
                case "--no-rc": invocation.skipStartupFile = true
                case "--json": invocation.json = true
                case "--json-document": invocation.json = true; invocation.jsonDocument = true
                case "--data-dir": invocation.dataDirectory = try value(for: "--data-dir")
                case "--version", "-V": invocation.action = .version
                case "--help", "-h": invocation.action = .help
                default: throw ShellError(Suggestion.unknown("option", argument, among: flags))
                }
            }
            index += 1
        }
        return invocation
    }

    /// Parses the arguments after `har worker`: `--join HOST:PORT` and optionally `--data-dir DIR`.
    /// - Throws: `ShellError` naming the missing or unknown argument (exit status 2).
    private static func parseWorker(_ arguments: [String]) throws -> Invocation {
        var invocation = Invocation()
        var join: String?
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            guard ["--join", "--data-dir"].contains(argument) else {
                throw ShellError(Suggestion.unknown("option of har worker", argument, among: ["--join", "--data-dir"]))
            }
            index += 1
            guard index < arguments.count else { throw ShellError("\(argument) needs a value") }
            if argument == "--join" { join = arguments[index] } else { invocation.dataDirectory = arguments[index] }
            index += 1
        }
        guard let join else { throw ShellError("har worker needs --join HOST:PORT (the session's `set workers N listen=HOST:PORT`)") }
        invocation.action = .worker(join: join)
        invocation.skipStartupFile = true
        invocation.quiet = true
        return invocation
    }
}
