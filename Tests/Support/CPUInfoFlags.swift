import Foundation

/// The flags /proc/cpuinfo lists for this machine's CPU, read independently of harlab's own detection so tests can
/// check its decisions against them.
public enum CPUInfoFlags {
    /// The first `flags` line's words, or nil where there is no readable /proc/cpuinfo or it has no such line.
    public static var current: Set<String>? {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return nil }
        return Set(line.split(separator: " ").map(String.init))
    }
}
