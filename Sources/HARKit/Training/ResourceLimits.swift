import Foundation

/// Bounds on what one request may allocate, checked before allocating, so that an oversized model or
/// dataset is an error naming the estimate instead of a crash when memory runs out.
public enum ResourceLimits {
    /// The most bytes a model's training state (weights, gradients and two optimizer moments) may take:
    /// half the physical memory.
    nonisolated(unsafe) public static var modelBytes = halfOfPhysicalMemory
    /// The most Float32 values a dataset's resampled recordings or cut windows may hold: a quarter of the
    /// physical memory's worth.
    nonisolated(unsafe) public static var datasetValues = halfOfPhysicalMemory / 8

    private static var halfOfPhysicalMemory: Int { Int(clamping: ProcessInfo.processInfo.physicalMemory / 2) }

    /// `bytes` as a short human-readable size (`3.2 GiB`, `512 MiB`).
    public static func describe(bytes: Double) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var value = bytes, unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(Int(value)) bytes" : String(format: value < 10 ? "%.1f" : "%.0f", value) + " " + units[unit]
    }
}
