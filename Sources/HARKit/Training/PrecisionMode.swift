/// What `set amp` asks for: bfloat16 autocast where the CPU computes bfloat16 (`auto`, the default), always (`on`) or
/// never (`off`). `PrecisionChoice` turns it into the precision a run trains in on a given CPU.
public enum PrecisionMode: String, Sendable, Equatable, CaseIterable {
    /// bfloat16 autocast when the CPU has bfloat16 arithmetic (AVX-512 BF16 or AMX-BF16), float32 otherwise.
    case auto
    /// bfloat16 autocast on any CPU (emulated, and many times slower than float32, where the CPU lacks bfloat16 arithmetic).
    case on
    /// float32 throughout.
    case off
}

extension PrecisionMode: Codable {
    /// Reads `"auto"`, `"on"` or `"off"`, or the `true`/`false` that checkpoints and run stores written before `auto`
    /// existed hold (`true` was bfloat16 autocast: `on`).
    /// - Throws: `DecodingError` for any other value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) {
            self = flag ? .on : .off
            return
        }
        let text = try container.decode(String.self)
        guard let mode = PrecisionMode(rawValue: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "mixed precision '\(text)': expected auto, on or off")
        }
        self = mode
    }

    /// Writes the mode's name.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
