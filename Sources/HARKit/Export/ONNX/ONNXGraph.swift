import Foundation

/// An ONNX graph under construction: nodes in execution order, float32 constants (initializers), fresh value names.
///
/// Every emitter of `ONNXExporter` adds to one graph; `proto(input:output:)` then wraps it with the typed input and
/// output. Node names carry the harlab layer they come from (`body.0/Conv`), so a viewer such as Netron shows where
/// each operator was born.
final class ONNXGraph {
    /// One node attribute, as the operator's specification names it.
    enum Attribute {
        case int(String, Int)
        case ints(String, [Int])
        case float(String, Double)

        var proto: Onnx_AttributeProto {
            var attribute = Onnx_AttributeProto()
            switch self {
            case .int(let name, let value):
                (attribute.name, attribute.type, attribute.i) = (name, .int, Int64(value))
            case .ints(let name, let values):
                (attribute.name, attribute.type, attribute.ints) = (name, .ints, values.map(Int64.init))
            case .float(let name, let value):
                (attribute.name, attribute.type, attribute.f) = (name, .float, Float(value))
            }
            return attribute
        }
    }

    private(set) var nodes: [Onnx_NodeProto] = []
    private(set) var initializers: [Onnx_TensorProto] = []
    private var counter = 0

    /// A name no other value of the graph has, starting with `hint`.
    func fresh(_ hint: String) -> String {
        counter += 1
        return "\(hint)_\(counter)"
    }

    /// A float32 constant of `shape` holding `values` (rounded from float64, row-major).
    func constant(_ hint: String, _ values: [Double], shape: [Int]) -> String {
        precondition(values.count == shape.reduce(1, *), "constant \(hint): \(values.count) values for shape \(shape)")
        var tensor = Onnx_TensorProto()
        tensor.name = fresh(hint)
        tensor.dims = shape.map(Int64.init)
        tensor.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        let bits = values.map { Float($0).bitPattern.littleEndian }
        tensor.rawData = bits.withUnsafeBytes { Data($0) }
        initializers.append(tensor)
        return tensor.name
    }

    /// A 1-D int64 constant (shapes for `Reshape`).
    func int64Constant(_ hint: String, _ values: [Int]) -> String {
        var tensor = Onnx_TensorProto()
        tensor.name = fresh(hint)
        tensor.dims = [Int64(values.count)]
        tensor.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
        tensor.int64Data = values.map(Int64.init)
        initializers.append(tensor)
        return tensor.name
    }

    /// Adds an `op` node reading `inputs` ("" for an omitted optional input) and returns its `outputs` value names.
    /// - Parameter scope: the harlab layer the node belongs to, for its name.
    @discardableResult
    func nodes(_ op: String, _ inputs: [String], _ attributes: [Attribute] = [], outputs: Int, scope: String) -> [String] {
        var node = Onnx_NodeProto()
        node.opType = op
        node.name = "\(scope)/\(op)_\(nodes.count)"
        node.input = inputs
        node.output = (0..<outputs).map { _ in fresh("\(scope)/\(op)") }
        node.attribute = attributes.map(\.proto)
        nodes.append(node)
        return node.output
    }

    /// Adds a single-output `op` node and returns its output's name.
    func node(_ op: String, _ inputs: [String], _ attributes: [Attribute] = [], scope: String) -> String {
        nodes(op, inputs, attributes, outputs: 1, scope: scope)[0]
    }

    /// The graph with a float input named `input` of `inputShape` (a string entry is a dynamic axis) and a float
    /// output `[batch, classes]` named `output`, which the last node's value is renamed to.
    func proto(name: String, input: String, inputShape: [Dimension], output: String, outputShape: [Dimension],
               last: String) -> Onnx_GraphProto {
        var graph = Onnx_GraphProto()
        graph.name = name
        graph.node = nodes.map { node in
            var node = node
            node.input = node.input.map { $0 == last ? output : $0 }
            node.output = node.output.map { $0 == last ? output : $0 }
            return node
        }
        graph.initializer = initializers
        graph.input = [Self.valueInfo(input, inputShape)]
        graph.output = [Self.valueInfo(output, outputShape)]
        return graph
    }

    /// One axis of a graph input or output: a fixed size or a named dynamic axis.
    enum Dimension {
        case fixed(Int)
        case dynamic(String)
    }

    private static func valueInfo(_ name: String, _ shape: [Dimension]) -> Onnx_ValueInfoProto {
        var tensorType = Onnx_TypeProto.Tensor()
        tensorType.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        tensorType.shape.dim = shape.map { dimension in
            var proto = Onnx_TensorShapeProto.Dimension()
            switch dimension {
            case .fixed(let size): proto.dimValue = Int64(size)
            case .dynamic(let name): proto.dimParam = name
            }
            return proto
        }
        var info = Onnx_ValueInfoProto()
        info.name = name
        info.type.tensorType = tensorType
        return info
    }
}
