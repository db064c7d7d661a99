import Foundation
import Torch

/// What every rank of a job must agree on before it computes with the others, as named fields: the harlab
/// version and world size when joining; the dataset, model and training settings when a `train` begins.
public struct JobFingerprint: Codable, Equatable, Sendable {
    /// One named thing the ranks must agree on.
    public struct Field: Codable, Equatable, Sendable {
        /// What it is (`harlab version`, `dataset`, …).
        public var name: String
        /// Its value on this rank, as a person reads it.
        public var value: String
    }

    /// The fields, in the order differences are reported.
    public var fields: [Field]

    /// What ranks agree on when they join: the harlab version and the world size.
    public static func joining(worldSize: Int) -> JobFingerprint {
        JobFingerprint(fields: [Field(name: "harlab version", value: HARKit.version), Field(name: "WORLD_SIZE", value: "\(worldSize)")])
    }

    /// What ranks agree on when a `train` begins: the dataset (its name, shape and a checksum of its windows,
    /// labels, subjects and splits), the model spec and the training settings (all but the TensorBoard folder and
    /// the thread count, which may differ between machines).
    /// - Throws: `TorchError` when the dataset cannot be checksummed.
    public static func training(dataset: HARDataset, model: ModelSpec, config: TrainingConfig) throws -> JobFingerprint {
        var shared = config
        shared.tensorBoardDirectory = nil
        shared.threads = nil
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let settings = String(decoding: try encoder.encode(shared), as: UTF8.self)
        return JobFingerprint(fields: [
            Field(name: "harlab version", value: HARKit.version),
            Field(name: "dataset", value: try datasetSummary(dataset)),
            Field(name: "model", value: model.description),
            Field(name: "training settings", value: settings),
        ])
    }

    /// The dataset's name, window count and shape, and one checksum over its content.
    static func datasetSummary(_ dataset: HARDataset) throws -> String {
        let splits = dataset.splits.map { Int64(DatasetSplit.allCases.firstIndex(of: $0) ?? -1) }
        let content = try Tensor.checksum(of: [
            Tensor(dataset.windows, shape: [dataset.windows.count]), Tensor(dataset.labels.map(Int64.init)),
            Tensor(dataset.subjects.map(Int64.init)), Tensor(splits),
        ])
        return "\(dataset.name): \(dataset.count) windows of \(dataset.windowLength)×\(dataset.channelCount), "
            + "content checksum \(String(content, radix: 16))"
    }

    /// Why `other` (rank `otherRank`'s) differs from this one (rank `rank`'s), naming the first field that differs
    /// and both values; nil when they agree.
    public func difference(from other: JobFingerprint, rank: Int, otherRank: Int) -> String? {
        for (mine, theirs) in zip(fields, other.fields) where mine != theirs {
            guard mine.name == theirs.name else { return "rank \(otherRank) checks \(theirs.name) where rank \(rank) checks \(mine.name)" }
            return "rank \(otherRank)'s \(mine.name) does not match rank \(rank)'s: rank \(rank) has \(mine.value), rank \(otherRank) has \(theirs.value)"
        }
        guard fields.count == other.fields.count else {
            return "rank \(otherRank) checks \(other.fields.count) fields where rank \(rank) checks \(fields.count)"
        }
        return nil
    }

    /// The JSON bytes ranks exchange.
    func encoded() throws -> [UInt8] { Array(try JSONEncoder().encode(self)) }

    /// A fingerprint from the bytes another rank sent.
    static func decoded(_ bytes: [UInt8], from rank: Int) throws -> JobFingerprint {
        do { return try JSONDecoder().decode(JobFingerprint.self, from: Data(bytes)) } catch {
            throw DistributedError("rank \(rank) sent a fingerprint this harlab cannot read (a different harlab version?): \(error)")
        }
    }
}
