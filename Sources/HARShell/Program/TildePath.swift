import Foundation

/// `~` in paths the user types, expanded from the `HOME` the shell was started with.
///
/// Foundation's `expandingTildeInPath` reads the account's home from the password file, so with `HOME` pointing
/// elsewhere (a test, a sandbox, `sudo -E`) `save model ~/m.pt` wrote into the account's real home folder.
public enum TildePath {
    /// `path` with a leading `~` or `~/` replaced by `home`; other paths (`~user/…` included) are left as they are.
    public static func expand(_ path: String, home: String) -> String {
        if path == "~" { return home }
        guard path.hasPrefix("~/") else { return path }
        return (home.hasSuffix("/") ? String(home.dropLast()) : home) + path.dropFirst()
    }

    /// The `HOME` of `environment`, else this process's home folder.
    public static func home(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    }
}
