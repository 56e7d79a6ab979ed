import Foundation
import Testing
@testable import TreueServer
import TreueCore

/// What the order service's answers become: only a well-formed object of the order asked
/// for is an order; everything else is "unavailable", never a guess.
struct HTTPOrderSourceTests {
    func parse(_ json: String, number: String = "44812345") -> OrderLookupResult {
        HTTPOrderSource.parse(body: Data(json.utf8), number: number)
    }

    @Test func anOrderObjectIsTheOrder() throws {
        let result = parse(#"{"number":"44812345","customer":"C1001","postcode":"10115","status":"paid","ordered":"2026-12-01","total":49.9,"note":null}"#)
        guard case let .found(order) = result else { Issue.record("\(result)"); return }
        #expect(order.status == .paid)
        #expect(order.fields["total"] == "49.9")
        #expect(order.fields["note"] == nil)
    }

    @Test(arguments: [
        ("{\"number\": ", "not a JSON object"),
        ("[1,2,3]", "not a JSON object"),
        ("\"text\"", "not a JSON object"),
        (#"{"number":"44812345","customer":"C1001","postcode":"10115","status":"paid","ordered":"2026-12-01","items":[1]}"#, "'items' is not text"),
        (#"{"number":"99999999","customer":"C1001","postcode":"10115","status":"paid","ordered":"2026-12-01"}"#, "another order"),
        (#"{"number":"44812345","customer":"C1001","postcode":"10115","status":"lost","ordered":"2026-12-01"}"#, "unknown status"),
        (#"{"number":"44812345","customer":"C1001","status":"paid","ordered":"2026-12-01"}"#, "missing 'postcode'"),
    ])
    func malformedAnswersAreUnavailable(json: String, reason: String) {
        guard case let .unavailable(why) = parse(json) else { Issue.record("accepted \(json)"); return }
        #expect(why.contains(reason), "\(why)")
    }
}
