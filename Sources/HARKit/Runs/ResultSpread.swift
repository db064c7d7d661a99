/// The figures of a group result over its members (the folds of a cross-validation, the seeds of a repeated
/// training): mean and sample standard deviation of the test accuracy and macro F1.
public struct ResultSpread: Sendable, Equatable, Codable {
    /// Members the figures are over.
    public var members: Int
    /// Mean test accuracy.
    public var accuracyMean: Double
    /// Sample standard deviation (n − 1) of test accuracy; 0 for one member.
    public var accuracyStd: Double
    /// Mean test macro F1.
    public var f1MacroMean: Double
    /// Sample standard deviation (n − 1) of test macro F1; 0 for one member.
    public var f1MacroStd: Double
    /// Mean macro precision.
    public var precisionMacroMean: Double
    /// Mean macro recall.
    public var recallMacroMean: Double

    /// The spread of the members' test metrics.
    /// - Precondition: `metrics` is not empty.
    public init(_ metrics: [ClassificationMetrics]) {
        precondition(!metrics.isEmpty, "a spread needs at least one member")
        members = metrics.count
        accuracyMean = SampleStatistics.mean(metrics.map(\.accuracy))
        accuracyStd = SampleStatistics.standardDeviation(metrics.map(\.accuracy))
        f1MacroMean = SampleStatistics.mean(metrics.map(\.f1Macro))
        f1MacroStd = SampleStatistics.standardDeviation(metrics.map(\.f1Macro))
        precisionMacroMean = SampleStatistics.mean(metrics.map(\.precisionMacro))
        recallMacroMean = SampleStatistics.mean(metrics.map(\.recallMacro))
    }

    /// A spread with these figures (as the store reads them back).
    public init(members: Int, accuracyMean: Double, accuracyStd: Double, f1MacroMean: Double, f1MacroStd: Double,
                precisionMacroMean: Double, recallMacroMean: Double) {
        (self.members, self.accuracyMean, self.accuracyStd, self.f1MacroMean, self.f1MacroStd) =
            (members, accuracyMean, accuracyStd, f1MacroMean, f1MacroStd)
        (self.precisionMacroMean, self.recallMacroMean) = (precisionMacroMean, recallMacroMean)
    }
}
