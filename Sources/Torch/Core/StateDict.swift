import CTorch
import FileSupport
import Foundation

/// Named tensors in order: a module's parameters and buffers, or an optimizer's state.
/// On disk it is the format of Python's `torch.save` of a dict of tensors, so
/// `torch.load(path)` opens it and `StateDict(contentsOf:)` opens Python's files.
public struct StateDict {
    /// The entries in insertion order.
    public private(set) var entries: [(name: String, tensor: Tensor)]

    /// An empty dict, or one holding `entries`.
    public init(_ entries: [(name: String, tensor: Tensor)] = []) { self.entries = entries }

    /// Reads a file written by `write(to:)` or by Python's `torch.save({...})`.
    /// - Throws: `TorchError` naming the file when it is missing, truncated or not a dict of tensors.
    public init(contentsOf url: URL) throws {
        guard FileManager.default.fileExists(atPath: url.path) else { throw TorchError("no such file: \(url.path)") }
        do {
            try self.init(taking: try checkedPointer(ct_state_load(url.path)))
        } catch let error as TorchError {
            throw TorchError("cannot read '\(url.path)' as a tensor dict: \(error.message)")
        }
    }

    /// Reads the bytes of a `torch.save` dict.
    public init(bytes: Data) throws {
        do {
            try self.init(taking: try checkedPointer(bytes.withUnsafeBytes { ct_state_load_buffer($0.baseAddress, $0.count) }))
        } catch let error as TorchError {
            throw TorchError("cannot read tensor dict: \(error.message)")
        }
    }

    /// Reads every entry of a loaded dict (an entry that cannot be read is an error, never skipped), then frees it.
    private init(taking state: ct_state) throws {
        defer { ct_state_free(state) }
        var entries: [(String, Tensor)] = []
        for i in 0..<(try checked(ct_state_count(state))) {
            let name = String(cString: try checkedPointer(ct_state_name(state, i)))
            entries.append((name, try checked(ct_state_tensor(state, i))))
        }
        self.entries = entries
    }

    /// The names in order.
    public var names: [String] { entries.map(\.name) }

    /// The tensor stored under `name`.
    public subscript(name: String) -> Tensor? { entries.first { $0.name == name }?.tensor }

    /// Adds or replaces an entry.
    public mutating func set(_ name: String, _ tensor: Tensor) {
        if let index = entries.firstIndex(where: { $0.name == name }) {
            entries[index].tensor = tensor
        } else {
            entries.append((name, tensor))
        }
    }

    /// Adds every entry of `other` with `prefix` before its name.
    public mutating func merge(_ other: StateDict, prefix: String = "") {
        for (name, tensor) in other.entries { set(prefix + name, tensor) }
    }

    /// The entries whose names start with `prefix`, with the prefix removed.
    public func withPrefix(_ prefix: String) -> StateDict {
        StateDict(entries.filter { $0.name.hasPrefix(prefix) }.map { (String($0.name.dropFirst(prefix.count)), $0.tensor) })
    }

    /// The serialised bytes (`torch.save` format).
    public func serialized() throws -> Data {
        let names = entries.map { strdup($0.name) }
        defer { names.forEach { free($0) } }
        let handles: [ct_tensor?] = entries.map { $0.tensor.handle }
        var size = 0
        let buffer = withExtendedLifetime(entries.map(\.tensor)) {
            names.map { UnsafePointer($0) }.withUnsafeBufferPointer { namePointers in
                handles.withUnsafeBufferPointer { ct_state_save_buffer(namePointers.baseAddress, $0.baseAddress, Int32(handles.count), &size) }
            }
        }
        guard let buffer else {
            throw TorchError("cannot serialise tensors: \((takeTorchError() ?? TorchError("no message")).message)")
        }
        defer { free(buffer) }
        return Data(bytes: buffer, count: size)
    }

    /// Writes the dict atomically: a temporary file beside `url`, flushed, then renamed over it.
    /// - Throws: `TorchError` when the folder is not writable or the disk is full; the old file is left as it was.
    public func write(to url: URL) throws {
        let data = try serialized()
        do {
            try AtomicFile.write(data, to: url)
        } catch let error as FileError {
            throw TorchError(error.message)
        }
    }
}
