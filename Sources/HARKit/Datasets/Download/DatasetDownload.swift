import Foundation

/// A finished download: where the dataset is, the archive's SHA-256 and what that digest was checked against.
public struct DatasetDownload: Sendable, Equatable {
    /// What the archive's SHA-256 was compared with.
    public enum Check: String, Sendable {
        /// A digest given for this download (`expectedSHA256`); it matched.
        case pinned
        /// The digest recorded by an earlier download into the same data directory; it matched.
        case recorded
        /// Nothing: no digest was known, so this one was recorded for later downloads (trust on first use).
        case firstUse = "first-use"
    }

    /// The dataset's canonical name.
    public let name: String
    /// The unpacked dataset.
    public let folder: URL
    /// The archive's SHA-256, lowercase hex.
    public let sha256: String
    /// How the digest was checked.
    public let check: Check

    /// One line saying where the dataset is and exactly what was verified.
    public var summary: String {
        let verified: String
        switch check {
        case .pinned: verified = "size and SHA-256 \(sha256) verified against the given digest"
        case .recorded:
            verified = "size verified; SHA-256 \(sha256) matches the one recorded by the first download in \(DatasetDownloader.checksumFile)"
        case .firstUse:
            verified = "size verified; the publisher gives no digest, so SHA-256 \(sha256) was recorded in "
                + "\(DatasetDownloader.checksumFile) and later downloads must match it"
        }
        return "\(name) is in \(folder.path) (\(verified))"
    }
}
