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

    /// The candidates for the word after `words`, from the command's spec: what its form says the next positional
    /// argument completes to, its option keys, and the values of the option being typed.
    private func candidates(before words: [String], typed: String) -> [String] {
        guard let first = words.first else {
            return typed.hasPrefix("?") ? CommandTable.words.map { "?" + $0 } : CommandTable.words
        }
        guard let spec = CommandTable.spec(named: first) else { return [] }
        let positionals = words.dropFirst().filter { !$0.contains("=") }
        let form = spec.form(after: positionals.first)
        let source = positionals.count < form.completions.count ? form.completions[positionals.count] : nil
        if ["from", "to"].contains(words.last ?? "") || source == .files { return paths(typed) }
        if let equals = typed.firstIndex(of: "=") {
            let key = String(typed[..<equals])
            return (form.option(key)?.completions ?? []).map { key + "=" + $0 }
        }
        let options = form.options.map { $0.key + "=" }
        switch source {
        case .keywords?: return spec.keywords + options
        case .commands?: return CommandTable.all.map(\.name) + options
        case .settings?: return ConfigKey.all.map(\.name) + options
        case .settingValues?: return (ConfigKey.named(positionals.last ?? "").map { $0.completions + ["default"] } ?? []) + options
        case .files?, nil: return options
        }
    }

    /// Files and folders whose path starts with `typed` (folders end in `/`); `~` is kept as typed.
    private func paths(_ typed: String) -> [String] {
        let expanded = TildePath.expand(typed, home: TildePath.home())
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
