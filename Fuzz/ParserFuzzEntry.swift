// libFuzzer entry for the command language's tokenizer, parser and script reader (Sources/HARShell/Language).
// Built and run by scripts/fuzz-parser.sh together with those sources only; not part of the Swift package.
// Every input is checked against invariants; a broken one traps, which libFuzzer reports with the input.

/// Checks `condition`, stopping the fuzzer with `message` and the input when it does not hold.
func require(_ condition: Bool, _ message: @autoclosure () -> String, _ source: String) {
    if !condition { fatalError("\(message()) — input: \(String(reflecting: source))") }
}

/// Tokens lie inside the line, in order, without overlap; an error names a position inside the line at a quote.
func checkTokens(_ source: String, _ chars: [Character]) {
    do {
        var previousEnd = 0
        for token in try Tokenizer.tokenize(source) {
            require(token.offset >= previousEnd && token.offset < token.end && token.end <= chars.count,
                    "token \(token) outside the line or overlapping the one before", source)
            switch token.kind {
            case .word: require(!token.text.isEmpty, "empty word", source)
            case .option: require(!(token.key ?? "").isEmpty, "option without a key", source)
            case .separator: require(token.text == ";", "separator '\(token.text)'", source)
            case .string: break
            }
            previousEnd = token.end
        }
    } catch let error as ShellError {
        require(!error.message.isEmpty, "tokenizer error without a message", source)
        let position = error.position ?? -1
        require(position >= 0 && position < chars.count && (chars[position] == "\"" || chars[position] == "'"),
                "tokenizer error '\(error.message)' at \(position), not at a quote", source)
    } catch {
        require(false, "tokenizer threw a non-shell error \(error)", source)
    }
}

/// Commands and arguments point inside the line; a command written back parses to the same command.
func checkCommands(_ source: String, _ chars: [Character]) {
    do {
        for command in try Parser.parse(source) {
            require(!command.name.isEmpty && command.offset >= 0 && command.offset < chars.count, "command \(command) outside the line", source)
            for argument in command.arguments {
                require(argument.offset >= command.offset && argument.offset < chars.count, "argument \(argument) outside the line", source)
            }
            // A name that needs quotes cannot be written back as a command word (and is no command's name).
            guard !Argument.needsQuotes(command.name) else { continue }
            let written = command.written
            let again = try? Parser.parse(written)
            require(again?.count == 1 && again?[0].name == command.name
                        && again?[0].arguments.map(\.key) == command.arguments.map(\.key)
                        && again?[0].arguments.map(\.value) == command.arguments.map(\.value),
                    "command \(command) written as \(String(reflecting: written)) parses as \(String(describing: again))", source)
        }
    } catch let error as ShellError {
        require(!error.message.isEmpty, "parser error without a message", source)
        let position = error.position ?? -1
        require(position >= 0 && position < chars.count, "parser error '\(error.message)' at \(position), outside the line", source)
    } catch {
        require(false, "parser threw a non-shell error \(error)", source)
    }
}

/// Logical lines keep increasing physical line numbers inside the text.
func checkScriptLines(_ source: String) {
    let physical = source.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).count
    var previous = 0
    for line in ScriptReader.lines(of: source) {
        require(line.number > previous && line.number <= physical, "script line number \(line.number) after \(previous) of \(physical)", source)
        previous = line.number
    }
}

/// The suggestion distance is a metric on short words: zero only for equal words, symmetric, at most the longer length.
func checkDistance(_ source: String) {
    let halves = source.prefix(64).split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
    guard halves.count == 2 else { return }
    let (a, b) = (halves[0], halves[1])
    let d = Suggestion.distance(a, b)
    require(d == Suggestion.distance(b, a), "distance not symmetric", source)
    require((d == 0) == (Array(a) == Array(b)) && d <= max(a.count, b.count), "distance \(d) between '\(a)' and '\(b)'", source)
    _ = Suggestion.unknown("command", a, among: [b, "train", "load"])
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let source = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let chars = Array(source)
    checkTokens(source, chars)
    checkCommands(source, chars)
    checkScriptLines(source)
    checkDistance(source)
    return 0
}
