import Foundation

/// Per feature, the classes whose labelled texts had it and the log-weight of its count,
/// stored flat: one slot per feature, its classes in ascending order in one run of two
/// shared arrays.
///
/// Flat, not a dictionary of arrays: training counts tens of thousands of texts at every
/// load, and half a million small dictionaries or arrays made that the slowest part of it.
struct ClassPostings: Sendable {
    private let slots: [UInt64: Int32]
    /// `starts[slot]..<starts[slot + 1]` is the slot's run.
    private let starts: [Int32]
    private let classNumbers: [Int32]
    private let weights: [Double]
    /// Per class, how many features its texts had in all.
    let totals: [Int]

    /// How many different features the texts had.
    var featureCount: Int { slots.count }

    /// `features[text]` are the features of one text (a feature counted as often as it is
    /// listed), of class `classes[text]` (`0..<classCount`); a count `c` weighs
    /// log((c + smoothing) / smoothing).
    init(features: [[UInt64]], classes: [Int], classCount: Int, smoothing: Double) {
        // Texts visited class by class, so each slot's classes come out in ascending order.
        var textsByClass = [[Int]](repeating: [], count: classCount)
        for (text, number) in classes.enumerated() { textsByClass[number].append(text) }
        var slots: [UInt64: Int32] = [:]
        var lastClass: [Int32] = []
        var count: [Int32] = []
        var touched: [Int32] = []
        var totals = [Int](repeating: 0, count: classCount)
        var entrySlots: [Int32] = []
        var entryClasses: [Int32] = []
        var entryCounts: [Int32] = []
        for number in 0..<classCount {
            for text in textsByClass[number] {
                totals[number] += features[text].count
                for feature in features[text] {
                    let slot: Int
                    if let known = slots[feature] {
                        slot = Int(known)
                    } else {
                        slot = lastClass.count
                        slots[feature] = Int32(slot)
                        lastClass.append(-1)
                        count.append(0)
                    }
                    if lastClass[slot] != Int32(number) {
                        lastClass[slot] = Int32(number)
                        count[slot] = 0
                        touched.append(Int32(slot))
                    }
                    count[slot] += 1
                }
            }
            for slot in touched {
                entrySlots.append(slot)
                entryClasses.append(Int32(number))
                entryCounts.append(count[Int(slot)])
            }
            touched.removeAll(keepingCapacity: true)
        }
        // A counting sort by slot keeps each slot's entries in class order.
        var starts = [Int32](repeating: 0, count: lastClass.count + 1)
        for slot in entrySlots { starts[Int(slot) + 1] += 1 }
        for slot in 0..<lastClass.count { starts[slot + 1] += starts[slot] }
        var next = starts
        var classNumbers = [Int32](repeating: 0, count: entrySlots.count)
        var weights = [Double](repeating: 0, count: entrySlots.count)
        for entry in entrySlots.indices {
            let slot = Int(entrySlots[entry])
            let position = Int(next[slot])
            next[slot] += 1
            classNumbers[position] = entryClasses[entry]
            weights[position] = log((Double(entryCounts[entry]) + smoothing) / smoothing)
        }
        self.slots = slots
        self.starts = starts
        self.classNumbers = classNumbers
        self.weights = weights
        self.totals = totals
    }

    func contains(_ feature: UInt64) -> Bool { slots[feature] != nil }

    /// Adds `share` × the feature's weight to the score of each class that saw it; false
    /// when no text had the feature.
    @inline(__always)
    func add(_ feature: UInt64, share: Double = 1, to scores: inout [Double]) -> Bool {
        guard let slot = slots[feature] else { return false }
        for index in Int(starts[Int(slot)])..<Int(starts[Int(slot) + 1]) {
            scores[Int(classNumbers[index])] += share * weights[index]
        }
        return true
    }
}
