import Foundation

/// How the current dataset was loaded (`load NAME [from PATH] key=value…`, with the seed and validation fraction
/// it used), so that a worker of the session (`set workers N`) can load the same.
public struct DatasetSource: Codable, Equatable, Sendable {
    /// The canonical dataset name.
    public var name: String
    /// The absolute path after `from`, if one was given.
    public var path: String?
    /// Every `key=value` option, the defaults `load` filled in included.
    public var options: [String: String]

    /// The words of `load` that give this dataset, as `status` and messages write them.
    public var description: String {
        ([name] + (path.map { ["from", $0] } ?? []) + options.keys.sorted().map { "\($0)=\(options[$0]!)" }).joined(separator: " ")
    }
}
