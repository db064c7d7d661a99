import Torch

/// harlab's sequence readers as ONNX: `[B, F, T′, C]` features → logits `[B, K]`.
extension ONNXGraph {
    /// The reader's operators; `features` is `[B, F, T′, C]` with the sizes given (F = 1, T′ = T for raw windows).
    /// - Throws: `ONNXExportError` for a reader or layer setting the exporter does not know.
    func reader(_ reader: any SequenceReader, _ features: String, width: Int, time: Int, channels: Int) throws -> String {
        switch reader {
        case let reader as PooledReader:
            // Adaptive average pooling to (1, C) keeps every sensor channel: a mean over time only, not a global pool.
            let pooled = node("ReduceMean", [features], [.ints("axes", [2]), .int("keepdims", 1)], scope: "pool")
            return try linear(reader.head, node("Flatten", [pooled], [.int("axis", 1)], scope: "pool"), scope: "head")
        case let reader as RecurrentReader:
            return try recurrent(reader, features, width: width, time: time, channels: channels)
        case let reader as TransformerReader:
            return try transformer(reader, features, width: width, time: time, channels: channels)
        default:
            throw ONNXExportError("the reader \(type(of: reader)) has no ONNX form in this exporter")
        }
    }

    /// Stacked LSTM or GRU layers over the time-major sequence `[T′, B, F·C]`; the last layer's final hidden state
    /// feeds the linear head. PyTorch's gate blocks are reordered to ONNX's: LSTM i,f,g,o → i,o,f,c; GRU r,z,n → z,r,h
    /// with `linear_before_reset` (PyTorch applies the reset gate after the hidden projection).
    private func recurrent(_ reader: RecurrentReader, _ features: String, width: Int, time: Int, channels: Int) throws -> String {
        let scope = reader.lstm != nil ? "lstm" : "gru"
        guard let module: any Module = reader.lstm ?? reader.gru else { throw ONNXExportError("the recurrent reader has no cell") }
        let (layers, hidden, bidirectional) = reader.lstm.map { ($0.layers, $0.hiddenSize, $0.bidirectional) }
            ?? reader.gru.map { ($0.layers, $0.hiddenSize, $0.bidirectional) }!
        guard !bidirectional else { throw ONNXExportError("\(scope): bidirectional recurrent layers are not exported") }
        let parameters = Dictionary(module.ownParameters.map { ($0.name, $0.tensor) }, uniquingKeysWith: { first, _ in first })
        let order = reader.lstm != nil ? [0, 3, 1, 2] : [1, 0, 2]
        // [B, F, T′, C] → [T′, B, F, C] → [T′, B, F·C]
        var sequence = reshape(transpose(features, [2, 0, 1, 3], scope: scope), [time, 0, width * channels], scope: scope)
        var last = sequence
        for layer in 0..<layers {
            func gates(_ name: String) throws -> [Double] {
                guard let tensor = parameters["\(name)_l\(layer)"] else { throw ONNXExportError("\(scope): no \(name)_l\(layer)") }
                return reorderedBlocks(try tensor.scalars(as: Double.self), order: order)
            }
            let inputs = layer == 0 ? width * channels : hidden
            let w = constant("\(scope).W_l\(layer)", try gates("weight_ih"), shape: [1, order.count * hidden, inputs])
            let r = constant("\(scope).R_l\(layer)", try gates("weight_hh"), shape: [1, order.count * hidden, hidden])
            let b = constant("\(scope).B_l\(layer)", try gates("bias_ih") + gates("bias_hh"), shape: [1, 2 * order.count * hidden])
            var attributes: [Attribute] = [.int("hidden_size", hidden)]
            if reader.gru != nil { attributes.append(.int("linear_before_reset", 1)) }
            let outputs = nodes(reader.lstm != nil ? "LSTM" : "GRU", [sequence, w, r, b], attributes, outputs: 2, scope: "\(scope)_l\(layer)")
            sequence = node("Squeeze", [outputs[0]], [.ints("axes", [1])], scope: scope)  // Y [T′, 1, B, H] → [T′, B, H]
            last = outputs[1]  // Y_h [1, B, H]
        }
        return try linear(reader.head, node("Squeeze", [last], [.ints("axes", [0])], scope: scope), scope: "head")
    }

