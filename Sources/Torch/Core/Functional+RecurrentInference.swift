import CTorch

/// The recurrent cells the inference path computes.
public enum RecurrentCell: Sendable {
    case lstm, gru

    var code: ct_cell { self == .lstm ? CT_CELL_LSTM : CT_CELL_GRU }
}

extension Functional {
    /// Whether `lstm`/`gru` compute this call on the cheaper inference path (one GEMM for every step's input
    /// projection, then a GEMV or small GEMM per step and in-place gate maths, no autograd): evaluation mode with
    /// autograd not recording (`withNoGrad` or `withInferenceMode`), CPU autocast off, one direction, a batched
    /// float32 or float64 CPU sequence, biases present. Training and everything else keep libtorch's fused kernel.
    public static func usesRecurrentInferencePath(_ cell: RecurrentCell, _ x: Tensor, parameters: [Tensor], layers: Int,
                                                  training: Bool, bidirectional: Bool) throws -> Bool {
        let handles: [ct_tensor?] = parameters.map { $0.handle }
        return try withExtendedLifetime(parameters) {
            try checked(ct_nn_recurrent_inference_applies(cell.code, x.handle, handles, Int32(handles.count), Int64(layers),
                                                          training ? 1 : 0, bidirectional ? 1 : 0)) == 1
        }
    }

    /// How many weights the inference path holds transposed between calls: each layer's W_ih (and its W_hh at batches
    /// above 1; batch 1 multiplies by W_hh's rows, block by block), stored as
    /// their transposes (the form the products run fastest from), remade when the weight changes (an optimizer step,
    /// `loadState`, a conversion) and dropped at the first new entry after the weight is freed.
    public static var recurrentInferenceCachedWeights: Int { Int(ct_recurrent_inference_cached_weights()) }

    /// The stacked unidirectional `cell` on the inference path: the output sequence and the final hidden and cell
    /// states (the cell state nil for a GRU), as `lstm`/`gru` return them. Throws naming the unmet condition where
    /// `usesRecurrentInferencePath` says false.
    static func recurrentInference(_ cell: RecurrentCell, _ x: Tensor, parameters: [Tensor], layers: Int, batchFirst: Bool,
                                   initialH: Tensor?, initialC: Tensor?) throws -> (output: Tensor, h: Tensor, c: Tensor?) {
        var y: ct_tensor?, h: ct_tensor?, c: ct_tensor?
        let handles: [ct_tensor?] = parameters.map { $0.handle }
        _ = try withExtendedLifetime(parameters) {
            try checked(ct_nn_recurrent_inference(cell.code, x.handle, initialH?.handle, initialC?.handle, handles, Int32(handles.count),
                                                  Int64(layers), batchFirst ? 1 : 0, &y, &h, &c))
        }
        return (try checked(y), try checked(h), try c.map { try checked($0) })
    }
}
