import Foundation

/// OPPORTUNITY Activity Recognition (UCI #226): `OpportunityUCIDataset/dataset/S{1..4}-{ADL1..5,Drill}.dat`, 250 blank-separated columns at 30 Hz.
///
/// Kept: the reference's 113 body-worn channels (1-based columns 2–46, 51–59, 64–72, 77–85, 90–98, 103–134) and the
/// mid-level gesture of both arms (column 250). NaN are interpolated linearly (edges take the nearest value), the null
/// gesture is dropped, and the 17 gestures become classes 0–16. The official split holds out S2-ADL4/5 and S3-ADL4/5.
/// With `windowing=reference`, the first row of each file is lost (pandas takes it for a header) and all samples of a
/// gesture are joined per file before windowing.
enum OpportunityLoader {
    /// The 17 gesture ids of ML_Both_Arms, in class order.
    static let gestureIDs = [406516, 406517, 404516, 404517, 406520, 404520, 406505, 404505, 406519, 404519,
                             406511, 404511, 406508, 404508, 408512, 407521, 405506]
    /// Gesture names, in class order.
    static let classNames = ["Open Door 1", "Open Door 2", "Close Door 1", "Close Door 2", "Open Fridge", "Close Fridge",
                             "Open Dishwasher", "Close Dishwasher", "Open Drawer 1", "Close Drawer 1", "Open Drawer 2",
                             "Close Drawer 2", "Open Drawer 3", "Close Drawer 3", "Clean Table", "Drink from Cup", "Toggle Switch"]
    /// The files the reference tool tests on.
    static let testFiles: Set<String> = ["S2-ADL4.dat", "S2-ADL5.dat", "S3-ADL4.dat", "S3-ADL5.dat"]
    /// 0-based columns of the 113 channels.
    static let channelColumns = Array(1..<46) + Array(50..<59) + Array(63..<72) + Array(76..<85) + Array(89..<98) + Array(102..<134)

    /// Names after the publisher's column_names.txt: `RKN^_acc_x`, `IMU-BACK_gyro_y`, `L-SHOE_eulerX`, … (shoe Euler and navigation-frame
    /// signals are not named as rotatable x/y/z groups).
    static let channelNames: [String] = {
        let axes = ["x", "y", "z"]
        let accelerometers = ["RKN^", "HIP", "LUA^", "RUA_", "LH", "BACK", "RKN_", "RWR", "RUA^", "LUA_", "LWR", "RH"]
        var names = accelerometers.flatMap { place in axes.map { "\(place)_acc_\($0)" } }
        for imu in ["BACK", "RUA", "RLA", "LUA", "LLA"] {
            names += ["acc", "gyro", "mag"].flatMap { sensor in axes.map { "IMU-\(imu)_\(sensor)_\($0)" } }
        }
        for shoe in ["L-SHOE", "R-SHOE"] {
            names += ["X", "Y", "Z"].map { "\(shoe)_euler\($0)" } + ["X", "Y", "Z"].map { "\(shoe)_navAcc\($0)" }
            names += axes.map { "\(shoe)_body_acc_\($0)" } + axes.map { "\(shoe)_gyro_\($0)" } + ["X", "Y", "Z"].map { "\(shoe)_navGyro\($0)" }
            names.append("\(shoe)_compass")
        }
        return names
    }()

    /// The folder holding `S1-ADL1.dat`…: `folder`, its `dataset/`, or its `OpportunityUCIDataset/dataset/`.
    static func locate(in folder: URL) -> URL? {
        for candidate in [folder, folder.appendingPathComponent("dataset"), folder.appendingPathComponent("OpportunityUCIDataset/dataset")] {
            if let names = try? TextFile.names(in: candidate), names.contains(where: isRecordingFile) { return candidate }
        }
        return nil
    }

    private static func isRecordingFile(_ name: String) -> Bool {
        name.count > 6 && name.hasPrefix("S") && name.hasSuffix(".dat") && name.dropFirst().first?.isNumber == true && name.contains("-")
    }

    /// Reads every `S<n>-<run>.dat`; the subject id is n, the group (what reference windowing joins by) the file.
    /// - Throws: `DatasetError` naming the file and line of a bad row or an unknown gesture id.
    static func source(at root: URL, reference: Bool) throws -> DatasetSource {
        let files = try TextFile.names(in: root).filter(isRecordingFile)
        guard !files.isEmpty else { throw DatasetError.at(root, "no S<n>-ADL<k>.dat / S<n>-Drill.dat files") }
        let known = Set(gestureIDs)
        let perFile = try ParallelWork.map(files.count) { i -> (recordings: [Recording], dropped: Int) in
            let url = root.appendingPathComponent(files[i])
            var table = try LabelledTable(url, columns: 250, labelColumn: 249, channelColumns: channelColumns)
            if let bad = table.labels.firstIndex(where: { $0 != 0 && !known.contains($0) }) {
                throw DatasetError.at(url, line: bad + 1, "unknown ML_Both_Arms gesture id \(table.labels[bad]): expected 0 (null) or one of the 17 gestures of label_legend.txt")
            }
            if reference { table.dropFirst(1) }
            GapFilling.fill(&table.values, rows: table.rows, channels: table.channels, edges: .nearest)
            let subject = Int(String(files[i].dropFirst().prefix { $0.isNumber })) ?? 0
            let recordings = table.runs(classOf: { gestureIDs.firstIndex(of: $0) }, subject: subject, group: i, isOfficialTest: testFiles.contains(files[i]))
            return (recordings, table.labels.filter { $0 == 0 }.count)
        }
        let dropped = perFile.map(\.dropped).reduce(0, +)
        return DatasetSource(name: "opportunity", recordings: perFile.flatMap(\.recordings), classNames: classNames, channelNames: channelNames,
                             sampleRate: 30, defaultWindow: 30, defaultOverlap: 0.5, officialSplit: .official, sourcePath: root.path,
                             dropped: ["\(dropped) samples of the null gesture dropped"])
    }
}
