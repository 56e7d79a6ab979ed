import Foundation
import Testing
import TreueCore
@testable import TreueServer

struct WireFormatTests {
    func object(_ line: String) throws -> [String: Any] {
        #expect(line.hasSuffix("\n"))
        #expect(line.dropLast().contains("\n") == false)
        return try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func jsonModeWritesOneObjectPerLineWithTheSpecifiedFields() throws {
        var wire = WireFormat()
        let ack = try object(wire.render(.mode(.json)))
        #expect(ack["type"] as? String == "mode")
        #expect(ack["mode"] as? String == "json")

        let fallback = try object(wire.render(.reply(Reply(text: "Hm?\nNochmal", intent: nil, phase: "service", language: "de",
                                                           suggestions: ["Wo ist meine Bestellung?"]))))
        #expect(fallback["type"] as? String == "reply")
        #expect(fallback.keys.contains("intent"))
        #expect(fallback["intent"] is NSNull)
        #expect(fallback["suggestions"] as? [String] == ["Wo ist meine Bestellung?"])
        #expect(fallback["text"] as? String == "Hm?\nNochmal")

        let error = try object(wire.render(.error(code: .unknownCommand, text: "Unbekannt")))
        #expect(error["code"] as? String == "unknown_command")
        let greeting = try object(wire.render(.greeting(text: "Hallo", session: "abc")))
        #expect(greeting["session"] as? String == "abc")
    }

    @Test func textModeNumbersSuggestions() {
        var wire = WireFormat()
        let text = wire.render(.reply(Reply(text: "Antwort", intent: "x", phase: "service", language: "de", suggestions: ["A", "B"])))
        #expect(text == "Antwort\n  1) A\n  2) B\n")
        #expect(wire.render(.error(code: .badArgument, text: "Falsch")) == "! Falsch\n")
    }
}
