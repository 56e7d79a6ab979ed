import Testing
@testable import TreueServer

struct ConnectionGateTests {
    @Test func capsEachAddressAndTheTotal() {
        let gate = ConnectionGate(maxConnections: 3, maxPerAddress: 2)
        #expect(gate.admit(address: "192.0.2.1") == .admitted)
        #expect(gate.admit(address: "192.0.2.1") == .admitted)
        #expect(gate.admit(address: "192.0.2.1") == .addressFull)
        #expect(gate.admit(address: "192.0.2.2") == .admitted)
        #expect(gate.admit(address: "192.0.2.3") == .serverFull)
        #expect(gate.openConnections == 3)
    }

    @Test func releasingFreesTheSlotsAgain() {
        let gate = ConnectionGate(maxConnections: 10, maxPerAddress: 1)
        #expect(gate.admit(address: "a") == .admitted)
        #expect(gate.admit(address: "a") == .addressFull)
        gate.release(address: "a")
        #expect(gate.openConnections == 0)
        #expect(gate.admit(address: "a") == .admitted)
    }
}
