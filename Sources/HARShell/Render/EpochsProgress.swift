import Foundation
import HARKit

/// One progress bar over every epoch of a step that trains many models (`cv` folds, `tune` trials), fed with their
/// training events: `fold 2/6, epoch 3, batch 12/40 [######......] 13/60  1:02 eta 3:40` (units: epochs; the bar and
/// the ETA count the epoch under way in part, so the ETA is there from the first batch). The sink
/// draws it on a terminal only, so nothing extra reaches a pipe or a log.
final class EpochsProgress {
    private let output: OutputSink
    private let totalEpochs: Int
    private let started = Date()
    private var epochsDone = 0

    /// A bar over `totalEpochs` epochs, drawn on `output`.
    init(output: OutputSink, totalEpochs: Int) {
        self.output = output
        self.totalEpochs = totalEpochs
    }

    /// Redraws the bar for `event` of the model `who` names (`fold 2/6`, `trial 3/10`).
    func update(_ event: TrainingEvent, of who: String) {
        var label = who
        var partOfEpoch = 0.0
        switch event {
        case .epochStarted(let epoch, _):
            label += ", epoch \(epoch)"
        case .batchFinished(let epoch, let batch, let batches, _):
            label += ", epoch \(epoch), batch \(batch)/\(batches)"
            partOfEpoch = batches > 0 ? Double(batch) / Double(batches) : 0
        case .epochFinished(let record):
            epochsDone += 1
            label += ", epoch \(record.epoch) done"
        }
        let done = min(epochsDone, totalEpochs)
        output.progress(Progress(label: label, done: done, total: totalEpochs, elapsed: Date().timeIntervalSince(started),
                                 exactDone: min(Double(totalEpochs), Double(done) + partOfEpoch)))
    }

    /// Clears the bar at the end of the step (a line of text clears it by itself).
    func clear() { output.progress(nil) }
}
