// libFuzzer target: arbitrary bytes against the shipped knowledge base (`Intents/`), the
// text folding in front of it, redaction, the CSV customer directory and login tokens.
// Invalid UTF-8 is repaired first, as any Swift `String` is valid (the server refuses
// invalid lines before they get here; PCRE2's JIT must never see invalid UTF-8).
//
// Checked beyond "no crash, no leak, no hang":
// - the winner is one of the hits; every hit's text is cut from the message;
// - the hits are exactly those of trying every pattern (the index and prefilter skip
//   only patterns that cannot match);
// - folded text holds no umlaut, ß or typographic quote (patterns never see them);
// - redaction is complete: redacting the redacted text changes nothing more, and no
//   placeholder creates a new match;
// - a token made for an id verifies for that id only, one changed digit breaks it, an
//   expired one is refused; arbitrary bytes as a token never verify.
import Foundation
import FuzzSupport
import TreueCore

let knowledgeBase = Fixtures.knowledgeBase
nonisolated(unsafe) let scratch = knowledgeBase.matcher.makeScratch()
nonisolated(unsafe) let redactScratch = Fixtures.redactor.makeScratch()
let verifier = LoginTokenVerifier(secrets: Fixtures.secrets)

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> CInt {
    Fixtures.prepare {
        _ = knowledgeBase
        _ = scratch
        _ = redactScratch
        _ = verifier
        let sample = Array("wo ist meine Bestellung #12345678, Grüße an anna@example.com, IBAN DE89 3704 0044 0532 0130 00".utf8)
        sample.withUnsafeBufferPointer { _ = fuzzMatching($0.baseAddress, $0.count) }
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMatching(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let text = String(decoding: bytes, as: UTF8.self)

    // Matching, as `Conversation` does for every message.
    let report = knowledgeBase.matcher.match(text, scratch: scratch)
    if let winner = report.winner, !report.hits.contains(winner) {
        Fixtures.violated("the winner is not among the hits", input: text)
    }
    for hit in report.hits where hit.patternNumber >= knowledgeBase.matcher.patterns.count {
        Fixtures.violated("hit names pattern \(hit.patternNumber) of \(knowledgeBase.matcher.patterns.count)", input: text)
    }
    // The index and the prefilter only skip patterns that cannot match: trying every
    // pattern finds the same hits.
    let every = knowledgeBase.matcher.patternsMatchingWithoutIndex(text, scratch: scratch)
    let skippedByLimit = Set(report.limitExceeded)
    if report.hits.map(\.patternNumber) != every.filter({ !skippedByLimit.contains($0) }) {
        Fixtures.violated("index or prefilter lost a hit: \(report.hits.map(\.patternNumber)) vs \(every)", input: text)
    }
    // Slot filling runs a pattern subset on a follow-up message.
    for intent in knowledgeBase.intents.prefix(64) {
        for slot in intent.slots {
            _ = knowledgeBase.fillSlot(intentID: intent.id, slot: slot.name, from: text, scratch: scratch)
        }
    }

    // Folding.
    let folded = TextFolder.fold(text)
    if folded.folded.unicodeScalars.contains(where: TextFolder.foldsAway) {
        Fixtures.violated("folded text still holds a character folding should replace", input: text)
    }
    let foldedCount = folded.folded.utf8.count
    if foldedCount > 0 {
        // Every range of the folded text maps back to some original text.
        let a = Int(bytes.first ?? 0) % (foldedCount + 1)
        let b = Int(bytes.last ?? 0) % (foldedCount + 1)
        _ = folded.originalText(for: min(a, b)..<max(a, b))
        _ = folded.originalText(for: 0..<foldedCount)
    }
    _ = try? TextFolder.foldPattern(text)

    // Redaction.
    let redacted = Fixtures.redactor.redact(text, scratch: redactScratch)
    let again = Fixtures.redactor.redact(redacted, scratch: redactScratch)
    if again != redacted {
        Fixtures.violated("redaction left something to redact: \(redacted.debugDescription) -> \(again.debugDescription)", input: text)
    }

    // The customer directory parser (a CRM export is an operator's file, but it must never crash).
    _ = try? CustomerDirectory.parse(csv: "id,phase,name\n" + text, phases: knowledgeBase.phases)
    _ = try? CustomerDirectory.parse(csv: text, phases: knowledgeBase.phases)
    _ = CustomerID.isValid(text)

    // Login tokens: the input as a token never verifies; a real one does, for its id only.
    if verifier.verify(customerID: "C1001", token: text) {
        Fixtures.violated("arbitrary bytes verified as a token", input: text)
    }
    let id = String(text.prefix(80))
    let expiry = Int64(Date().timeIntervalSince1970) + 600
    let token = LoginTokenVerifier.makeToken(customerID: id, expiry: expiry, secret: Fixtures.secrets[size % 2])
    if !verifier.verify(customerID: id, token: token) { Fixtures.violated("a valid token was refused", input: text) }
    if verifier.verify(customerID: id + "x", token: token) { Fixtures.violated("a token verified for another id", input: text) }
    var tampered = Array(token.utf8)
    let position = tampered.count - 1 - size % 64
    tampered[position] = tampered[position] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
    if verifier.verify(customerID: id, token: String(decoding: tampered, as: UTF8.self)) {
        Fixtures.violated("a tampered token verified", input: text)
    }
    let expired = LoginTokenVerifier.makeToken(customerID: id, expiry: expiry - 1200, secret: Fixtures.secrets[0])
    if verifier.verify(customerID: id, token: expired) { Fixtures.violated("an expired token verified", input: text) }
    return 0
}
