import HARKit

/// One `set`/`show` key: its name, meaning, and how it reads and writes its `TrainingConfig` field
/// with validation.
public struct ConfigKey: Sendable {
    /// The key as typed (`lr`, `min_delta`).
    public let name: String
    /// One line saying what it controls.
    public let meaning: String
    /// The values it takes, for messages and `show` (`> 0`, `adamw|adam|sgd`).
    public let domain: String
    /// Words `set KEY` completes to.
    public let completions: [String]
    /// The value in `config`, written as `set` accepts it.
    public let read: @Sendable (TrainingConfig) -> String
    /// Parses `value` and stores it; throws `ShellError` naming the key and value when invalid.
    public let write: @Sendable (inout TrainingConfig, String) throws -> Void

    /// The default value, written as `set` accepts it.
    public var defaultValue: String { read(TrainingConfig()) }

    /// The key named `name`.
    public static func named(_ name: String) -> ConfigKey? { all.first { $0.name == name } }

    /// Every setting of `config` as a JSON object, keys as `set` names them (`status`, `tune`).
    static func json(_ config: TrainingConfig) -> JSONValue {
        .object(all.map { ($0.name, .string($0.read(config))) })
    }

    /// Every key, in `show` order.
    public static let all: [ConfigKey] = [
        real("lr", "learning rate", \.learningRate, domain: "> 0") { $0 > 0 },
        integer("batch", "windows per training batch", \.batchSize, domain: "≥ 1") { $0 >= 1 },
        integer("epochs", "epochs a plain `train` runs", \.epochs, domain: "≥ 1") { $0 >= 1 },
        choice("optimizer", "optimizer that updates the weights", \.optimizer),
        real("wd", "weight decay (decoupled for adamw, L2 in the gradient for adam/sgd)", \.weightDecay, domain: "≥ 0") { $0 >= 0 },
        real("momentum", "SGD momentum", \.momentum, domain: "in [0, 1)") { $0 >= 0 && $0 < 1 },
        real("l1", "L1 penalty weight on all weights, added to the loss", \.l1, domain: "≥ 0") { $0 >= 0 },
        real("l2", "L2 penalty weight on all weights, added to the loss", \.l2, domain: "≥ 0") { $0 >= 0 },
        optionalReal("dropout", "dropout probability (model: the model's own)", \.dropout, none: "model",
                     domain: "in [0, 1) or model") { $0 >= 0 && $0 < 1 },
        choice("schedule", "how the learning rate changes over epochs", \.schedule),
        optionalInteger("step", "StepLR period in epochs (auto: a third of the epochs)", \.stepSize, none: "auto",
                        domain: "≥ 1 or auto") { $0 >= 1 },
        real("gamma", "StepLR factor", \.gamma, domain: "in (0, 1]") { $0 > 0 && $0 <= 1 },
        integer("patience", "early-stopping patience in epochs (0: off)", \.patience, domain: "≥ 0") { $0 >= 0 },
        real("min_delta", "smallest validation improvement that resets patience", \.minDelta, domain: "≥ 0") { $0 >= 0 },
        real("val", "fraction of train held out for early stopping and model selection", \.validationFraction,
             domain: "in [0, 1)") { $0 >= 0 && $0 < 1 },
        ConfigKey(name: "amp", meaning: "mixed precision: bfloat16 autocast (auto: where the CPU computes bfloat16)",
                  domain: "auto|on|off", completions: PrecisionMode.allCases.map(\.rawValue),
                  read: { $0.mixedPrecision.rawValue }, write: { config, text in
                      switch text.lowercased() {
                      case "auto": config.mixedPrecision = .auto
                      case "on", "true", "yes", "1": config.mixedPrecision = .on
                      case "off", "false", "no", "0": config.mixedPrecision = .off
                      default: throw invalid("amp", text, "auto|on|off")
                      }
                  }),
        ConfigKey(name: "seed", meaning: "seed for weights, shuffling, augmentation and dropout", domain: "integer ≥ 0",
                  completions: [], read: { String($0.seed) }, write: { config, text in
                      guard let value = UInt64(text) ?? exactInteger(text).flatMap({ $0 >= 0 ? UInt64($0) : nil }) else {
                          throw invalid("seed", text, "integer ≥ 0")
                      }
                      config.seed = value
                  }),
        optionalInteger("threads", "libtorch intra-op threads (auto: the CPUs this process may use, or OMP_NUM_THREADS)", \.threads, none: "auto",
                        domain: "≥ 1 or auto") { $0 >= 1 && $0 <= 1024 },
        optionalReal("clip", "gradient-norm clipping threshold (off: no clipping)", \.clipNorm, none: "off",
                     domain: "> 0 or off") { $0 > 0 },
        real("label_smoothing", "label smoothing of the cross-entropy loss", \.labelSmoothing,
             domain: "in [0, 1)") { $0 >= 0 && $0 < 1 },
        optionalInteger("warmup", "epochs of linear learning-rate warm-up before the schedule (off: none)", \.warmupEpochs,
                        none: "off", domain: "≥ 1 or off") { $0 >= 1 && $0 <= 100_000 },
        optionalReal("ema", "decay of the moving average of the weights that replaces them after train (off: none)",
                     \.averagingDecay, none: "off", domain: "in (0, 1) or off") { $0 > 0 && $0 < 1 },
        ConfigKey(name: "tensorboard", meaning: "folder of TensorBoard logs: every run's epoch scalars and hyperparameters, a subfolder each (off: none)",
                  domain: "a folder or off", completions: ["off"], read: { $0.tensorBoardDirectory ?? "off" }, write: { config, text in
                      guard !text.isEmpty else { throw invalid("tensorboard", text, "a folder or off") }
                      config.tensorBoardDirectory = text.lowercased() == "off" ? nil : text
                  }),
        classWeights, sampler, stemLearningRate,
        syncBatchNorm,
    ]

