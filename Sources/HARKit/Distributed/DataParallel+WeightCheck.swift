import Torch

extension DataParallel {
    /// Compares the ranks' weights (a checksum of `model`'s parameters, bitwise, gathered from every rank): nil when
    /// every rank holds rank 0's, else which ranks differ, in words with the checksums
    /// (`the weights of rank 1 differ from rank 0's (checksums [9f…, 3a…])`). Every rank gets the same answer.
    /// - Parameter doing: what the comparison is for, for the message of a collective that fails.
    /// - Throws: `DistributedError` when a rank fails meanwhile.
    public func differingWeights(of model: any HARModel, doing: String) throws -> String? {
        let mine = try Tensor([Int64(bitPattern: try Tensor.checksum(of: model.parameters))])
        let all = try collective(doing) { try group.allGather(mine) }
        let sums = try all.scalars(as: Int64.self)
        let differing = sums.indices.filter { sums[$0] != sums[0] }
        guard !differing.isEmpty else { return nil }
        return "the weights of rank \(differing.map(String.init).joined(separator: ", ")) differ from rank 0's "
            + "(checksums \(sums.map { String(UInt64(bitPattern: $0), radix: 16) }))"
    }
}
