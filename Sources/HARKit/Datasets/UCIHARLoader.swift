import Foundation

/// UCI Human Activity Recognition Using Smartphones (UCI #240): `UCI HAR Dataset/`, already cut into 128-sample windows (50 Hz, 50 % overlap).
///
/// Nine channels in the order body_acc x y z, body_gyro x y z, total_acc x y z (the reference tool reads body_gyro_x three
/// times; harlab reads each axis). The official split is the publisher's train/ and test/ folders (21 and 9 subjects);
/// class names come from `activity_labels.txt`. Windowing modes are the same here: the windows are the publisher's.
enum UCIHARLoader {
    /// Signal file stems, in channel order.
    static let signals = ["body_acc_x", "body_acc_y", "body_acc_z", "body_gyro_x", "body_gyro_y", "body_gyro_z", "total_acc_x", "total_acc_y", "total_acc_z"]

    /// The `UCI HAR Dataset` folder: `folder` itself or its `UCI HAR Dataset/`.
    static func locate(in folder: URL) -> URL? {
        for candidate in [folder, folder.appendingPathComponent("UCI HAR Dataset")]
        where FileManager.default.fileExists(atPath: candidate.appendingPathComponent("activity_labels.txt").path) {
            return candidate
        }
        return nil
    }

    /// Reads both parts; every publisher window is one recording of 128 samples.
    /// - Throws: `DatasetError` naming the file (and line) of a missing file, a short line, mismatched counts or an unknown label.
    static func source(at root: URL) throws -> DatasetSource {
        let (ids, names) = try activityLabels(root.appendingPathComponent("activity_labels.txt"))
        var recordings = [Recording]()
        for part in ["train", "test"] {
            let folder = root.appendingPathComponent(part)
            let labelFile = folder.appendingPathComponent("y_\(part).txt"), subjectFile = folder.appendingPathComponent("subject_\(part).txt")
            let labels = try integers(labelFile), subjects = try integers(subjectFile)
            guard labels.count == subjects.count else {
                throw DatasetError.at(subjectFile, "\(subjects.count) lines, but \(labelFile.lastPathComponent) has \(labels.count)")
            }
            let channels = try ParallelWork.map(signals.count) { c -> [Float] in
                let url = folder.appendingPathComponent("Inertial Signals/\(signals[c])_\(part).txt")
                var values = [Float]()
                let rows = try DelimitedTable.read(url, separator: .blanks, columns: 128, into: &values)
                guard rows == labels.count else { throw DatasetError.at(url, "\(rows) windows, but \(labelFile.lastPathComponent) has \(labels.count) labels") }
                return values
            }
            for (n, id) in labels.enumerated() {
                guard let label = ids.firstIndex(of: id) else {
                    throw DatasetError.at(labelFile, line: n + 1, "unknown activity \(id): activity_labels.txt defines \(ids.map(String.init).joined(separator: ", "))")
                }
                var values = [Float](repeating: 0, count: 128 * 9)
                for t in 0..<128 { for c in 0..<9 { values[t * 9 + c] = channels[c][n * 128 + t] } }
                recordings.append(Recording(subject: subjects[n], label: label, group: subjects[n], isOfficialTest: part == "test", values: values, rows: 128))
            }
        }
        return DatasetSource(name: "uci-har", recordings: recordings, classNames: names, channelNames: signals, sampleRate: 50,
                             defaultWindow: 128, defaultOverlap: 0.5, officialSplit: .official, sourcePath: root.path, isPrewindowed: true)
    }

    /// `activity_labels.txt`: lines `id NAME`.
    private static func activityLabels(_ url: URL) throws -> (ids: [Int], names: [String]) {
        var ids = [Int](), names = [String]()
        try TextFile.scan(url) { scanner in
            while !scanner.isAtEnd {
                scanner.skipBlanks()
                if scanner.skipLineEnd() { continue }
                let line = scanner.line
                guard let id = scanner.number(), id == id.rounded() else { throw DatasetError.at(url, line: line, "expected 'id NAME', found '\(scanner.token())'") }
                scanner.skipBlanks()
                let name = scanner.word(until: [])
                guard !name.isEmpty else { throw DatasetError.at(url, line: line, "activity \(Int(id)) has no name") }
                ids.append(Int(id))
                names.append(name.trimmingCharacters(in: .whitespaces))
                _ = scanner.skipLineEnd()
            }
        }
        guard !ids.isEmpty else { throw DatasetError.at(url, "no activities listed") }
        return (ids, names)
    }

    /// One integer per line (`y_*.txt`, `subject_*.txt`).
    private static func integers(_ url: URL) throws -> [Int] {
        var values = [Double]()
        _ = try DelimitedTable.read(url, separator: .blanks, columns: 1, into: &values)
        if let bad = values.firstIndex(where: { $0 != $0.rounded() }) { throw DatasetError.at(url, line: bad + 1, "expected an integer, found \(values[bad])") }
        return values.map { Int($0) }
    }
}
