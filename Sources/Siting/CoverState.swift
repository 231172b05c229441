/// The chosen set and, for every demand point, how many chosen stations cover it. Adding or
/// removing a station touches only that station's lists, so greedy steps and swaps are cheap.
struct CoverState {
    let index: CoverageIndex
    /// Chosen stations covering each demand point.
    var count: [Int32]
    /// Sum of the indices of the chosen stations covering each demand point: when `count` is 1
    /// this is the one station covering it.
    var soleSum: [Int]
    /// Chosen stations closer than the minimum spacing to each candidate.
    var blocked: [Int32]
    var chosen: [Bool]

    init(index: CoverageIndex) {
        self.index = index
        count = [Int32](repeating: 0, count: index.demandCount)
        soleSum = [Int](repeating: 0, count: index.demandCount)
        blocked = [Int32](repeating: 0, count: index.candidateCount)
        chosen = [Bool](repeating: false, count: index.candidateCount)
    }

    /// Weight `j` would newly cover.
    @inline(__always)
    func gain(_ j: Int) -> Double {
        var g = 0.0
        index.candDemand.withUnsafeBufferPointer { cd in
            count.withUnsafeBufferPointer { cnt in
                index.weight.withUnsafeBufferPointer { w in
                    var k = index.candStart[j]
                    let end = index.candStart[j + 1]
                    while k < end {
                        let i = Int(cd[k])
                        if cnt[i] == 0 { g += w[i] }
                        k += 1
                    }
                }
            }
        }
        return g
    }

    /// Whether `j` may be added without breaking the spacing constraint.
    @inline(__always)
    func isFree(_ j: Int) -> Bool { !chosen[j] && blocked[j] == 0 }

    mutating func add(_ j: Int) {
        chosen[j] = true
        for k in index.candStart[j]..<index.candStart[j + 1] {
            let i = Int(index.candDemand[k])
            count[i] += 1
            soleSum[i] &+= j
        }
        if index.hasSpacing {
            for k in index.conflictStart[j]..<index.conflictStart[j + 1] {
                blocked[Int(index.conflict[k])] += 1
            }
        }
    }

    mutating func remove(_ j: Int) {
        chosen[j] = false
        for k in index.candStart[j]..<index.candStart[j + 1] {
            let i = Int(index.candDemand[k])
            count[i] -= 1
            soleSum[i] &-= j
        }
        if index.hasSpacing {
            for k in index.conflictStart[j]..<index.conflictStart[j + 1] {
                blocked[Int(index.conflict[k])] -= 1
            }
        }
    }

    /// Covered weight, summed in demand order (the one canonical sum).
    func coveredWeight() -> Double {
        var s = 0.0
        for i in 0..<index.demandCount where count[i] > 0 { s += index.weight[i] }
        return s
    }
}

/// Max-heap of (gain, candidate) ordered by gain, then by lower candidate index, so that
/// ties always go to the lower index.
struct GainHeap {
    struct Entry {
        var gain: Double
        var candidate: Int
        var stamp: Int
    }

    private(set) var items: [Entry] = []

    var isEmpty: Bool { items.isEmpty }
    var top: Entry? { items.first }

    @inline(__always)
    private static func above(_ a: Entry, _ b: Entry) -> Bool {
        a.gain != b.gain ? a.gain > b.gain : a.candidate < b.candidate
    }

    init(_ entries: [Entry]) {
        items = entries
        if items.count > 1 {
            var i = items.count / 2 - 1
            while i >= 0 {
                siftDown(i)
                i -= 1
            }
        }
    }

    mutating func pop() -> Entry? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            siftDown(0)
        }
        return first
    }

    mutating func push(_ e: Entry) {
        items.append(e)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if Self.above(items[i], items[parent]) {
                items.swapAt(i, parent)
                i = parent
            } else {
                break
            }
        }
    }

    private mutating func siftDown(_ start: Int) {
        var i = start
        let n = items.count
        while true {
            let l = 2 * i + 1
            if l >= n { return }
            var best = l
            let r = l + 1
            if r < n && Self.above(items[r], items[l]) { best = r }
            if Self.above(items[best], items[i]) {
                items.swapAt(best, i)
                i = best
            } else {
                return
            }
        }
    }
}
