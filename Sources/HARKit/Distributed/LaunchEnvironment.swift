import Foundation

/// The launch contract of a distributed job, as PyTorch's `env://` initialisation, `torchrun` and Kubeflow's
/// PyTorchJob set it: `MASTER_ADDR`, `MASTER_PORT`, `RANK`, `WORLD_SIZE` (and `LOCAL_RANK` when present).
/// harlab's own knobs: `HARLAB_DIST_TIMEOUT` (seconds every rendezvous and collective may wait; default 30) and
/// PyTorch's `GLOO_SOCKET_IFNAME` (the network interface Gloo binds to). Under `torchrun`
/// (`TORCHELASTIC_USE_AGENT_STORE=True`) the launcher's agent hosts the store and every rank joins it, as PyTorch's
/// own workers do.
public struct LaunchEnvironment: Sendable, Equatable {
    /// The address of the host of rank 0 (where the store listens).
    public var masterAddress: String
    /// The store's port.
    public var masterPort: Int
    /// This process's rank, 0..<worldSize.
    public var rank: Int
    /// The number of ranks.
    public var worldSize: Int
    /// This process's rank on its machine, when the launcher said.
    public var localRank: Int?
    /// The number of ranks on this machine, when the launcher said (`LOCAL_WORLD_SIZE`).
    public var localWorldSize: Int?
    /// The bound on every wait: joining, rendezvous and each collective.
    public var timeout: TimeInterval
    /// The network interface Gloo binds to, when given.
    public var interface: String?
    /// The key prefix of this attempt's workers when a launcher's agent hosts the store (`torchrun`), as PyTorch's
    /// `env://` uses it (`/worker/attempt_N`); nil when rank 0 hosts the store.
    public var agentStorePrefix: String?

    /// The default bound on every wait, in seconds (Gloo's own default is 30 minutes).
    public static let defaultTimeout: TimeInterval = 30

    /// The variables of the contract.
    public static let variables = ["MASTER_ADDR", "MASTER_PORT", "RANK", "WORLD_SIZE"]

    /// The job `environment` describes; nil when none of its variables is set (a plain, single-process `har`).
    /// - Throws: `DistributedError` naming the variable that is missing or has a wrong value.
    public static func from(_ environment: [String: String]) throws -> LaunchEnvironment? {
        let present = variables.filter { environment[$0] != nil }
        guard !present.isEmpty else { return nil }
        let missing = variables.filter { environment[$0] == nil }
        guard missing.isEmpty else {
            throw DistributedError("a distributed job needs \(variables.joined(separator: ", ")); \(present.joined(separator: ", ")) "
                                   + "\(present.count == 1 ? "is" : "are") set but \(missing.joined(separator: ", ")) \(missing.count == 1 ? "is" : "are") not")
        }
        func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int {
            let text = environment[name] ?? ""
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
                throw DistributedError("\(name)=\(text) is not a whole number in \(range.lowerBound)...\(range.upperBound)")
            }
            return value
        }
        let address = environment["MASTER_ADDR"] ?? ""
        guard !address.trimmingCharacters(in: .whitespaces).isEmpty else { throw DistributedError("MASTER_ADDR is empty") }
        let worldSize = try integer("WORLD_SIZE", in: 1...65_536)
        let rank = try integer("RANK", in: 0...65_535)
        guard rank < worldSize else {
            throw DistributedError("RANK=\(rank) is not below WORLD_SIZE=\(worldSize): ranks are 0...\(worldSize - 1)")
        }
        var timeout = defaultTimeout
        if let text = environment["HARLAB_DIST_TIMEOUT"] {
            guard let seconds = Double(text), seconds.isFinite, seconds > 0 else {
                throw DistributedError("HARLAB_DIST_TIMEOUT=\(text) is not a positive number of seconds")
            }
            timeout = seconds
        }
        return LaunchEnvironment(
            masterAddress: address, masterPort: try integer("MASTER_PORT", in: 1...65_535), rank: rank, worldSize: worldSize,
            localRank: try environment["LOCAL_RANK"].map { _ in try integer("LOCAL_RANK", in: 0...65_535) },
            localWorldSize: try environment["LOCAL_WORLD_SIZE"].map { _ in try integer("LOCAL_WORLD_SIZE", in: 1...65_536) },
            timeout: timeout, interface: environment["GLOO_SOCKET_IFNAME"].flatMap { $0.isEmpty ? nil : $0 },
            agentStorePrefix: environment["TORCHELASTIC_USE_AGENT_STORE"] == "True"
                ? "/worker/attempt_\(try environment["TORCHELASTIC_RESTART_COUNT"].map { _ in try integer("TORCHELASTIC_RESTART_COUNT", in: 0...65_535) } ?? 0)"
                : nil)
    }

    /// How many ranks of the job run on this machine: `LOCAL_WORLD_SIZE` when the launcher says (torchrun does), all
    /// of them when the master is on loopback (a job on one machine), else one.
    public var ranksOnThisMachine: Int {
        localWorldSize ?? (isLoopback ? worldSize : 1)
    }

    /// Whether the master address is this machine's loopback (Gloo then binds to loopback too).
    public var isLoopback: Bool {
        masterAddress == "localhost" || masterAddress == "::1" || masterAddress.hasPrefix("127.")
    }
}
