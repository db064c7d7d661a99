import HARKit

/// `inspect attention` / `plot attention`: one layer's spatial attention map (time × channel) of a test window or a
/// class mean, as a terminal heat map.
struct InspectedAttention: CommandOutput {
    /// The command word of the result (`inspect` or `plot`).
    var command: String
    /// Every layer's map, with the windows averaged, the split and the channel names.
    var maps: AttentionMaps
    /// The index of the layer shown.
    var layer: Int

    /// A caption line, then the heat map.
    func lines(in layout: TextLayout) -> [String] {
        let shown = maps.layers[layer]
        return ["attention \(shown.name) (\(counted(shown.values.count, "step")) × \(counted(maps.channelNames.count, "channel"))), \(maps.caption)"]
            + TerminalHeatMap.render(shown.values, channels: maps.channelNames, style: layout.style, width: layout.width)
    }

    /// `target`, `layer`, `layers`, `split`, `windows`, `caption`, `channels`, `map`.
    var result: CommandResult { CommandResult(command: command, fields: InspectedAttention.fields(maps, layer: layer)) }

    /// The fields of an attention map: the layer shown, every layer, the split, the windows averaged, the channels
    /// and the `T′ × C` values (`plot attention to FILE` adds them to its own).
    static func fields(_ maps: AttentionMaps, layer: Int) -> [(String, JSONValue)] {
        [("target", .string("attention")), ("layer", .string(maps.layers[layer].name)), ("layers", .array(maps.layers.map { .string($0.name) })),
         ("split", .string(maps.split.rawValue)), ("windows", .array(maps.windows.map { .int($0) })),
         ("caption", .string(maps.caption)), ("channels", .array(maps.channelNames.map { .string($0) })),
         ("map", .array(maps.layers[layer].values.map { .array($0.map { .double($0) }) }))]
    }
}
