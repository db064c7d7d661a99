extension Batcher {
    /// The window order of `epoch` under the balanced sampler: as many windows as the split has, dealt to the classes
    /// present as equally as the count allows (the remainder to the lowest labels), each class's share cycling
    /// through its windows in a seeded shuffled order, and the whole shuffled; reproducible from (seed, epoch).
    func balancedOrder(epoch: Int) -> [Int] {
        var random = SeededGenerator(seed: seed, stream: 0x4241_4c, UInt64(truncatingIfNeeded: epoch))
        var byClass: [Int: [Int]] = [:]
        for index in indices { byClass[dataset.labels[index], default: []].append(index) }
        let classes = byClass.keys.sorted()
        let share = indices.count / classes.count, extra = indices.count % classes.count
        var order: [Int] = []
        order.reserveCapacity(indices.count)
        for (position, label) in classes.enumerated() {
            let quota = share + (position < extra ? 1 : 0)
            var drawn = 0
            while drawn < quota {
                let cycle = byClass[label]!.shuffled(using: &random).prefix(quota - drawn)
                order += cycle
                drawn += cycle.count
            }
        }
        return order.shuffled(using: &random)
    }
}
