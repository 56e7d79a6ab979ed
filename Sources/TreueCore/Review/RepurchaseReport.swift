/// The seeds' repurchase rate ("Wiederkaufrate") after a chat: of the logged-in customers
/// who chatted, the share with a new order within 30 and 90 days, by outcome, intent and
/// satisfaction, beside the same share for customers of the export who did not chat. A
/// comparison, not a claim of cause.
public struct RepurchaseReport: Codable, Sendable, Equatable {
    public struct Rate: Codable, Sendable, Equatable {
        public var days: Int
        /// Customers whose whole window lies before the export's last order date.
        public var eligible: Int
        /// Of those, customers with an order on a later day within the window.
        public var repurchased: Int
        public var rate: Double?
    }

    public struct Group: Codable, Sendable, Equatable {
        public var name: String
        public var customers: Int
        public var rates: [Rate]
    }

    /// The export's last `ordered` day: windows must end by it to count.
    public var lastOrderDay: String?
    /// Logged-in customers who chatted, counted at their first chat in the period.
    public var chatted: Group
    /// Customers of the export who did not chat, counted from the median first-chat day.
    public var notChatted: Group
    public var referenceDay: String?
    /// `answered`, `fallback`, `handed_off`.
    public var byOutcome: [Group]
    /// Every intent the customer asked in that chat.
    public var byIntent: [Group]
    /// The score given in that chat, or `none`.
    public var bySatisfaction: [Group]

    public static let windows = [30, 90]

    /// One customer's first chat of the period.
    public struct Chat: Sendable {
        public var customer: String
        public var day: OrderDate
        public var outcome: String
        public var intents: Set<String>
        public var score: Int?
    }

    public static func make(chats: [Chat], orders: OrderExport) -> RepurchaseReport {
        var orderDays: [String: [OrderDate]] = [:]
        var last: OrderDate?
        for order in orders.byNumber.values {
            guard let day = order.fields["ordered"].flatMap(OrderDate.init(iso:)) else { continue }
            orderDays[order.customer, default: []].append(day)
            if last.map({ day > $0 }) ?? true { last = day }
        }
        func group(_ name: String, _ members: [(customer: String, day: OrderDate)]) -> Group {
            Group(name: name, customers: members.count, rates: windows.map { days in
                var eligible = 0
                var repurchased = 0
                for member in members {
                    guard let last, last.days(since: member.day) >= days else { continue }
                    eligible += 1
                    let later = orderDays[member.customer, default: []].contains { order in
                        let after = order.days(since: member.day)
                        return after >= 1 && after <= days
                    }
                    if later { repurchased += 1 }
                }
                return Rate(days: days, eligible: eligible, repurchased: repurchased,
                            rate: eligible == 0 ? nil : Double(repurchased) / Double(eligible))
            })
        }
        let members = chats.map { ($0.customer, $0.day) }
        let sortedDays = chats.map(\.day).sorted()
        let reference = sortedDays.isEmpty ? nil : sortedDays[sortedDays.count / 2]
        let chatters = Set(chats.map(\.customer))
        let others = Set(orderDays.keys).subtracting(chatters).sorted()
        let notChatted = reference.map { day in group("not chatted", others.map { ($0, day) }) } ?? group("not chatted", [])
        func split(_ key: (Chat) -> [String]) -> [Group] {
            var buckets: [String: [(String, OrderDate)]] = [:]
            for chat in chats { for name in key(chat) { buckets[name, default: []].append((chat.customer, chat.day)) } }
            return buckets.map { group($0.key, $0.value) }.sorted { ($0.customers, $1.name) > ($1.customers, $0.name) }
        }
        return RepurchaseReport(
            lastOrderDay: last?.iso, chatted: group("chatted", members), notChatted: notChatted, referenceDay: reference?.iso,
            byOutcome: split { [$0.outcome] }, byIntent: split { $0.intents.sorted() },
            bySatisfaction: split { [$0.score.map(String.init) ?? "none"] })
    }
}