    static func invalid(_ key: String, _ text: String, _ domain: String) -> ShellError {
        ShellError("invalid value '\(text)' for \(key): expected \(domain)")
    }

    /// `text` as a finite number (`1e-3`, `0.5`, `30`); nil for `nan`, `inf`, `1e999` and non-numbers.
    static func finiteNumber(_ text: String) -> Double? {
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// `text` as an integer, also when written as an integral number (`1e3`).
    static func exactInteger(_ text: String) -> Int? {
        if let value = Int(text) { return value }
        guard let value = finiteNumber(text), value == value.rounded(), abs(value) < 1e15 else { return nil }
        return Int(value)
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e6 ? String(Int(value)) : "\(value)"
    }

    private static func real(_ name: String, _ meaning: String, _ path: WritableKeyPath<TrainingConfig, Double> & Sendable,
                             domain: String, _ valid: @escaping @Sendable (Double) -> Bool) -> ConfigKey {
        ConfigKey(name: name, meaning: meaning, domain: domain, completions: [], read: { format($0[keyPath: path]) },
                  write: { config, text in
                      guard let value = finiteNumber(text), valid(value) else { throw invalid(name, text, "a number \(domain)") }
                      config[keyPath: path] = value
                  })
    }

    private static func optionalReal(_ name: String, _ meaning: String, _ path: WritableKeyPath<TrainingConfig, Double?> & Sendable,
                                     none: String, domain: String,
                                     _ valid: @escaping @Sendable (Double) -> Bool) -> ConfigKey {
        ConfigKey(name: name, meaning: meaning, domain: domain, completions: [none],
                  read: { $0[keyPath: path].map(format) ?? none },
                  write: { config, text in
                      if text.lowercased() == none { config[keyPath: path] = nil; return }
                      guard let value = finiteNumber(text), valid(value) else { throw invalid(name, text, "a number \(domain)") }
                      config[keyPath: path] = value
                  })
    }

    private static func integer(_ name: String, _ meaning: String, _ path: WritableKeyPath<TrainingConfig, Int> & Sendable,
                                domain: String, _ valid: @escaping @Sendable (Int) -> Bool) -> ConfigKey {
        ConfigKey(name: name, meaning: meaning, domain: domain, completions: [], read: { String($0[keyPath: path]) },
                  write: { config, text in
                      guard let value = exactInteger(text), valid(value) else { throw invalid(name, text, "an integer \(domain)") }
                      config[keyPath: path] = value
                  })
    }

    private static func optionalInteger(_ name: String, _ meaning: String, _ path: WritableKeyPath<TrainingConfig, Int?> & Sendable,
                                        none: String, domain: String,
                                        _ valid: @escaping @Sendable (Int) -> Bool) -> ConfigKey {
        ConfigKey(name: name, meaning: meaning, domain: domain, completions: [none],
                  read: { $0[keyPath: path].map(String.init) ?? none },
                  write: { config, text in
                      if text.lowercased() == none { config[keyPath: path] = nil; return }
                      guard let value = exactInteger(text), valid(value) else { throw invalid(name, text, "an integer \(domain)") }
                      config[keyPath: path] = value
                  })
    }

    private static func choice<Value: RawRepresentable & CaseIterable & Sendable>(
        _ name: String, _ meaning: String, _ path: WritableKeyPath<TrainingConfig, Value> & Sendable
    ) -> ConfigKey where Value.RawValue == String {
        let names = Value.allCases.map(\.rawValue)
        return ConfigKey(name: name, meaning: meaning, domain: names.joined(separator: "|"), completions: names,
                         read: { $0[keyPath: path].rawValue },
                         write: { config, text in
                             guard let value = Value(rawValue: text.lowercased()) else {
                                 throw ShellError(Suggestion.unknown("\(name)", text, among: names))
                             }
                             config[keyPath: path] = value
                         })
    }
}
