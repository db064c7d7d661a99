// swift-tools-version:6.0
// harlab: a Swift workbench for deep-learning human activity recognition on libtorch.
import PackageDescription
import Foundation

/// libtorch comes from Debian's `libtorch-dev` unless `LIBTORCH` names another
/// installation: a folder holding `include/` and `lib/` (a libtorch zip, or a
/// PyTorch wheel's `torch/` folder).
let libtorch = ProcessInfo.processInfo.environment["LIBTORCH"]
let torchIncludes = libtorch.map { ["-I\($0)/include", "-I\($0)/include/torch/csrc/api/include"] }
    ?? ["-I/usr/include/torch/csrc/api/include"]
/// With LIBTORCH the libraries are linked by full path: the Swift driver puts the system library folder
/// first on the search path, where Debian's libtorch would otherwise win.
let torchLinkFlags = libtorch.map { root in
    ["torch_cpu", "c10", "torch"].flatMap { ["-Xlinker", "\(root)/lib/lib\($0).so"] } + ["-Xlinker", "-rpath", "-Xlinker", "\(root)/lib"]
} ?? []
let torchLibraries: [LinkerSetting] = libtorch == nil
    ? [.linkedLibrary("torch_cpu"), .linkedLibrary("c10"), .linkedLibrary("torch")] : []
/// The recurrent layers' matrix products run on oneDNN's sgemm (Sources/CTorch/ctorch_gemm.h) where Debian's libtorch,
/// which links the system's libdnnl, is used and `libdnnl-dev` provides its header (scripts/setup.sh installs it);
/// otherwise on ATen's `mm`.
let onednnGemm = libtorch == nil && FileManager.default.fileExists(atPath: "/usr/include/dnnl.h")
/// The fused kernels' AVX2/AVX-512 copies compute the LSTM cell's exp and tanh with Sleef's vector functions, as
/// libtorch's own kernels do, where `libsleef-dev` (which scripts/setup.sh installs) provides the library to link.
let linksSleef = ["/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib"].contains {
    FileManager.default.fileExists(atPath: "\($0)/libsleef.so")
}
/// libtorch 2.x headers from about 2.10 on require C++20; Debian's 1.13 only compiles as C++17.
let torchNeedsCxx20 = libtorch.map {
    (try? String(contentsOfFile: "\($0)/include/torch/csrc/api/include/torch/all.h", encoding: .utf8))?.contains("C++20") ?? false
} ?? false

let package = Package(
    name: "harlab",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "har", targets: ["har"]),
        .executable(name: "har-bench", targets: ["har-bench"]),
        .library(name: "HARKit", targets: ["HARKit"]),
        .library(name: "Torch", targets: ["Torch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        // ONNX models and TensorBoard event files are protobuf messages; their Swift code is generated once and
        // committed (see the header of each *.pb.swift), so no build runs the protoc plugin.
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.30.0"),
    ],
    targets: [
        .target(
            name: "CTorch",
            cxxSettings: [.unsafeFlags(torchIncludes + ["-O2", "-Wno-deprecated-declarations"])]
                + (onednnGemm ? [.define("CTORCH_ONEDNN_GEMM", to: "1")] : [])
                + (linksSleef ? [.define("CTORCH_LINKS_SLEEF", to: "1")] : []),
            linkerSettings: [.unsafeFlags(torchLinkFlags)] + torchLibraries + (onednnGemm ? [.linkedLibrary("dnnl")] : [])
                + (linksSleef ? [.linkedLibrary("sleef")] : [])
        ),
        .target(name: "FileSupport"),
        .target(name: "Torch", dependencies: ["CTorch", "FileSupport"]),
        .target(
            name: "HARKit",
            dependencies: [
                "Torch",
                "FileSupport",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        // The shell stands on HARKit (plus file utilities), never on Torch or CTorch: LayeringTests holds it there.
        .target(name: "HARShell", dependencies: ["HARKit", "FileSupport"]),
        .target(name: "CLineEdit", linkerSettings: [.linkedLibrary("edit")]),
        .executableTarget(
            name: "har",
            dependencies: ["HARShell", "CLineEdit"]
        ),
        .executableTarget(
            name: "har-bench",
            dependencies: ["HARKit", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "FileSupportTests", dependencies: ["FileSupport", "TestSupport"]),
        // What every libtorch-using test target shares: the time limit and the libtorch-state check of each test.
        .target(name: "TestSupport", dependencies: ["Torch"], path: "Tests/Support"),
        .testTarget(name: "TorchTests", dependencies: ["Torch", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "HARKitTests", dependencies: ["HARKit", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "HARShellTests", dependencies: ["HARShell", "TestSupport"]),
    ],
    swiftLanguageModes: [.v5],
    cxxLanguageStandard: torchNeedsCxx20 ? .cxx20 : .cxx17
)
