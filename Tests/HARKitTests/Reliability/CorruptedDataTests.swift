import XCTest
@testable import HARKit

/// Every loader against corrupted copies of its fixture: truncated at random offsets, garbage bytes, wrong
/// delimiters, NaN/Inf values, wrong column counts, empty files, a folder where a file should be. Each load
/// either succeeds with finite windows (the loader's documented cleaning) or fails with a `DatasetError`
/// naming the file, and a failed load leaves no cache behind.
///
/// 10 corruptions per dataset by default; `HARLAB_STRESS=1` runs 300. Unreadable permissions are tested as an
/// unprivileged user (as root, the load runs with effective uid `nobody`, since root reads mode-000 files).
final class CorruptedDataTests: IsolatedTestCase {
    /// A corruption applied to one file.
    enum Corruption: String, CaseIterable {
        case truncate, garbage, delimiters, nonFinite, dropColumn, addColumn, empty, folder
    }

    private struct Case {
        let name: String
        let fixture: String
        let options: [String: String]
    }

    private let cases = [
        Case(name: "uci-har", fixture: "uci-har", options: ["validation": "0", "normalize": "off", "cache": "on"]),
        Case(name: "wisdm", fixture: "wisdm", options: ["validation": "0", "normalize": "off"]),
        Case(name: "pamap2", fixture: "pamap2", options: ["window": "20", "overlap": "0.5", "split": "subjects:105", "validation": "0", "normalize": "off"]),
        Case(name: "opportunity", fixture: "opportunity", options: ["validation": "0", "normalize": "off"]),
        Case(name: "dsads", fixture: "", options: ["window": "4", "overlap": "0.5", "split": "subjects:3", "validation": "0", "normalize": "off"]),
        Case(name: "npy", fixture: "npy", options: [:]),
    ]

    func testCorruptedFilesGiveAnErrorNamingTheFileAndLeaveNoCache() throws {
        let trials = StressCount.value(quick: 10, full: 300)
        var random = SeededGenerator(seed: 20_261_129, stream: 7)
        var tally: [String: (loaded: Int, rejected: Int, withLine: Int)] = [:]
        var problems: [String] = []
        for testCase in cases {
            let pristine = try copyOfFixture(testCase)
            defer { try? FileManager.default.removeItem(at: pristine) }
            let files = try dataFiles(in: pristine)
            XCTAssertFalse(files.isEmpty, testCase.name)
            for trial in 0..<trials {
                let folder = try DatasetsTestSupport.temporaryFolder("corrupt-\(testCase.name)")
                let dataDirectory = try DatasetsTestSupport.temporaryFolder("corrupt-data")
                defer { try? FileManager.default.removeItem(at: folder); try? FileManager.default.removeItem(at: dataDirectory) }
                try FileManager.default.removeItem(at: folder)
                try FileManager.default.copyItem(at: pristine, to: folder)
                let relative = files[Int(random.next() % UInt64(files.count))]
                let target = folder.appendingPathComponent(relative)
                let corruption = Corruption.allCases[trial % Corruption.allCases.count]
                try corrupt(target, with: corruption, using: &random)
                let label = "\(testCase.name) trial \(trial) \(corruption.rawValue) \(relative)"
                // HARLAB_VERBOSE=1 names each trial before it runs, to find one that crashes the process.
                if ProcessInfo.processInfo.environment["HARLAB_VERBOSE"] != nil { FileHandle.standardError.write(Data((label + "\n").utf8)) }
                do {
                    let data = try DatasetCatalog.load(testCase.name, from: folder, options: testCase.options, dataDirectory: dataDirectory)
                    tally[testCase.name, default: (0, 0, 0)].loaded += 1
                    if let bad = data.windows.firstIndex(where: { !$0.isFinite }) {
                        problems.append("\(label): loaded with a non-finite value at \(bad)")
                    }
                } catch let error as DatasetError {
                    tally[testCase.name, default: (0, 0, 0)].rejected += 1
                    let message = error.message
                    let fileName = target.lastPathComponent, folderName = target.deletingLastPathComponent().lastPathComponent
                    if !message.contains(fileName), !message.contains(folderName) {
                        problems.append("\(label): error does not name the file: \(message.prefix(300))")
                    }
                    if message.contains("line ") { tally[testCase.name, default: (0, 0, 0)].withLine += 1 }
                    let cache = dataDirectory.appendingPathComponent(".cache")
                    if let left = try? FileManager.default.contentsOfDirectory(atPath: cache.path), !left.isEmpty {
                        problems.append("\(label): a failed load left a cache: \(left)")
                    }
                } catch {
                    problems.append("\(label): not a DatasetError: \(error)")
                }
            }
        }
        print("corrupted data: " + cases.map { c in
            let t = tally[c.name, default: (0, 0, 0)]
            return "\(c.name) \(t.loaded + t.rejected) (\(t.rejected) rejected, \(t.withLine) naming a line, \(t.loaded) loaded after cleaning)"
        }.joined(separator: "; "))
        XCTAssertTrue(problems.isEmpty, problems.joined(separator: "\n"))
    }

