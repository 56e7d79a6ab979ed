import NIOConcurrencyHelpers
import NIOCore
import Testing
@testable import TreueServer

struct VolumeBudgetTests {
    @Test func aConnectionGetsItsBudgetPerMinuteAndNoMore() {
        let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
        var budget = VolumeBudget(bytesPerMinute: 10_000, now: start)
        do { let ok = budget.spend(4_000, now: start); #expect(ok) }
        do { let ok = budget.spend(4_000, now: start); #expect(ok) }
        do { let ok = budget.spend(4_000, now: start); #expect(!ok) }
        // 30 s later half a minute's worth (5,000 bytes) has come back.
        do { let ok = budget.spend(4_000, now: start + .seconds(30)); #expect(ok) }
        do { let ok = budget.spend(4_000, now: start + .seconds(30)); #expect(!ok) }
    }

    @Test func connectionsFromOneAddressShareItsBudgetOthersAreUntouched() {
        let now = NIODeadline.uptimeNanoseconds(1_000_000_000)
        let budgets = AddressVolumeBudgets(bytesPerMinute: 10_000)
        var connections = (0..<5).map { _ in VolumeBudget(bytesPerMinute: 4_000, now: now) }
        var accepted = 0
        for index in connections.indices {
            while budgets.spend(1_000, address: "10.0.0.1", connection: &connections[index], now: now) { accepted += 1 }
        }
        #expect(accepted == 10)   // the address's 10,000 bytes, though five connections could take 20,000
        var other = VolumeBudget(bytesPerMinute: 4_000, now: now)
        do { let ok = budgets.spend(1_000, address: "10.0.0.2", connection: &other, now: now); #expect(ok) }
    }

    @Test func aRefusedLineCostsNeitherBudget() {
        let now = NIODeadline.uptimeNanoseconds(1_000_000_000)
        let budgets = AddressVolumeBudgets(bytesPerMinute: 1_000)
        var connection = VolumeBudget(bytesPerMinute: 5_000, now: now)
        do { let ok = budgets.spend(2_000, address: "a", connection: &connection, now: now); #expect(!ok) }
        #expect(connection.tokens == 5_000)
        do { let ok = budgets.spend(1_000, address: "a", connection: &connection, now: now); #expect(ok) }
    }

    @Test func refilledAddressesAreDroppedWhenTheTableGrows() {
        let now = NIODeadline.uptimeNanoseconds(1_000_000_000)
        let budgets = AddressVolumeBudgets(bytesPerMinute: 1_000)
        for index in 0..<5_000 {
            var connection = VolumeBudget(bytesPerMinute: 1_000, now: now)
            _ = budgets.spend(10, address: "addr-\(index)", connection: &connection, now: now + .seconds(Int64(index / 100)))
        }
        #expect(budgets.trackedAddresses < 5_000)
    }
}

struct DiskSpaceGuardTests {
    @Test func newSessionsAreRefusedBelowTheThresholdAndAdmittedAgainAbove() {
        let free = NIOLockedValueBox<Int64>(100 << 20)
        let guardian = DiskSpaceGuard(directory: "/x", minimumFreeBytes: 64 << 20, freeBytes: { _ in free.withLockedValue { $0 } })
        let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
        #expect(guardian.admit(now: start) == (true, false))
        free.withLockedValue { $0 = 10 << 20 }
        // Checked at most once a second.
        #expect(guardian.admit(now: start + .milliseconds(500)).room)
        #expect(guardian.admit(now: start + .seconds(2)) == (false, true))
        #expect(guardian.admit(now: start + .seconds(4)) == (false, false))
        free.withLockedValue { $0 = 200 << 20 }
        #expect(guardian.admit(now: start + .seconds(6)) == (true, true))
    }

    @Test func theRealFileSystemReportsFreeSpace() {
        #expect((DiskSpaceGuard.freeBytes("/tmp") ?? 0) > 0)
    }
}
