import Foundation

/// Daily and Sports Activities (UCI #256): `data/aNN/pM/sKK.txt`, 125 rows × 45 comma-separated values per five-second segment, 25 Hz.
enum DSADSLoader {
    /// The 19 activities, in the order of their folders a01…a19.
    static let classNames = [
        "sitting", "standing", "lying on back", "lying on right side", "ascending stairs", "descending stairs",
        "standing in elevator", "moving in elevator", "walking in parking lot", "walking on treadmill 4 km/h flat",
        "walking on treadmill 4 km/h inclined", "running on treadmill 8 km/h", "exercising on stepper",
        "exercising on cross trainer", "cycling horizontal", "cycling vertical", "rowing", "jumping", "playing basketball",
    ]

    /// Units torso, right arm, left arm, right leg, left leg × acc, gyro, mag × x, y, z: `T_acc_x` … `LL_mag_z`.
    static let channelNames: [String] = ["T", "RA", "LA", "RL", "LL"].flatMap { unit in
        ["acc", "gyro", "mag"].flatMap { sensor in ["x", "y", "z"].map { "\(unit)_\(sensor)_\($0)" } }
    }

    /// The folder holding `a01`…: `folder` itself or its `data/`.
    static func locate(in folder: URL) -> URL? {
        for candidate in [folder, folder.appendingPathComponent("data")] where TextFile.isFolder(candidate.appendingPathComponent("a01")) {
            return candidate
        }
        return nil
    }

    /// Reads every segment; one recording per activity × subject (its 60 segments joined in order, as the publisher cut them from one run).
    /// - Throws: `DatasetError` naming a missing folder, a bad folder name, or the file and line of a bad row.
    static func source(at path: URL) throws -> DatasetSource {
        guard let root = locate(in: path) else {
            throw DatasetError.at(path, "no DSADS data here: expected folders a01…a19 (each with p1…p8 of s01.txt…s60.txt) in it or in its data/ folder")
        }
        var jobs = [(label: Int, subject: Int, folder: URL)]()
        for activity in try TextFile.names(in: root) where activity.hasPrefix("a") {
            guard let number = Int(activity.dropFirst()), (1...classNames.count).contains(number) else {
                throw DatasetError.at(root.appendingPathComponent(activity), "unexpected folder: expected a01…a19")
            }
            let activityFolder = root.appendingPathComponent(activity)
            for person in try TextFile.names(in: activityFolder) {
                guard person.hasPrefix("p"), let subject = Int(person.dropFirst()) else {
                    throw DatasetError.at(activityFolder.appendingPathComponent(person), "unexpected entry: expected subject folders p1…p8")
                }
                jobs.append((number - 1, subject, activityFolder.appendingPathComponent(person)))
            }
        }
        guard !jobs.isEmpty else { throw DatasetError.at(root, "no subject folders (pM) in any activity folder") }
        let recordings = try ParallelWork.map(jobs.count) { i -> Recording in
            let job = jobs[i]
            let files = try TextFile.names(in: job.folder).filter { $0.hasSuffix(".txt") }
            guard !files.isEmpty else { throw DatasetError.at(job.folder, "no segment files (s01.txt…s60.txt)") }
            var values = [Float]()
            values.reserveCapacity(files.count * 125 * 45)
            var rows = 0
            for file in files {
                rows += try DelimitedTable.read(job.folder.appendingPathComponent(file), separator: .comma, columns: 45, into: &values)
            }
            return Recording(subject: job.subject, label: job.label, group: job.subject, isOfficialTest: false, values: values, rows: rows)
        }
        return DatasetSource(name: "dsads", recordings: recordings, classNames: classNames, channelNames: channelNames,
                             sampleRate: 25, defaultWindow: 125, defaultOverlap: 0.4, officialSplit: .subjects([7, 8]),
                             sourcePath: root.path)
    }
}
