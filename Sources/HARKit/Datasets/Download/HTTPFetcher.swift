import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Downloads one URL into a file, reporting progress, and fails when the body is shorter than the announced length.
final class HTTPFetcher: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let destination: FileHandle
    private let progress: ((Int64, Int64?) -> Void)?
    private let done = DispatchSemaphore(value: 0)
    private var received: Int64 = 0
    private var expected: Int64?
    private var status = 0
    private var failure: Error?

    private init(destination: FileHandle, progress: ((Int64, Int64?) -> Void)?) {
        self.destination = destination
        self.progress = progress
    }

    /// Fetches `url` into a new file at `file`; returns the byte count.
    /// - Parameter shouldStop: polled ten times a second; when it says yes the transfer is cancelled.
    /// - Throws: `DatasetError` for an HTTP error status, a network failure, a truncated body, or a cancelled transfer.
    static func fetch(_ url: URL, to file: URL, progress: ((Int64, Int64?) -> Void)?, shouldStop: () -> Bool = { false }) throws -> Int64 {
        // Stopped before it began: no task at all. (Cancelling a task right after `resume()` can crash Linux's
        // FoundationNetworking, "a task that in not in the registry", which DataCommandTests' Ctrl-C test hit.)
        if shouldStop() { throw DatasetError("download of \(url.absoluteString) stopped by Ctrl-C before it began") }
        guard FileManager.default.createFile(atPath: file.path, contents: nil), let handle = FileHandle(forWritingAtPath: file.path) else {
            throw DatasetError.at(file, "cannot create the download file")
        }
        defer { try? handle.close() }
        let fetcher = HTTPFetcher(destination: handle, progress: progress)
        let session = URLSession(configuration: .ephemeral, delegate: fetcher, delegateQueue: nil)
        let task = session.dataTask(with: url)
        task.resume()
        var stopped = false
        repeat {
            if !stopped, shouldStop() {
                stopped = true
                task.cancel()
            }
        } while fetcher.done.wait(timeout: .now() + 0.1) == .timedOut
        session.finishTasksAndInvalidate()
        if stopped { throw DatasetError("download of \(url.absoluteString) stopped by Ctrl-C after \(fetcher.received) bytes") }
        if let failure = fetcher.failure { throw DatasetError(NetworkFailure.describe(failure, url: url)) }
        guard (200..<300).contains(fetcher.status) else { throw DatasetError("download of \(url.absoluteString) failed: HTTP status \(fetcher.status)") }
        if let expected = fetcher.expected, expected != fetcher.received {
            throw DatasetError("download of \(url.absoluteString) is truncated: received \(fetcher.received) of \(expected) bytes")
        }
        return fetcher.received
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        status = (response as? HTTPURLResponse)?.statusCode ?? 0
        expected = response.expectedContentLength >= 0 ? response.expectedContentLength : nil
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        do {
            try destination.write(contentsOf: data)
            received += Int64(data.count)
            progress?(received, expected)
        } catch {
            failure = error
            dataTask.cancel()
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        if let error, failure == nil { failure = error }
        done.signal()
    }
}
