/// Tri-axial channel groups per sensor unit, found from channel names such as `T_acc_x`, `hand_gyro_y` or `body_acc_z`.
///
/// A group is three channels `<prefix>_x`, `_y`, `_z`. Its unit is the prefix without its last word (the sensor kind) and
/// without the words `body` and `total` (UCI-HAR's signal parts): `T_acc` and `T_gyro` are unit `T`; `acc` is the single unnamed unit.
public struct SensorGroups: Sendable, Equatable {
    /// For each unit, its groups as `[x, y, z]` channel indices.
    public var units: [[[Int]]]

    /// Groups the channels named `channelNames`; channels outside any complete x/y/z triple are left out.
    public init(channelNames: [String]) {
        var axes = [String: [Int?]]()
        var prefixes = [String]()
        for (index, name) in channelNames.enumerated() {
            let lower = name.lowercased()
            guard lower.count > 2, let axis = ["_x": 0, "_y": 1, "_z": 2][String(lower.suffix(2))] else { continue }
            let prefix = String(lower.dropLast(2))
            if axes[prefix] == nil { axes[prefix] = [nil, nil, nil]; prefixes.append(prefix) }
            axes[prefix]![axis] = index
        }
        var unitOrder = [String]()
        var groups = [String: [[Int]]]()
        for prefix in prefixes {
            guard let triple = axes[prefix], triple.allSatisfy({ $0 != nil }) else { continue }
            let words = prefix.split(separator: "_").dropLast().filter { $0 != "body" && $0 != "total" }
            let unit = words.joined(separator: "_")
            if groups[unit] == nil { unitOrder.append(unit) }
            groups[unit, default: []].append(triple.map { $0! })
        }
        units = unitOrder.map { groups[$0]! }
    }

    /// The channels that one sensor's factor scales together: each tri-axial group, then every channel of `channels`
    /// outside all groups on its own.
    public func sensors(channels: Int) -> [[Int]] {
        let triads = units.flatMap { $0 }
        let grouped = Set(triads.joined())
        return triads + (0..<channels).filter { !grouped.contains($0) }.map { [$0] }
    }
}
