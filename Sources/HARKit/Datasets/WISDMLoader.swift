import Foundation

/// WISDM v1.1 (Fordham WISDM Lab): `WISDM_ar_v1.1_raw.txt`, records `user,activity,timestamp,x,y,z;` from a phone accelerometer at 20 Hz.
///
/// The file is messy: some lines hold several records, some records end in `,;`, some lines are blank or short, and a few
/// values are not numbers. Well-formed records are kept; the others are dropped and counted by reason in the protocol.
enum WISDMLoader {
    /// The six activities in the reference tool's order (ids 0–5).
    static let classNames = ["Walking", "Jogging", "Sitting", "Standing", "Upstairs", "Downstairs"]
    /// The phone's accelerometer axes.
    static let channelNames = ["acc_x", "acc_y", "acc_z"]
    /// The raw file's name.
    static let fileName = "WISDM_ar_v1.1_raw.txt"

    /// The folder holding the raw file: `folder` itself or its `WISDM_ar_v1.1/`.
    static func locate(in folder: URL) -> URL? {
        for candidate in [folder, folder.appendingPathComponent("WISDM_ar_v1.1")]
        where FileManager.default.fileExists(atPath: candidate.appendingPathComponent(fileName).path) {
            return candidate
        }
        return nil
    }

    /// Reads the raw file; one recording per run of consecutive records of one user and activity.
    /// - Throws: `DatasetError` naming the file and line of an unknown activity, or a file without usable records.
    static func source(at root: URL) throws -> DatasetSource {
        let file = root.appendingPathComponent(fileName)
        var recordings = [Recording]()
        var dropped = [String: Int]()
        var kept = 0
        try TextFile.scan(file) { scanner in
            var current: (user: Int, label: Int)?
            var values = [Float]()
            func flush() {
                if let run = current, !values.isEmpty {
                    recordings.append(Recording(subject: run.user, label: run.label, group: run.user, isOfficialTest: false, values: values, rows: values.count / 3))
                }
                values = []
            }
            while !scanner.isAtEnd {
                scanner.skipBlanks()
                if scanner.skipLineEnd() || scanner.skip(0x3B) { continue }
                let line = scanner.line
                switch record(&scanner) {
                case .kept(let user, let activity, let xyz):
                    guard let label = classNames.firstIndex(of: activity) else {
                        throw DatasetError.at(file, line: line, "unknown activity '\(activity)': expected one of \(classNames.joined(separator: ", "))")
                    }
                    if current?.user != user || current?.label != label {
                        flush()
                        current = (user, label)
                    }
                    values += xyz
                    kept += 1
                case .dropped(let reason):
                    dropped[reason, default: 0] += 1
                    scanner.skipPast(0x3B)
                }
            }
            flush()
        }
        guard kept > 0 else { throw DatasetError.at(file, "no well-formed records (user,activity,timestamp,x,y,z;)") }
        let report = dropped.sorted { $0.key < $1.key }.map { "\($0.value) records dropped: \($0.key)" }
        return DatasetSource(name: "wisdm", recordings: recordings, classNames: classNames, channelNames: channelNames, sampleRate: 20,
                             defaultWindow: 200, defaultOverlap: 0.5, officialSplit: .ratio(train: 8, test: 2),
                             sourcePath: root.path, dropped: ["\(kept) records kept"] + report)
    }

    private enum Outcome {
        case kept(user: Int, activity: String, xyz: [Float])
        case dropped(String)
    }

    /// Reads one record up to and including its `;` (or the line end).
    private static func record(_ scanner: inout ByteScanner) -> Outcome {
        guard let user = scanner.number(), user == user.rounded(), user >= 0 else { return .dropped("user id is not a number") }
        guard scanner.skip(0x2C) else { return .dropped("short record (fewer than 6 fields)") }
        let activity = scanner.word(until: [0x2C, 0x3B])
        guard !activity.isEmpty, scanner.skip(0x2C) else { return .dropped("short record (fewer than 6 fields)") }
        guard scanner.number() != nil else { return .dropped(scanner.atRecordEnd ? "short record (fewer than 6 fields)" : "timestamp is not a number") }
        var xyz = [Float]()
        for _ in 0..<3 {
            guard scanner.skip(0x2C) else { return .dropped("short record (fewer than 6 fields)") }
            scanner.skipBlanks()
            guard let value = scanner.number(), value.isFinite else {
                return .dropped(scanner.atRecordEnd ? "short record (fewer than 6 fields)" : "acceleration is not a number")
            }
            xyz.append(Float(value))
        }
        _ = scanner.skip(0x2C)
        scanner.skipBlanks()
        guard scanner.skip(0x3B) || scanner.atLineEnd else { return .dropped("extra fields after z") }
        return .kept(user: Int(user), activity: activity, xyz: xyz)
    }
}

extension ByteScanner {
    /// Whether the read position is at a `;`, a line end or the end of the file.
    var atRecordEnd: Bool { atLineEnd || peek == 0x3B }
}
