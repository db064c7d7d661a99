import Foundation

/// PAMAP2 Physical Activity Monitoring (UCI #231): `PAMAP2_Dataset/Protocol/subject1NN.dat`, 54 blank-separated columns at 100 Hz, NaN for dropped samples.
///
/// Kept: the activity id (column 2) and, per IMU (hand 5–16, chest 22–33, ankle 39–50, 1-based), acc ±16 g, acc ±6 g, gyro and
/// mag x y z: 36 channels. NaN are interpolated linearly, the rows downsampled by 3 (33.3 Hz), activity 0 dropped, and the 12
/// protocol activities become classes 0–11. With `windowing=reference`, the reference tool's quirks are kept: the first row of each
/// file is lost (pandas takes it for a header), NaN are filled forward only, and all samples of a label are joined per subject.
enum PAMAP2Loader {
    /// Activity ids of the 12 protocol activities, in class order.
    static let activityIDs = [1, 2, 3, 4, 5, 6, 7, 12, 13, 16, 17, 24]
    /// Ids the publisher defines but the protocol does not use (optional activities): dropped and counted.
    static let otherIDs: Set<Int> = [0, 9, 10, 11, 18, 19, 20]
    /// Class names of the protocol activities.
    static let classNames = ["lying", "sitting", "standing", "walking", "running", "cycling", "Nordic walking",
                             "ascending stairs", "descending stairs", "vacuum cleaning", "ironing", "rope jumping"]
    /// `hand_acc16_x` … `ankle_mag_z`.
    static let channelNames: [String] = ["hand", "chest", "ankle"].flatMap { unit in
        ["acc16", "acc6", "gyro", "mag"].flatMap { sensor in ["x", "y", "z"].map { "\(unit)_\(sensor)_\($0)" } }
    }
    /// 0-based columns of the 36 channels.
    static let channelColumns = Array(4..<16) + Array(21..<33) + Array(38..<50)

    /// The `Protocol` folder: `folder` itself, its `Protocol/`, or its `PAMAP2_Dataset/Protocol/`.
    static func locate(in folder: URL) -> URL? {
        for candidate in [folder, folder.appendingPathComponent("Protocol"), folder.appendingPathComponent("PAMAP2_Dataset/Protocol")] {
            if let names = try? TextFile.names(in: candidate), names.contains(where: isSubjectFile) { return candidate }
        }
        return nil
    }

    private static func isSubjectFile(_ name: String) -> Bool { name.hasPrefix("subject") && name.hasSuffix(".dat") && Int(name.dropFirst(7).dropLast(4)) != nil }

    /// Reads every `subject1NN.dat`; subject ids are the file numbers (101–109).
    /// - Throws: `DatasetError` naming the file and line of a bad row or an unknown activity id.
    static func source(at root: URL, reference: Bool) throws -> DatasetSource {
        let files = try TextFile.names(in: root).filter(isSubjectFile)
        let perFile = try ParallelWork.map(files.count) { i -> (recordings: [Recording], dropped: Int) in
            let url = root.appendingPathComponent(files[i])
            let subject = Int(files[i].dropFirst(7).dropLast(4))!
            var table = try LabelledTable(url, columns: 54, labelColumn: 1, channelColumns: channelColumns)
            if let bad = table.labels.firstIndex(where: { !activityIDs.contains($0) && !otherIDs.contains($0) }) {
                throw DatasetError.at(url, line: bad + 1, "unknown activity id \(table.labels[bad]): expected one of 0–7, 9–13, 16–20, 24")
            }
            if reference { table.dropFirst(1) }
            GapFilling.fill(&table.values, rows: table.rows, channels: table.channels, edges: reference ? .forwardOnly : .nearest)
            table.downsample(by: 3)
            let dropped = table.labels.filter { !activityIDs.contains($0) }.count
            return (table.runs(classOf: { activityIDs.firstIndex(of: $0) }, subject: subject, group: subject, isOfficialTest: false), dropped)
        }
        guard !files.isEmpty else { throw DatasetError.at(root, "no subject1NN.dat files") }
        let dropped = perFile.map(\.dropped).reduce(0, +)
        return DatasetSource(name: "pamap2", recordings: perFile.flatMap(\.recordings), classNames: classNames, channelNames: channelNames,
                             sampleRate: 100.0 / 3, defaultWindow: 171, defaultOverlap: 0.5, officialSplit: .subjects([105]),
                             sourcePath: root.path, dropped: ["\(dropped) samples (after downsampling) of activity 0 or non-protocol activities dropped"])
    }
}
