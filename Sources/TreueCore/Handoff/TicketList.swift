import Foundation

/// The open handoff tickets in transcripts, for a helpdesk (`treue tickets`): tickets no
/// agent took in the chat, with the callback contact when the customer left one. Built in
/// one pass over the records; memory grows with the tickets, not the records.
public struct TicketList: Sendable {
    public struct Ticket: Codable, Sendable, Equatable {
        public var ticket: String
        public var opened: String
        public var session: String
        public var instance: String?
        public var customer: String?
        public var lang: String?
        public var reason: String?
        public var intent: String?
        public var contact: String?
        public var contactKind: String?
        /// `callback` (a contact was left), `left_waiting` or `no_contact`.
        public var status: String

        enum CodingKeys: String, CodingKey {
            case ticket, opened, session, instance, customer, lang, reason, intent, contact, status
            case contactKind = "contact_kind"
        }
    }

    private var tickets: [String: Ticket] = [:]
    private var order: [String] = []
    private var handled: Set<String> = []
    /// Per open session: the logged-in customer id and the language, for tickets opened later.
    private var sessions: [String: (customer: String?, lang: String?)] = [:]

    public init() {}

    public mutating func add(_ record: TranscriptRecord) {
        switch record.type {
        case .sessionOpen:
            sessions[record.session] = (nil, record.lang)
        case .login:
            sessions[record.session, default: (nil, nil)].customer = record.customer
        case .reply:
            if let lang = record.lang { sessions[record.session, default: (nil, nil)].lang = lang }
        case .handoff:
            guard let id = record.ticket, tickets[id] == nil else { return }
            let session = sessions[record.session]
            tickets[id] = Ticket(ticket: id, opened: record.ts, session: record.session, instance: record.instance, customer: session?.customer,
                                 lang: session?.lang, reason: record.reason, intent: record.intent, status: "no_contact")
            order.append(id)
        case .callback:
            guard let id = record.ticket else { return }
            tickets[id]?.contact = record.contact
            tickets[id]?.contactKind = record.reason
            tickets[id]?.status = "callback"
        case .leftWaiting:
            guard let id = record.ticket, tickets[id]?.status == "no_contact" else { return }
            tickets[id]?.status = "left_waiting"
        case .agentJoined:
            if let id = record.ticket { handled.insert(id) }
        case .sessionClose:
            sessions[record.session] = nil
        default:
            break
        }
    }

    /// Open tickets, oldest first.
    public var open: [Ticket] {
        order.filter { !handled.contains($0) }.compactMap { tickets[$0] }
    }

    public static let csvColumns = ["ticket", "opened", "status", "contact_kind", "contact", "customer", "lang", "reason", "intent", "session", "instance"]

    public static func csvRow(_ t: Ticket) -> [String] {
        [t.ticket, t.opened, t.status, t.contactKind ?? "", t.contact ?? "", t.customer ?? "", t.lang ?? "", t.reason ?? "", t.intent ?? "",
         t.session, t.instance ?? ""]
    }
}
