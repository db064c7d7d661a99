import XCTest
@testable import HARKit
import TestSupport

/// Every loader against corrupted copies of its fixture: truncated at random offsets, garbage bytes, wrong
/// delimiters, NaN/Inf values, wrong column counts, empty files, a folder where a file should be. Each load
/// either fails with a `DatasetError` naming the file (and leaves no cache behind), or succeeds with exactly what
/// the uncorrupted part of the files holds: the windows (labels, subjects, splits, values bit for bit) of the same
/// load with the corrupted file cut down to its intact lines (WISDM: its intact records), or removed where a folder
/// replaced it. (It used to accept any load with finite values, so a loader that silently dropped the rest of a
/// file, or kept a half-overwritten line, passed.) Broken version tried: PAMAP2Loader returning no recordings for a
/// subject file it cannot parse instead of throwing: the old test passed (6 of 10 PAMAP2 trials "loaded after
/// cleaning"), this one fails naming the 6–8 windows of the uncorrupted part that are missing.
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
        var tally: [String: (loaded: Int, rejected: Int, withLine: Int, matched: Int)] = [:]
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
                    tally[testCase.name, default: (0, 0, 0, 0)].loaded += 1
                    if let bad = data.windows.firstIndex(where: { !$0.isFinite }) {
                        problems.append("\(label): loaded with a non-finite value at \(bad)")
                    }
                    // A load that succeeds must hold exactly what the uncorrupted part of the files holds: the same
                    // dataset loaded with the corrupted file cut down to its intact part gives the same windows.
                    if let difference = try differenceFromUncorruptedPart(data, testCase: testCase, pristine: pristine, file: relative,
                                                                           corrupted: target, corruption: corruption) {
                        problems.append("\(label): loaded, but \(difference)")
                    } else {
                        tally[testCase.name, default: (0, 0, 0, 0)].matched += 1
                    }
                } catch let error as DatasetError {
                    tally[testCase.name, default: (0, 0, 0, 0)].rejected += 1
                    let message = error.message
                    let fileName = target.lastPathComponent, folderName = target.deletingLastPathComponent().lastPathComponent
                    if !message.contains(fileName), !message.contains(folderName) {
                        problems.append("\(label): error does not name the file: \(message.prefix(300))")
                    }
                    if message.contains("line ") { tally[testCase.name, default: (0, 0, 0, 0)].withLine += 1 }
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
            let t = tally[c.name, default: (0, 0, 0, 0)]
            return "\(c.name) \(t.loaded + t.rejected) (\(t.rejected) rejected, \(t.withLine) naming a line, \(t.loaded) loaded after cleaning, \(t.matched) of them equal to the uncorrupted part)"
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

    /// Why `data` (loaded from the corrupted copy) is not what the uncorrupted part holds, or nil when it is.
    ///
    /// The uncorrupted part: the corrupted text file cut down to the lines (WISDM: the `;`-terminated records) the
    /// corruption left as they were; for a NaN/Inf written into a field, the file with that field a gap (`NaN`, the
    /// formats' own missing value, which the loaders fill or drop as documented); nothing where a folder replaced the
    /// file. A binary array (npy) holds its bytes: only windows whose bytes changed may differ from the pristine load.
    /// Where the uncorrupted part alone is no loadable dataset (a line of activity_labels.txt gone), the load must
    /// equal the pristine one: the corruption may have touched only text the loader takes as given (a class name).
    private func differenceFromUncorruptedPart(_ data: HARDataset, testCase: Case, pristine: URL, file: String, corrupted: URL,
                                               corruption: Corruption) throws -> String? {
        let options = testCase.options.merging(["cache": "off"]) { $1 }
        let original = try Data(contentsOf: pristine.appendingPathComponent(file))
        if file.hasSuffix(".npy") {
            let changed = try Data(contentsOf: corrupted)
            let reference = try DatasetCatalog.load(testCase.name, from: pristine, options: options)
            let differing = changed.count == original.count ? zip(changed, original).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset) : []
            let header = original.count > 10 ? 10 + (Int(original[8]) | Int(original[9]) << 8) : original.count
            // x_*.npy holds float32 windows, y_*.npy one int64 label per window: a changed element changes one window.
            let bytesPerWindow = file.hasPrefix("x_") ? 4 * reference.windowSize : 8
            let bound = changed.count == original.count ? Set(differing.filter { $0 >= header }.map { ($0 - header) / bytesPerWindow }).count : 0
            return compare(data, with: reference, allowedChanges: bound, what: "the pristine load (the file's other bytes are as they were)")
        }
        // The uncorrupted part, in each form the documented cleaning may give it (a non-finite value as a gap, or its
        // line or record dropped).
        let corruptedBytes = corruption == .folder ? Data() : try Data(contentsOf: corrupted)
        let removed = uncorruptedPart(of: original, corrupted: corruptedBytes, recordsEndWithSemicolons: testCase.name == "wisdm")
        let forms: [Data?] = corruption == .folder ? [nil] : corruption == .empty ? [Data()]
            : corruption == .nonFinite ? [withGaps(corruptedBytes), removed] : [removed]
        var differences: [String] = []
        var loadable = false
        for form in forms {
            let intact = try DatasetsTestSupport.temporaryFolder("intact-\(testCase.name)")
            defer { try? FileManager.default.removeItem(at: intact) }
            try FileManager.default.removeItem(at: intact)
            try FileManager.default.copyItem(at: pristine, to: intact)
            let target = intact.appendingPathComponent(file)
            if let form { try form.write(to: target) } else { try FileManager.default.removeItem(at: target) }
            guard let expected = try? DatasetCatalog.load(testCase.name, from: intact, options: options) else { continue }
            loadable = true
            guard let difference = compare(data, with: expected, allowedChanges: 0, what: "the uncorrupted part") else { return nil }
            differences.append(difference)
        }
        if !loadable {
            let reference = try DatasetCatalog.load(testCase.name, from: pristine, options: options)
            return compare(data, with: reference, allowedChanges: 0, what: "the pristine load (the uncorrupted part alone does not load)")
        }
        let before = String(decoding: original, as: UTF8.self).components(separatedBy: "\n")
        let after = String(decoding: corruptedBytes, as: UTF8.self).components(separatedBy: "\n")
        let line = zip(before, after).first { $0 != $1 }.map { "; first changed line '\($0.prefix(120))' → '\($1.prefix(120))'" } ?? ""
        return differences.joined(separator: "; or ") + line
    }

    /// Nil when `data` has the windows of `expected` (label, subject, split, values bit for bit), up to
    /// `allowedChanges` windows changed in place; else what differs.
    private func compare(_ data: HARDataset, with expected: HARDataset, allowedChanges: Int, what: String) -> String? {
        func key(_ d: HARDataset, _ n: Int) -> [UInt32] {
            [UInt32(d.labels[n]), UInt32(truncatingIfNeeded: d.subjects[n]), d.splits[n] == .train ? 0 : d.splits[n] == .validation ? 1 : 2]
                + d.windows[(n * d.windowSize)..<((n + 1) * d.windowSize)].map(\.bitPattern)
        }
        guard data.windowSize == expected.windowSize else { return "windows of \(data.windowSize) values where \(what) has \(expected.windowSize)" }
        var unmatched = (0..<expected.count).map { key(expected, $0) }
        var extra = 0
        for n in 0..<data.count {
            if let k = unmatched.firstIndex(of: key(data, n)) { unmatched.remove(at: k) } else { extra += 1 }
        }
        if data.count == expected.count, extra <= allowedChanges { return nil }
        return "\(data.count) windows where \(what) gives \(expected.count): \(extra) not in it, \(unmatched.count) of it missing"
    }

    /// The text with every non-finite number (NaN, inf, 1e999, …) written as `NaN`.
    private func withGaps(_ data: Data) -> Data {
        let lines = String(decoding: data, as: UTF8.self).components(separatedBy: "\n").map { line -> String in
            let separator = line.contains(",") ? "," : " "
            return line.components(separatedBy: separator).map { field in
                let bare = field.trimmingCharacters(in: CharacterSet(charactersIn: ";"))
                guard let value = Double(bare), !value.isFinite else { return field }
                return field.replacingOccurrences(of: bare, with: "NaN")
            }.joined(separator: separator)
        }
        return Data(lines.joined(separator: "\n").utf8)
    }

    /// The intact part of a text file: the lines (WISDM: the `;`-terminated records) that the corruption left as they
    /// were, in order. Units are matched from both ends, so what lies between the first and the last changed one (a
    /// truncated tail, an overwritten run of bytes, a changed field) is left out.
    private func uncorruptedPart(of original: Data, corrupted: Data, recordsEndWithSemicolons: Bool) -> Data {
        func units(_ data: Data) -> [String] {
            let text = String(decoding: data, as: UTF8.self)
            guard recordsEndWithSemicolons else { return text.components(separatedBy: "\n") }
            return text.components(separatedBy: CharacterSet(charactersIn: ";\n"))
        }
        let before = units(original), after = units(corrupted)
        var head = 0
        while head < min(before.count, after.count), before[head] == after[head] { head += 1 }
        var tail = 0
        while tail < min(before.count, after.count) - head, before[before.count - 1 - tail] == after[after.count - 1 - tail] { tail += 1 }
        let kept = Array(before[..<head]) + Array(before[(before.count - tail)...])
        let separator = recordsEndWithSemicolons ? ";\n" : "\n"
        return Data(kept.filter { !$0.isEmpty }.map { $0 + separator }.joined().utf8)
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
            guard FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isFolder) else { return false }
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
