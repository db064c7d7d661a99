import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest
@testable import HARKit
import TestSupport

/// A download that cannot reach its server says so in words, with what to do, instead of Foundation's
/// `NSURLErrorDomain Code=-1003` dump (issue 20 §6). No traffic leaves the machine: the server is a closed loopback port.
final class NetworkFailureTests: IsolatedTestCase {
    func testAnUnreachableServerIsSaidPlainly() throws {
        let data = try DatasetsTestSupport.temporaryFolder("download-unreachable")
        defer { try? FileManager.default.removeItem(at: data) }
        let url = URL(string: "http://127.0.0.1:1/uci.zip")!
        XCTAssertThrowsError(try DatasetDownloader.download("uci", into: data, from: url)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("127.0.0.1 refused the connection or is unreachable"), message)
            XCTAssertTrue(message.contains("load NAME from PATH"), message)
            XCTAssertFalse(message.contains("NSURLErrorDomain"), message)
        }
    }

    func testEachKindOfNetworkFailureSaysWhatToDo() {
        let url = URL(string: "https://archive.ics.uci.edu/x.zip")!
        let cases: [(URLError.Code, String)] = [(.cannotFindHost, "cannot find the host archive.ics.uci.edu"),
                                                (.notConnectedToInternet, "this machine is offline"),
                                                (.timedOut, "archive.ics.uci.edu did not answer in time")]
        for (code, expected) in cases {
            let error = NSError(domain: NSURLErrorDomain, code: code.rawValue)
            let message = NetworkFailure.describe(error, url: url)
            XCTAssertTrue(message.hasPrefix("download of \(url.absoluteString) failed: \(expected)"), message)
        }
    }
}
