import Foundation

/// How the cross-entropy loss weighs each class: by the inverse of its frequency in the training split (`balanced`),
/// or by weights given per class name (classes not named weigh 1).
public enum ClassWeights: Sendable, Equatable, Codable, CustomStringConvertible {
    /// One class's weight, by name.
    public struct Named: Sendable, Equatable, Codable {
        /// The class name as written.
        public var name: String
        /// Its weight (> 0).
        public var weight: Double

        /// `name` weighing `weight`.
        public init(name: String, weight: Double) { (self.name, self.weight) = (name, weight) }
    }

    /// Weight N / (K · n_c) for a class with n_c of the N training windows over K classes present (scikit-learn's
    /// "balanced"): every class then contributes as much to the loss as the others.
    case balanced
    /// The weights named; every other class weighs 1.
    case explicit([Named])

    /// `balanced`, or `walking:1,running:3` as `set class_weights` reads it.
    public var description: String {
        switch self {
        case .balanced: return "balanced"
        case .explicit(let named): return named.map { "\($0.name):\(ClassWeights.format($0.weight))" }.joined(separator: ",")
        }
    }

    /// Parses `balanced` or `NAME:W[,NAME:W…]` (`NAME=W` too; weights finite and > 0, each name once).
    /// - Throws: `TuningError` naming the item that is not `NAME:W` or the weight that is not a positive number.
    public static func parse(_ text: String) throws -> ClassWeights {
        if text.lowercased() == "balanced" { return .balanced }
        var named: [Named] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let parts = item.split(maxSplits: 1, whereSeparator: { $0 == ":" || $0 == "=" }).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !item.hasPrefix(":"), !item.hasPrefix("=") else {
                throw TuningError("class weight '\(item)' is not NAME:WEIGHT (e.g. walking:1,running:3, or balanced)")
            }
            guard let weight = Double(parts[1]), weight.isFinite, weight > 0 else {
                throw TuningError("class weight '\(item)': '\(parts[1])' is not a number > 0")
            }
            guard !named.contains(where: { $0.name.lowercased() == parts[0].lowercased() }) else {
                throw TuningError("class weight '\(item)': class '\(parts[0])' is named twice")
            }
            named.append(Named(name: parts[0], weight: weight))
        }
        return .explicit(named)
    }

    /// One weight per class of `dataset` (by label), from its training split's counts (`balanced`) or by name.
    /// - Throws: `TuningError` naming a class the dataset does not have, with the classes it has.
    public func weights(for dataset: HARDataset) throws -> [Double] {
        switch self {
        case .balanced:
            let counts = dataset.classCounts(in: .train)
            let total = counts.reduce(0, +), present = counts.filter { $0 > 0 }.count
            // A class absent from training never reaches the loss; 1 keeps it neutral.
            return counts.map { $0 == 0 ? 1 : Double(total) / Double(present * $0) }
        case .explicit(let named):
            var weights = [Double](repeating: 1, count: dataset.classNames.count)
            let lowered = dataset.classNames.map { $0.lowercased() }
            for item in named {
                guard let label = lowered.firstIndex(of: item.name.lowercased()) else {
                    throw TuningError("class_weights names '\(item.name)', which is not a class of \(dataset.name) (classes: "
                                      + dataset.classNames.joined(separator: ", ") + ")")
                }
                weights[label] = item.weight
            }
            return weights
        }
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e6 ? String(Int(value)) : "\(value)"
    }
}
