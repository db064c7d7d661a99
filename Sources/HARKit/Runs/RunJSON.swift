import Foundation

/// The JSON coding the run store, checkpoints and exports share: sorted keys, and NaN or infinities as strings
/// (a diverged loss must not make a run unrecordable).
enum RunJSON {
    /// An encoder with sorted keys and non-finite numbers as "nan", "inf", "-inf".
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// The decoder matching `encoder`.
    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    /// `value` as JSON text.
    static func text<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// A `T` from JSON text; `what` names the value in the error.
    static func value<T: Decodable>(_ type: T.Type, from text: String, what: String) throws -> T {
        do {
            return try decoder.decode(type, from: Data(text.utf8))
        } catch {
            throw RunStoreError("\(what) is not valid JSON for \(type): \(error)")
        }
    }
}
