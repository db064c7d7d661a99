import Torch

/// Reads the time axis with an LSTM or GRU: each time step's features (F·C values: all feature maps of all
/// sensor channels) form one input vector; the last step's output feeds a linear classifier.
/// With no stem this is the reference LSTM (2 layers × 512 over the C raw channels).
public final class RecurrentReader: SequenceReader {
    /// Which recurrent cell.
    public enum Cell: String, Sendable { case lstm, gru }

    let cell: Cell
    let lstm: LSTM?
    let gru: GRU?
    /// Linear hidden → K.
    public let head: Linear
    let dropout: Double
    public var isTraining = true

    /// A reader of `features` values per step.
    public init(cell: Cell, features: Int, hidden: Int, layers: Int, classes: Int, dropout: Double) throws {
        self.cell = cell
        let between = layers > 1 ? dropout : 0
        lstm = cell == .lstm ? try LSTM(inputSize: features, hiddenSize: hidden, layers: layers, batchFirst: true, dropout: between) : nil
        gru = cell == .gru ? try GRU(inputSize: features, hiddenSize: hidden, layers: layers, batchFirst: true, dropout: between) : nil
        head = try Linear(hidden, classes)
        self.dropout = dropout
    }

    public var children: [(name: String, module: any Module)] {
        (lstm.map { [("lstm", $0 as any Module)] } ?? []) + (gru.map { [("gru", $0 as any Module)] } ?? []) + [("head", head)]
    }

    public func read(_ features: Tensor, recorder: LayerRecorder?) throws -> Tensor {
        let sequence = try timeMajorSequence(features)
        let steps = sequence.shape[1], inputs = sequence.shape[2]
        let output: Tensor
        if let lstm {
            output = try lstm.forward(sequence, initial: nil).output
            recorder?.record("lstm", kind: "LSTM", output: output, parameters: lstm.parameterCount,
                             macs: steps * recurrentMACs(gates: 4, inputs: inputs, hidden: lstm.hiddenSize, layers: lstm.layers))
        } else if let gru {
            output = try gru.forward(sequence, initial: nil).output
            recorder?.record("gru", kind: "GRU", output: output, parameters: gru.parameterCount,
                             macs: steps * recurrentMACs(gates: 3, inputs: inputs, hidden: gru.hiddenSize, layers: gru.layers))
        } else {
            throw ModelError("recurrent reader has no cell")
        }
        var last = try output.selecting(axis: 1, index: steps - 1)
        if dropout > 0 { last = try Functional.dropout(last, p: dropout, training: isTraining) }
        let logits = try head(last)
        recorder?.record("head", kind: "Linear", output: logits, parameters: head.parameterCount, macs: head.weight.count)
        return logits
    }
}

/// `[B, F, T', C]` features as a batch-first sequence `[B, T', F·C]`.
func timeMajorSequence(_ features: Tensor) throws -> Tensor {
    let shape = features.shape
    return try features.permuted(0, 2, 1, 3).reshaped(to: [shape[0], shape[2], shape[1] * shape[3]])
}

/// Multiply-adds of one time step through stacked recurrent layers.
func recurrentMACs(gates: Int, inputs: Int, hidden: Int, layers: Int) -> Int {
    (0..<layers).reduce(0) { total, layer in total + gates * hidden * ((layer == 0 ? inputs : hidden) + hidden) }
}
