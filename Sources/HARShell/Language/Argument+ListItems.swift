/// Lists written without a space after a comma (`augment jitter, rotate=30,crop`): the tokenizer keeps a comma
/// inside a word, because some values hold one (`split=subjects:7,8`), so a command whose arguments are list items
/// splits them itself.
extension Argument {
    /// The list items this argument joins with commas, each with its own offset: `rotate=30,crop` is `rotate=30` and
    /// `crop`, `jitter,scale=0.1` is `jitter` and `scale=0.1`. A quoted argument, or one without a comma, is one item.
    var listItems: [Argument] {
        guard !quoted, value.contains(",") else { return [self] }
        var items: [Argument] = []
        var offset = self.offset + (key.map { $0.count + 1 } ?? 0)
        for (index, piece) in value.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
            let text = String(piece)
            if index == 0, let key {
                items.append(Argument(key: key, value: text, offset: self.offset))
            } else if let equals = text.firstIndex(of: "="), equals != text.startIndex {
                items.append(Argument(key: String(text[..<equals]), value: String(text[text.index(after: equals)...]), offset: offset))
            } else {
                items.append(Argument(value: text, offset: offset))
            }
            offset += text.count + 1
        }
        return items
    }
}
