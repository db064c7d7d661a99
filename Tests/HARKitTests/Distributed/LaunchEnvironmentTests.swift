import XCTest
@testable import HARKit
import TestSupport

/// The launch contract (`MASTER_ADDR`, `MASTER_PORT`, `RANK`, `WORLD_SIZE`, `LOCAL_RANK`) read from an environment,
/// and each wrong value named.
final class LaunchEnvironmentTests: IsolatedTestCase {
    private let job = ["MASTER_ADDR": "10.0.0.7", "MASTER_PORT": "29500", "RANK": "1", "WORLD_SIZE": "4"]

    func testNoVariablesMeansNoJob() throws {
        XCTAssertNil(try LaunchEnvironment.from(["HOME": "/tmp"]))
    }

    func testAFullContractIsRead() throws {
        var environment = job
        environment["LOCAL_RANK"] = "1"
        environment["HARLAB_DIST_TIMEOUT"] = "7.5"
        environment["GLOO_SOCKET_IFNAME"] = "eth1"
        environment["LOCAL_WORLD_SIZE"] = "2"
        let launch = try XCTUnwrap(LaunchEnvironment.from(environment))
        XCTAssertEqual(launch, LaunchEnvironment(masterAddress: "10.0.0.7", masterPort: 29500, rank: 1, worldSize: 4, localRank: 1, localWorldSize: 2,
                                                 timeout: 7.5, interface: "eth1", agentStorePrefix: nil))
        XCTAssertFalse(launch.isLoopback)
        XCTAssertEqual(launch.ranksOnThisMachine, 2)
        var local = job
        local["MASTER_ADDR"] = "127.0.0.1"
        XCTAssertEqual(try LaunchEnvironment.from(local)?.ranksOnThisMachine, 4, "a loopback job runs every rank here")
        XCTAssertEqual(try LaunchEnvironment.from(job)?.timeout, LaunchEnvironment.defaultTimeout)
    }

    /// Under torchrun the agent hosts the store: every rank joins it under PyTorch's per-attempt prefix.
    func testTorchrunsAgentStoreIsJoinedUnderTheAttemptsPrefix() throws {
        var environment = job
        environment["TORCHELASTIC_USE_AGENT_STORE"] = "True"
        environment["TORCHELASTIC_RESTART_COUNT"] = "2"
        XCTAssertEqual(try LaunchEnvironment.from(environment)?.agentStorePrefix, "/worker/attempt_2")
    }

    /// Ranks on one machine share its threads; a count the user gave through OMP_NUM_THREADS stays.
    func testRanksOnOneMachineShareItsThreads() {
        let machine = ThreadBudget.resolve(ompNumThreads: nil, affinityCPUs: 8, cgroupLimit: nil)
        XCTAssertEqual(machine.shared(by: 3).count, 2)
        XCTAssertTrue(machine.shared(by: 3).reason.hasSuffix("shared by 3 ranks on this machine"))
        XCTAssertEqual(machine.shared(by: 16).count, 1)
        XCTAssertEqual(machine.shared(by: 1), machine)
        let asked = ThreadBudget.resolve(ompNumThreads: "1", affinityCPUs: 8, cgroupLimit: nil)
        XCTAssertEqual(asked.shared(by: 2), asked)
    }

    func testAMissingVariableIsNamed() {
        var environment = job
        environment.removeValue(forKey: "WORLD_SIZE")
        XCTAssertThrowsError(try LaunchEnvironment.from(environment)) { error in
            XCTAssertTrue("\(error)".contains("but WORLD_SIZE is not"), "\(error)")
        }
    }

    func testWrongValuesAreNamed() {
        let cases: [(String, String, String)] = [
            ("RANK", "4", "RANK=4 is not below WORLD_SIZE=4"), ("RANK", "-1", "RANK=-1 is not a whole number"),
            ("WORLD_SIZE", "0", "WORLD_SIZE=0 is not a whole number in 1...65536"), ("MASTER_PORT", "70000", "MASTER_PORT=70000"),
            ("MASTER_PORT", "http", "MASTER_PORT=http"), ("MASTER_ADDR", " ", "MASTER_ADDR is empty"),
            ("HARLAB_DIST_TIMEOUT", "0", "HARLAB_DIST_TIMEOUT=0 is not a positive number"), ("LOCAL_RANK", "x", "LOCAL_RANK=x"),
        ]
        for (name, value, expected) in cases {
            var environment = job
            environment[name] = value
            XCTAssertThrowsError(try LaunchEnvironment.from(environment), "\(name)=\(value)") { error in
                XCTAssertTrue("\(error)".contains(expected), "\(name)=\(value): \(error)")
            }
        }
    }

    func testFingerprintsNameTheFirstFieldThatDiffers() throws {
        let dataset = try DatasetCatalog.load("synthetic", options: ["window": "32", "overlap": "0", "seed": "1"])
        let other = try DatasetCatalog.load("synthetic", options: ["window": "32", "overlap": "0", "seed": "2"])
        let spec = try ModelSpec("sa", options: ["width": "2", "depth": "1"])
        let mine = try JobFingerprint.training(dataset: dataset, model: spec, config: TrainingConfig())
        XCTAssertNil(mine.difference(from: try JobFingerprint.training(dataset: dataset, model: spec, config: TrainingConfig()), rank: 0, otherRank: 1))
        let theirs = try JobFingerprint.training(dataset: other, model: spec, config: TrainingConfig())
        let difference = try XCTUnwrap(mine.difference(from: theirs, rank: 0, otherRank: 1))
        XCTAssertTrue(difference.hasPrefix("rank 1's dataset does not match rank 0's: rank 0 has synthetic"), difference)
        var config = TrainingConfig()
        config.threads = 7
        config.tensorBoardDirectory = "/elsewhere"
        XCTAssertNil(mine.difference(from: try JobFingerprint.training(dataset: dataset, model: spec, config: config), rank: 0, otherRank: 1),
                     "threads and the TensorBoard folder may differ between machines")
        config.learningRate = 0.1
        let settings = mine.difference(from: try JobFingerprint.training(dataset: dataset, model: spec, config: config), rank: 0, otherRank: 2)
        XCTAssertTrue(settings?.hasPrefix("rank 2's training settings does not match rank 0's") == true, settings ?? "no difference")
    }
}
