import Foundation

/// The built-in dataset: tri-axial accelerometer (m/s², gravity included) and gyroscope (rad/s) at 50 Hz for six activities and 20 subjects.
///
/// Each subject × activity is one 30-second recording (1500 samples); the default protocol cuts 128-sample windows with
/// 50 % overlap (22 per recording, 2640 in all) and holds out subjects 16–20 for test. Subjects differ in cadence (±20 %),
/// amplitude (±25 %), sensor orientation (a rotation of up to 35° about a random axis) and noise, so walking, upstairs and
/// downstairs overlap across subjects: a model learns it well above chance but not perfectly on unseen subjects.
enum SyntheticDataset {
    /// The six activities.
    static let classNames = ["walking", "jogging", "upstairs", "downstairs", "sitting", "standing"]
    /// Accelerometer then gyroscope, x y z each.
    static let channelNames = ["acc_x", "acc_y", "acc_z", "gyro_x", "gyro_y", "gyro_z"]
    /// Samples per second.
    static let sampleRate = 50.0
    /// Number of subjects.
    static let subjectCount = 20
    /// Seconds recorded per subject and activity.
    static let secondsPerRecording = 30.0

    /// Gait of one activity: step frequency (Hz), vertical / forward / lateral amplitude (m/s²), second-harmonic weight, trunk pitch (rad), gyro amplitude (rad/s).
    private struct Gait {
        var frequency, vertical, forward, lateral, harmonic, pitch, gyro: Double
    }

    private static let gaits = [
        Gait(frequency: 1.9, vertical: 2.5, forward: 1.5, lateral: 0.7, harmonic: 0.3, pitch: 0.05, gyro: 1.0),
        Gait(frequency: 2.7, vertical: 6.0, forward: 2.5, lateral: 1.2, harmonic: 0.5, pitch: 0.12, gyro: 2.2),
        Gait(frequency: 1.7, vertical: 2.2, forward: 1.0, lateral: 0.8, harmonic: 0.6, pitch: 0.18, gyro: 1.1),
        Gait(frequency: 2.0, vertical: 3.2, forward: 1.3, lateral: 0.8, harmonic: 0.9, pitch: -0.05, gyro: 1.3),
        Gait(frequency: 0.3, vertical: 0.05, forward: 0.05, lateral: 0.05, harmonic: 0, pitch: 1.35, gyro: 0.05),
        Gait(frequency: 0.3, vertical: 0.08, forward: 0.06, lateral: 0.06, harmonic: 0, pitch: 0.03, gyro: 0.06),
    ]

    /// Generates every recording from `seed`; subjects 16–20 are the official test subjects.
    static func source(seed: UInt64) -> DatasetSource {
        let rows = Int(secondsPerRecording * sampleRate)
        var recordings = [Recording]()
        for subject in 1...subjectCount {
            var random = SeededGenerator(seed: seed, stream: UInt64(subject))
            let cadence = 0.8 + 0.4 * Double(random.unit())
            let amplitude = 0.75 + 0.5 * Double(random.unit())
            let noise = 0.1 + 0.25 * Double(random.unit())
            let orientation = Rotation3D.random(maxAngle: 35 * .pi / 180, using: &random)
            for (label, gait) in gaits.enumerated() {
                let values = record(gait, rows: rows, cadence: cadence, amplitude: amplitude, noise: noise, orientation: orientation, using: &random)
                recordings.append(Recording(subject: subject, label: label, group: subject, isOfficialTest: subject > 15, values: values, rows: rows))
            }
        }
        return DatasetSource(name: "synthetic", recordings: recordings, classNames: classNames, channelNames: channelNames,
                             sampleRate: sampleRate, defaultWindow: 128, defaultOverlap: 0.5, officialSplit: .subjects(Array(16...20)),
                             sourcePath: "")
    }

    /// One recording: body motion plus gravity in the trunk frame, turned by the subject's sensor orientation, plus noise.
    private static func record(_ gait: Gait, rows: Int, cadence: Double, amplitude: Double, noise: Double,
                               orientation: [Double], using random: inout SeededGenerator) -> [Float] {
        let phases = (0..<5).map { _ in 2 * Double.pi * Double(random.unit()) }
        let wobble = 0.02 + 0.04 * Double(random.unit())
        let pitch = gait.pitch + 0.08 * Double(random.gaussian())
        var values = [Float](repeating: 0, count: rows * 6)
        var phase = phases[0]
        let dt = 1 / sampleRate
        for t in 0..<rows {
            let time = Double(t) * dt
            phase += 2 * .pi * gait.frequency * cadence * (1 + wobble * sin(2 * .pi * 0.1 * time + phases[1])) * dt
            let a = amplitude
            let body = [
                a * gait.forward * (sin(phase + phases[2]) + gait.harmonic * sin(2 * phase)),
                a * gait.lateral * sin(phase / 2 + phases[3]),
                a * gait.vertical * (sin(phase) + 0.5 * gait.harmonic * sin(2 * phase + phases[4])),
            ]
            let acc = [body[0] + 9.81 * sin(pitch), body[1], body[2] + 9.81 * cos(pitch)]
            let gyro = [a * gait.gyro * 0.3 * sin(phase / 2), a * gait.gyro * sin(phase + phases[2]), a * gait.gyro * 0.4 * sin(phase / 2 + phases[3])]
            let turnedAcc = Rotation3D.apply(orientation, to: acc), turnedGyro = Rotation3D.apply(orientation, to: gyro)
            for k in 0..<3 {
                values[t * 6 + k] = Float(turnedAcc[k] + noise * Double(random.gaussian()))
                values[t * 6 + 3 + k] = Float(turnedGyro[k] + 0.1 * noise * Double(random.gaussian()))
            }
        }
        return values
    }
}