    /// Embedding plus learned positions, encoder layers, the final norm, the mean over tokens and the linear head.
    private func transformer(_ reader: TransformerReader, _ features: String, width: Int, time: Int, channels: Int) throws -> String {
        var tokens: String
        let length: Int
        if reader.patch > 1 {
            // Raw windows [B, 1, T, C]: the first ⌊T/P⌋·P steps as ⌊T/P⌋ patches of P·C values.
            length = time / reader.patch
            tokens = features
            if length * reader.patch < time {
                tokens = node("Slice", [tokens], [.ints("axes", [2]), .ints("starts", [0]), .ints("ends", [length * reader.patch])], scope: "tokens")
            }
            tokens = reshape(tokens, [0, length, reader.patch * channels], scope: "tokens")
        } else {
            length = time
            tokens = reshape(transpose(features, [0, 2, 1, 3], scope: "tokens"), [0, time, width * channels], scope: "tokens")
        }
        let size = reader.embed.weight.shape[0]
        let embedded = try projection(weight: reader.embed.weight, bias: nil, tokens, scope: "embed")
        var bias = try reader.embed.bias?.scalars(as: Double.self) ?? [Double](repeating: 0, count: size)
        let position = try reader.position.scalars(as: Double.self)
        bias = position.indices.map { position[$0] + bias[$0 % size] }
        var x = node("Add", [embedded, constant("embed.bias+position", bias, shape: [1, length, size])], scope: "embed")
        for (index, layer) in reader.layers.enumerated() {
            x = try encoderLayer(layer, x, length: length, scope: "encoder.\(index)")
        }
        let pooled = node("ReduceMean", [try layerNorm(reader.norm, x, axis: 2, scope: "norm")], [.ints("axes", [1]), .int("keepdims", 0)], scope: "norm")
        return try linear(reader.head, pooled, scope: "head")
    }

    /// One encoder layer (post-norm as PyTorch's default, or pre-norm) on `[B, L, E]`.
    private func encoderLayer(_ layer: TransformerEncoderLayer, _ x: String, length: Int, scope: String) throws -> String {
        func feedForward(_ h: String) throws -> String {
            let inner = activation(layer.activation, try projection(weight: layer.linear1.weight, bias: layer.linear1.bias, h, scope: "\(scope).linear1"),
                                   scope: "\(scope).activation")
            return try projection(weight: layer.linear2.weight, bias: layer.linear2.bias, inner, scope: "\(scope).linear2")
        }
        if layer.normFirst {
            let normed = try layerNorm(layer.norm1, x, axis: 2, scope: "\(scope).norm1")
            let h = node("Add", [x, try selfAttention(layer.selfAttention, normed, length: length, scope: "\(scope).self_attn")], scope: scope)
            return node("Add", [h, try feedForward(try layerNorm(layer.norm2, h, axis: 2, scope: "\(scope).norm2"))], scope: scope)
        }
        let attended = try selfAttention(layer.selfAttention, x, length: length, scope: "\(scope).self_attn")
        let h = try layerNorm(layer.norm1, node("Add", [x, attended], scope: scope), axis: 2, scope: "\(scope).norm1")
        return try layerNorm(layer.norm2, node("Add", [h, try feedForward(h)], scope: scope), axis: 2, scope: "\(scope).norm2")
    }

    /// Multi-head scaled dot-product self-attention on `[B, L, E]`, the 1/√(E/heads) scale folded into the query
    /// projection: softmax(q·kᵀ)·v per head, heads merged, the output projection.
    private func selfAttention(_ attention: MultiheadAttention, _ x: String, length: Int, scope: String) throws -> String {
        let size = attention.embedDim, heads = attention.heads, headSize = size / heads
        func part(_ index: Int, scale: Double = 1) throws -> String {
            let projected = try projection(weight: attention.inProjWeight, bias: attention.inProjBias,
                                           rows: index * size..<(index + 1) * size, scale: scale, x, scope: scope)
            return reshape(projected, [0, length, heads, headSize], scope: scope)
        }
        let query = transpose(try part(0, scale: 1 / Double(headSize).squareRoot()), [0, 2, 1, 3], scope: scope)  // [B, H, L, d]
        let key = transpose(try part(1), [0, 2, 3, 1], scope: scope)  // [B, H, d, L]
        let value = transpose(try part(2), [0, 2, 1, 3], scope: scope)  // [B, H, L, d]
        let weights = node("Softmax", [node("MatMul", [query, key], scope: scope)], [.int("axis", 3)], scope: scope)
        let merged = reshape(transpose(node("MatMul", [weights, value], scope: scope), [0, 2, 1, 3], scope: scope), [0, length, size], scope: scope)
        return try projection(weight: attention.outProj.weight, bias: attention.outProj.bias, merged, scope: "\(scope).out_proj")
    }
}

/// `values` cut into `order.count` equal row blocks (the gates of a stacked recurrent weight), put in `order`.
func reorderedBlocks(_ values: [Double], order: [Int]) -> [Double] {
    let block = values.count / order.count
    return order.flatMap { values[($0 * block)..<(($0 + 1) * block)] }
}
