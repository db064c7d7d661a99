import Foundation

/// Loads datasets by name from their original files (or generates the synthetic one), caching the preprocessed arrays.
///
/// Cache: `<dataDirectory>/.cache/<name>-<hash>/` holding `x_train.npy`, `y_train.npy`, `x_test.npy`, `y_test.npy`
/// (NumPy 1.0, `<f4` / `<i8`) and `harlab.json`; the hash covers the source folder and every option that shapes the data.
/// No cache is used without a data directory, with `cache=off`, or for the synthetic and npy datasets. The cache does not
/// notice edits to the source files: reload with `cache=off` (which also leaves the cache as it was) or delete the folder.
public enum DatasetCatalog {
    /// The canonical dataset names.
    public static let names = ["synthetic", "uci-har", "wisdm", "pamap2", "dsads", "opportunity", "npy"]

    /// Short names users may type instead.
    public static let aliases = ["uci": "uci-har", "ucihar": "uci-har", "pamap": "pamap2", "dasa": "dsads", "oppo": "opportunity"]

    /// The canonical name for `name` (case-insensitive, aliases resolved).
    /// - Throws: `DatasetError` listing the known names.
    public static func canonicalName(_ name: String) throws -> String {
        let lower = name.lowercased()
        if names.contains(lower) { return lower }
        if let target = aliases[lower] { return target }
        throw DatasetError("unknown dataset '\(name)': known datasets are \(names.joined(separator: ", "))")
    }

    /// Loads `name` with its reference protocol, overridden by `options`.
    /// - Parameters:
    ///   - name: `synthetic`, `uci-har`/`uci`, `wisdm`, `pamap2`/`pamap`, `dsads`/`dasa`, `opportunity`/`oppo` or `npy`.
    ///   - path: the unpacked archive's folder or the dataset's own folder in it; nil searches `dataDirectory`.
    ///   - options: `window`, `overlap`, `split`, `normalize`, `rate`, `windowing`, `seed`, `validation`, `cache`, `subjects`.
    ///   - dataDirectory: where datasets are looked for and the cache lives.
    /// - Throws: `DatasetError` for an unknown name or option, missing or malformed files, or an impossible protocol.
    public static func load(_ name: String, from path: URL? = nil, options: [String: String] = [:], dataDirectory: URL? = nil) throws -> HARDataset {
        let canonical = try canonicalName(name)
        let parsed = try DatasetOptions(options)
        switch canonical {
        case "synthetic":
            return try DatasetAssembler.assemble(SyntheticDataset.source(seed: parsed.seed), options: parsed)
        case "npy":
            guard parsed.subjects == nil else { throw DatasetError("subjects=: an npy folder holds windows, not subjects' recordings, to keep") }
            guard let folder = path ?? dataDirectory?.appendingPathComponent("npy") else {
                throw DatasetError("load npy needs a folder: load npy from PATH")
            }
            return try NpyFolder.read(folder, options: parsed)
        default:
            let root = try locate(canonical, path: path, dataDirectory: dataDirectory)
            let cacheFolder = dataDirectory.map { cacheLocation(canonical, root: root, options: parsed, dataDirectory: $0) }
            if parsed.cache, let cacheFolder, FileManager.default.fileExists(atPath: cacheFolder.appendingPathComponent(DatasetMetadata.fileName).path) {
                return try NpyFolder.read(cacheFolder)
            }
            let dataset = try DatasetAssembler.assemble(source(canonical, at: root, options: parsed), options: parsed)
            if parsed.cache, let cacheFolder { try NpyFolder.write(dataset, to: cacheFolder) }
            return dataset
        }
    }

    /// Where `name`'s files are in `dataDirectory` (as `load` would find them), or nil when absent; for `datasets`.
    public static func localFolder(_ name: String, dataDirectory: URL) -> URL? {
        guard let canonical = try? canonicalName(name), canonical != "synthetic", canonical != "npy" else { return nil }
        return try? locate(canonical, path: nil, dataDirectory: dataDirectory)
    }

    /// The cache folder of one (dataset, source folder, options) combination.
    public static func cacheLocation(_ name: String, root: URL, options: DatasetOptions, dataDirectory: URL) -> URL {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in "v1|\(name)|\(root.standardizedFileURL.path)|\(options.cacheKey)".utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return dataDirectory.appendingPathComponent(".cache").appendingPathComponent("\(name)-\(String(repeating: "0", count: 16 - hex.count))\(hex)")
    }

    /// The dataset's own folder: `path` (or a known subfolder of it), else a search of `dataDirectory`.
    /// - Throws: `DatasetError` naming where it looked and what it expected.
    static func locate(_ name: String, path: URL?, dataDirectory: URL?) throws -> URL {
        let searched = path.map { [$0] } ?? (dataDirectory.map { directory in [directory] + subfolders(name).map { directory.appendingPathComponent($0) } } ?? [])
        guard !searched.isEmpty else { throw DatasetError("load \(name) needs a folder: load \(name) from PATH, or set a data directory") }
        for folder in searched {
            if let root = root(name, in: folder) { return root }
        }
        throw DatasetError("no \(name) files in \(searched.map { "'\($0.path)'" }.joined(separator: ", ")): expected \(expectation(name)); fetch it with download \(name)")
    }

    /// The dataset's own folder inside `folder`, or nil when its files are not there.
    static func root(_ name: String, in folder: URL) -> URL? {
        switch name {
        case "uci-har": return UCIHARLoader.locate(in: folder)
        case "wisdm": return WISDMLoader.locate(in: folder)
        case "pamap2": return PAMAP2Loader.locate(in: folder)
        case "dsads": return DSADSLoader.locate(in: folder)
        default: return OpportunityLoader.locate(in: folder)
        }
    }

    private static func source(_ name: String, at root: URL, options: DatasetOptions) throws -> DatasetSource {
        let reference = options.windowing == .reference
        switch name {
        case "uci-har": return try UCIHARLoader.source(at: root)
        case "wisdm": return try WISDMLoader.source(at: root)
        case "pamap2": return try PAMAP2Loader.source(at: root, reference: reference)
        case "dsads": return try DSADSLoader.source(at: root)
        default: return try OpportunityLoader.source(at: root, reference: reference)
        }
    }

    /// Folders of the data directory searched for each dataset (where `download` unpacks it).
    private static func subfolders(_ name: String) -> [String] {
        switch name {
        case "uci-har": return ["uci-har", "UCI HAR Dataset"]
        case "wisdm": return ["wisdm", "WISDM_ar_v1.1"]
        case "pamap2": return ["pamap2", "PAMAP2_Dataset"]
        case "dsads": return ["dsads", "daily+and+sports+activities"]
        default: return ["opportunity", "OpportunityUCIDataset"]
        }
    }

    /// What the dataset's files look like, for error messages.
    static func expectation(_ name: String) -> String {
        switch name {
        case "uci-har": return "UCI HAR Dataset/ with activity_labels.txt, train/ and test/"
        case "wisdm": return "WISDM_ar_v1.1/WISDM_ar_v1.1_raw.txt"
        case "pamap2": return "PAMAP2_Dataset/Protocol/subject101.dat…"
        case "dsads": return "data/a01…a19/p1…p8/s01.txt…s60.txt"
        default: return "OpportunityUCIDataset/dataset/S1-ADL1.dat…"
        }
    }
}
