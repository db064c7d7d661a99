/// Something that follows a run as its `RunRecorder` records it (the run's TensorBoard log): each finished epoch and
/// how the run ended. An observer handles its own failures; the recorder never hears of them.
protocol RunObserver: AnyObject {
    /// An epoch finished with these figures.
    func epochFinished(_ record: EpochRecord)
    /// The run ended so (a resumed run can end more than once).
    func runEnded(_ end: RunEnd)
}
