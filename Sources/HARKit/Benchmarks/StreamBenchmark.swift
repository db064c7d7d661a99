import Foundation
import Torch

/// How fast the stream path (`stream`, `replay`) runs a model on a window shape: the sustained input rate (sample
/// lines parsed, z-scored, windowed and classified every hop, as fast as they come) and the latency from a sample
/// line's arrival on a localhost TCP connection to the prediction it completes.
public enum StreamBenchmark {
    /// The figures of one run.
    public struct Result: Sendable {
        /// The model spec.
        public var model: String
        /// The shape's name.
        public var shape: String
        /// Samples between predictions.
        public var hop: Int
        /// libtorch threads.
        public var threads: Int
        /// Sample lines through the stream path per second, sustained.
        public var samplesPerSecond: Double
        /// The sensor rate the headroom is counted against (samples per second of one stream of the shape's channels).
        public var sensorRate: Double
        /// Median and 95th percentile, in milliseconds, from a sample line's send on localhost TCP to its prediction.
        public var latencyP50: Double
        /// See `latencyP50`.
        public var latencyP95: Double
        /// Predictions the latencies are taken over.
        public var latencyPredictions: Int

        /// How many streams at `sensorRate` the path keeps up with.
        public var headroom: Double { samplesPerSecond / sensorRate }

        /// One JSON line (sorted keys) for `har-bench`.
        public var jsonLine: String {
            let object: [String: Any] = [
                "tool": "harlab-\(HARKit.version)", "benchmark": "stream", "model": model, "dataset": shape, "hop": hop, "threads": threads,
                "stream_samples_per_s": samplesPerSecond.rounded(), "sensor_rate_hz": sensorRate, "headroom": (headroom * 10).rounded() / 10,
                "latency_ms_p50": (latencyP50 * 1000).rounded() / 1000, "latency_ms_p95": (latencyP95 * 1000).rounded() / 1000,
                "latency_predictions": latencyPredictions,
            ]
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
    }

    /// Measures `model` (a fresh, untrained model: speed does not depend on the weights) on `shape`'s windows.
    /// - Parameters:
    ///   - hop: samples between predictions (default: half a window, the datasets' default overlap).
    ///   - samples: sample lines timed for the sustained rate.
    ///   - predictions: predictions timed for the latency.
    /// - Throws: spec, libtorch or socket errors.
    public static func run(model specText: String, shape: BenchmarkShape, sensorRate: Double = 25, hop: Int? = nil,
                           samples: Int = 20_000, predictions: Int = 100, threads: Int) throws -> Result {
        try Runtime.setThreads(threads)
        Runtime.manualSeed(0)
        let model = try ModelFactory.make(try ModelSpec(specText), input: shape.input)
        let channels = shape.input.channels, hop = hop ?? max(1, shape.input.time / 2)
        var configuration = StreamConfiguration(classNames: (0..<shape.input.classes).map { "class\($0)" },
                                                channelNames: (0..<channels).map { "ch\($0)" }, modelRate: sensorRate,
                                                windowLength: shape.input.time, hop: hop,
                                                normalization: .init(mean: [Float](repeating: 0.1, count: channels),
                                                                     std: [Float](repeating: 2, count: channels)))
        configuration.smoothing = .majority(5)
        var generator = SeededGenerator(seed: 1)
        let lines = (0..<samples).map { _ in
            (0..<channels).map { _ in String(format: "%.4f", Double.random(in: -2...2, using: &generator)) }.joined(separator: ",")
        }
        // Warm-up: one window and a few hops, untimed.
        let warm = SampleLineStream(recognizer: try StreamRecognizer(model: model, configuration: configuration))
        for line in lines.prefix(shape.input.time + 4 * hop) { _ = try warm.feed(line: line) }
        let stream = SampleLineStream(recognizer: try StreamRecognizer(model: model, configuration: configuration))
        let start = DispatchTime.now().uptimeNanoseconds
        for line in lines { _ = try stream.feed(line: line) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let latencies = try latencies(model: model, configuration: configuration, lines: lines, predictions: predictions).sorted()
        return Result(model: specText, shape: shape.name, hop: hop, threads: threads, samplesPerSecond: Double(samples) / seconds,
                      sensorRate: sensorRate, latencyP50: percentile(latencies, 0.5), latencyP95: percentile(latencies, 0.95),
                      latencyPredictions: latencies.count)
    }

    /// Milliseconds from sending the line that completes a window on a localhost TCP connection to its prediction,
    /// read through `StreamInput` as `stream from tcp:PORT` reads it.
    static func latencies(model: any HARModel, configuration: StreamConfiguration, lines: [String], predictions: Int) throws -> [Double] {
        let input = try StreamInput(.tcp(host: StreamSource.localHost, port: 0))
        let client = try LoopbackClient(port: input.port ?? 0)
        guard case .connected = try input.next(waiting: 5) else { throw StreamError("the benchmark's client did not connect") }
        let stream = SampleLineStream(recognizer: try StreamRecognizer(model: model, configuration: configuration))
        var sent = 0, fed = 0, latencies: [Double] = []
        func pump(until count: Int) throws -> [StreamPrediction] {
            var made: [StreamPrediction] = []
            while fed < count {
                guard case .lines(let texts) = try input.next(waiting: 5) else { continue }
                for text in texts { made += try stream.feed(line: text).predictions }
                fed += texts.count
            }
            return made
        }
        while latencies.count < predictions {
            let untimed = latencies.isEmpty ? configuration.windowLength - 1 : configuration.hop - 1
            for _ in 0..<untimed { try client.send(lines[sent % lines.count] + "\n"); sent += 1 }
            _ = try pump(until: sent)
            let start = DispatchTime.now().uptimeNanoseconds
            try client.send(lines[sent % lines.count] + "\n")
            sent += 1
            guard !(try pump(until: sent)).isEmpty else { throw StreamError("the window's last sample made no prediction") }
            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return latencies
    }
}

/// A TCP client of 127.0.0.1 for the stream benchmark: connects at once (the listener's backlog accepts it).
private final class LoopbackClient {
    private let descriptor: Int32

    init(port: UInt16) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, StreamSource.localHost, &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else {
            close(descriptor)
            throw StreamError("cannot connect to 127.0.0.1:\(port): \(String(cString: strerror(errno)))")
        }
        var noDelay: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close(descriptor) }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw StreamError("sending to the stream benchmark's listener failed") }
            offset += n
        }
    }
}
