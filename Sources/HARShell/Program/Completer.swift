import Foundation

/// Tab-completion candidates for a partly typed line: command words, dataset and model names,
/// setting keys and their values, option keys (`window=`), subcommands and file paths.
public struct Completer {
    /// The session whose state may add candidates.
    public var session: Session
    /// The folder relative paths are completed in.
    public var currentDirectory: URL

    /// A completer for `session`, resolving relative paths in `currentDirectory`.
    public init(session: Session, currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) {
        self.session = session
        self.currentDirectory = currentDirectory
    }

    /// The completions of the last word of `line` (the text left of the cursor).
    public func complete(_ line: String) -> Completion {
        let segment = String(line.split(separator: ";", omittingEmptySubsequences: false).last ?? "")
        let endsWithSpace = segment.last?.isWhitespace ?? false
        var words = segment.split(whereSeparator: \.isWhitespace).map(String.init)
        let typed = endsWithSpace || words.isEmpty ? "" : words.removeLast()
        let pool = candidates(before: words, typed: typed)
        return Completion(typed: typed, candidates: Array(Set(pool.filter { $0.hasPrefix(typed) })).sorted())
    }

    private func candidates(before words: [String], typed: String) -> [String] {
        guard let first = words.first else {
            return typed.hasPrefix("?") ? CommandTable.words.map { "?" + $0 } : CommandTable.words
        }
        guard let spec = CommandTable.spec(named: first) else { return [] }
        let previous = words.last ?? ""
        if ["from", "to"].contains(previous) || takesFile(spec.name, words) { return paths(typed) }
        if let equals = typed.firstIndex(of: "=") {
            let key = String(typed[..<equals])
            return values(forOption: key, of: spec.name).map { key + "=" + $0 }
        }
        switch spec.name {
        case "help": return words.count == 1 ? CommandTable.all.map(\.name) : []
        case "set", "show":
            if words.count == 1 { return ConfigKey.all.map(\.name) }
            if spec.name == "set", words.count == 2, let key = ConfigKey.named(words[1]) { return key.completions + ["default"] }
            return []
        default:
            let keywords = words.count == 1 ? spec.keywords : []
            return keywords + spec.optionKeys.map { $0 + "=" }
        }
    }

    /// Whether the next word of `command` after `words` is a file name.
    private func takesFile(_ command: String, _ words: [String]) -> Bool {
        switch command {
        case "run", "record": return words.count == 1
        case "history", "save": return words.count == 2 && ["save", "model"].contains(words[1])
        case "load": return words.count == 2 && words[1] == "model"
        case "export": return words.count == 2
        default: return false
        }
    }

    private func values(forOption key: String, of command: String) -> [String] {
        switch (command, key) {
        case ("load", "normalize"): return ["on", "off"]
        case ("load", "split"): return ["official", "subjects:", "ratio:"]
        case ("cv", "folds"): return ["loso"]
        default: return []
        }
    }

    /// Files and folders whose path starts with `typed` (folders end in `/`); `~` is kept as typed.
    private func paths(_ typed: String) -> [String] {
        let expanded = (typed as NSString).expandingTildeInPath
        let slash = typed.lastIndex(of: "/")
        let shownFolder = slash.map { String(typed[...$0]) } ?? ""
        let folderPath: String
        if slash == nil {
            folderPath = currentDirectory.path
        } else if expanded.hasPrefix("/") {
            folderPath = String(expanded[...(expanded.lastIndex(of: "/")!)])
        } else {
            folderPath = currentDirectory.appendingPathComponent(String(expanded[...(expanded.lastIndex(of: "/")!)])).path
        }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folderPath) else { return [] }
        let namePrefix = slash.map { String(typed[typed.index(after: $0)...]) } ?? typed
        return entries.filter { $0.hasPrefix(namePrefix) && (namePrefix.hasPrefix(".") || !$0.hasPrefix(".")) }.map { name in
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: (folderPath as NSString).appendingPathComponent(name), isDirectory: &isFolder)
            return shownFolder + name + (isFolder.boolValue ? "/" : "")
        }
    }
}
