import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A failed transfer said in words a person can act on, instead of Foundation's `NSURLErrorDomain Code=-1003` dump.
enum NetworkFailure {
    /// What went wrong fetching `url` and what to do about it.
    static func describe(_ error: any Error, url: URL) -> String {
        let host = url.host ?? url.absoluteString
        let lead = "download of \(url.absoluteString) failed: "
        let nsError = error as NSError
        guard nsError.domain == NSURLErrorDomain else { return lead + "\(error)" }
        switch URLError.Code(rawValue: nsError.code) {
        case .cannotFindHost, .dnsLookupFailed:
            return lead + "cannot find the host \(host) (no network, or no name server): check the connection and try again, "
                + "or download the archive elsewhere and load it with 'load NAME from PATH'"
        case .notConnectedToInternet:
            return lead + "this machine is offline: connect and try again, or load the archive with 'load NAME from PATH'"
        case .cannotConnectToHost:
            return lead + "\(host) refused the connection or is unreachable: try again later, "
                + "or download the archive elsewhere and load it with 'load NAME from PATH'"
        case .timedOut:
            return lead + "\(host) did not answer in time: check the connection and try again"
        case .networkConnectionLost:
            return lead + "the connection to \(host) was lost mid-transfer: try again"
        default:
            return lead + nsError.localizedDescription + " (\(nsError.domain) \(nsError.code))"
        }
    }
}
