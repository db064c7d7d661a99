/// `count` and `noun`, the noun in the plural unless the count is one: `1 epoch`, `3 epochs`, `0 runs`.
/// - Parameter plural: the plural when it is not the noun plus `s` (`1 class`, `2 classes`).
public func counted(_ count: Int, _ noun: String, plural: String? = nil) -> String {
    "\(count) " + (count == 1 ? noun : plural ?? noun + "s")
}
