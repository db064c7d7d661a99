import Foundation

/// Turns an SVG document into a PNG image with librsvg's `rsvg-convert` (Debian package `librsvg2-bin`, which
/// scripts/setup.sh installs), so `plot … to FILE.png` draws exactly what `FILE.svg` would show.
enum SVGRasterizer {
    /// The program that rasterises.
    static let tool = "rsvg-convert"
    /// Pixels per SVG unit: twice the SVG's size, sharp on dense screens and in documents.
    static let zoom = 2

    /// Where `rsvg-convert` is on `environment`'s `PATH` (the usual system folders when it has none), if anywhere.
    static func executable(environment: [String: String]) -> URL? {
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent(tool) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// `svg` as a PNG image on a white background.
    /// - Throws: `ReportError` when `rsvg-convert` is not installed or fails.
    static func png(_ svg: String, environment: [String: String]) throws -> Data {
        guard let executable = executable(environment: environment) else {
            throw ReportError("writing PNG needs \(tool), which is not installed: install Debian's librsvg2-bin "
                              + "(scripts/setup.sh does), or name the file FILE.svg")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("harlab-png-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        } catch {
            throw ReportError("cannot rasterise the plot: \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("plot.svg"), output = folder.appendingPathComponent("plot.png")
        let process = Process()
        process.executableURL = executable
        process.arguments = ["--format=png", "--zoom=\(zoom)", "--background-color=white", "--output=\(output.path)", input.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do {
            try Data(svg.utf8).write(to: input)
            try process.run()
        } catch {
            throw ReportError("cannot run \(executable.path): \(error.localizedDescription)")
        }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0, let png = try? Data(contentsOf: output) else {
            throw ReportError("\(tool) could not rasterise the plot (exit status \(process.terminationStatus))"
                              + (message.isEmpty ? "" : ": " + message.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        return png
    }
}
