import Foundation
import HARKit

/// Everything a user can change in one `har` session. A command either succeeds and updates it,
/// or throws and leaves it exactly as it was (the interpreter restores the value it started from).
public struct Session {
    /// The training settings `set` and `show` work on.
    public var config = TrainingConfig()
    /// Every top-level command given in this session, in order.
    public var history: [HistoryEntry] = []
    /// The script each successful replayable command is appended to (`record FILE`), if any.
    public var recording: URL?
    /// The current model (built by `model SPEC` for the loaded dataset's shape), if any.
    public var model: (any HARModel)?

    /// A fresh session with the reference recipe.
    public init() {}
}
