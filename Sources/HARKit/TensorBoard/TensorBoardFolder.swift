import Foundation

/// Making a folder for TensorBoard logs, with a reason a person can act on when it cannot be made.
public enum TensorBoardFolder {
    /// Makes the folder `url` and its missing parents, or checks that it is there and writable.
    /// - Throws: `TensorBoardError` naming the folder and why: a file in the way, a folder that is not writable, or
    ///   the system's words.
    public static func make(_ url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw TensorBoardError("cannot create the TensorBoard log folder '\(url.path)': \(reason(making: url, error))")
        }
        guard FileManager.default.isWritableFile(atPath: url.path) else {
            throw TensorBoardError("the TensorBoard log folder '\(url.path)' is not writable")
        }
    }

    /// Why `url` could not be made: what its nearest existing ancestor is in the way of, else the system error's text.
    private static func reason(making url: URL, _ error: Error) -> String {
        var ancestor = url
        while ancestor.path != "/" {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isFolder) {
                if !isFolder.boolValue { return "'\(ancestor.path)' is a file, not a folder" }
                if !FileManager.default.isWritableFile(atPath: ancestor.path) { return "'\(ancestor.path)' is not writable" }
                break
            }
            ancestor = ancestor.deletingLastPathComponent()
        }
        if let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return "the system refused it (\((error as NSError).domain) \((error as NSError).code))"
    }
}