    func testUnreadableFileIsAClearError() throws {
        let pristine = try copyOfFixture(cases[1])
        defer { try? FileManager.default.removeItem(at: pristine) }
        // A folder every user can traverse (the test's TMPDIR may be private), so that only the file's mode stops the reader.
        let folder = URL(fileURLWithPath: "/tmp/harlab-unreadable-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: pristine, to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        for path in [""] + (FileManager.default.subpaths(atPath: folder.path) ?? []) {
            var isFolder: ObjCBool = false
            let item = folder.appendingPathComponent(path)
            if FileManager.default.fileExists(atPath: item.path, isDirectory: &isFolder), isFolder.boolValue {
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: item.path)
            }
        }
        let file = try XCTUnwrap(try dataFiles(in: folder).first)
        let url = folder.appendingPathComponent(file)
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: url.path)
        // Root reads mode-000 files, so as root the load runs as the unprivileged user `nobody` (effective uid 65534).
        let asRoot = geteuid() == 0
        if asRoot, seteuid(65534) != 0 { throw XCTSkip("running as root and cannot switch to uid 65534 to make a file unreadable") }
        defer { if asRoot { _ = seteuid(0) } }
        XCTAssertNotEqual(geteuid(), 0)
        XCTAssertThrowsError(try DatasetCatalog.load("wisdm", from: folder)) { error in
            XCTAssertTrue("\(error)".contains(url.lastPathComponent), "\(error)")
        }
    }

    /// A private copy of the dataset's fixture (DSADS: two activities × three subjects × two segments, generated).
    private func copyOfFixture(_ testCase: Case) throws -> URL {
        let copy = try DatasetsTestSupport.temporaryFolder("pristine-\(testCase.name)")
        guard !testCase.fixture.isEmpty else {
            for a in 1...2 {
                for p in 1...3 {
                    for s in 1...2 {
                        let rows = (0..<5).map { r in (0..<45).map { c in String(Double(a * 1000 + p * 100 + s * 10 + r) + Double(c) / 100) }.joined(separator: ",") }
                        try DatasetsTestSupport.write(rows.joined(separator: "\n") + "\n", to: String(format: "data/a%02d/p%d/s%02d.txt", a, p, s), in: copy)
                    }
                }
            }
            return copy
        }
        try FileManager.default.removeItem(at: copy)
        let source = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent(testCase.fixture)
        try FileManager.default.copyItem(at: source, to: copy)
        return copy
    }

    /// The data files of a fixture (not its README, expected values or generator script), relative to it.
    private func dataFiles(in folder: URL) throws -> [String] {
        let enumerator = try XCTUnwrap(FileManager.default.enumerator(atPath: folder.path))
        return enumerator.compactMap { $0 as? String }.filter { path in
            var isFolder: ObjCBool = false
            FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isFolder)
            let name = (path as NSString).lastPathComponent
            return !isFolder.boolValue && !["README.md", "expected.json"].contains(name) && !name.hasSuffix(".py")
        }.sorted()
    }

    private func corrupt(_ url: URL, with corruption: Corruption, using random: inout SeededGenerator) throws {
        var data = try Data(contentsOf: url)
        func offset() -> Int { data.isEmpty ? 0 : Int(random.next() % UInt64(data.count)) }
        switch corruption {
        case .truncate:
            data = data.prefix(offset())
        case .garbage:
            let start = offset()
            for i in start..<min(data.count, start + 1 + Int(random.next() % 64)) { data[i] = UInt8(truncatingIfNeeded: random.next()) }
        case .delimiters:
            let text = String(decoding: data, as: UTF8.self)
            let swapped = text.contains(",") ? text.replacingOccurrences(of: ",", with: ";") : text.replacingOccurrences(of: " ", with: "\t,")
            data = Data(swapped.utf8)
        case .nonFinite, .dropColumn, .addColumn:
            guard url.pathExtension != "npy" else {
                // Binary arrays: a NaN/Inf float, or a header that no longer matches the data.
                let header = Int(data.count > 10 ? UInt16(data[8]) | UInt16(data[9]) << 8 : 0) + 10
                if corruption == .nonFinite, data.count >= header + 4 {
                    let at = header + (offset() % max(1, (data.count - header) / 4)) * 4
                    let bits = (random.next() % 2 == 0 ? Float.nan : Float.infinity).bitPattern
                    for k in 0..<4 where at + k < data.count { data[at + k] = UInt8(truncatingIfNeeded: bits >> (8 * k)) }
                } else {
                    data = corruption == .dropColumn ? data.dropLast(4) : data + Data(repeating: 0, count: 4)
                }
                break
            }
            var lines = String(decoding: data, as: UTF8.self).components(separatedBy: "\n")
            let nonEmpty = lines.indices.filter { !lines[$0].trimmingCharacters(in: .whitespaces).isEmpty }
            guard let line = nonEmpty.isEmpty ? nil : nonEmpty[Int(random.next() % UInt64(nonEmpty.count))] else { break }
            let separator = lines[line].contains(",") ? "," : " "
            var fields = lines[line].components(separatedBy: separator)
            let nonEmptyFields = fields.indices.filter { !fields[$0].isEmpty }
            let field = nonEmptyFields.isEmpty ? 0 : nonEmptyFields[Int(random.next() % UInt64(nonEmptyFields.count))]
            switch corruption {
            case .nonFinite: fields[field] = ["NaN", "nan", "inf", "-Infinity", "1e999", "-1e999"][Int(random.next() % 6)]
            case .dropColumn: fields.remove(at: field)
            default: fields.insert("1.5", at: field)
            }
            lines[line] = fields.joined(separator: separator)
            data = Data(lines.joined(separator: "\n").utf8)
        case .empty:
            data = Data()
        case .folder:
            try FileManager.default.removeItem(at: url)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
            return
        }
        try data.write(to: url)
    }
}

/// The count of a reliability loop: small in CI, full with `HARLAB_STRESS=1`.
enum StressCount {
    static func value(quick: Int, full: Int) -> Int {
        ["1", "yes", "true", "on"].contains(ProcessInfo.processInfo.environment["HARLAB_STRESS"]?.lowercased() ?? "") ? full : quick
    }
}
