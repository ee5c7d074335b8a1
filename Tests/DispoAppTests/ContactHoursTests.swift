import AmplemarketModels
import DispoSandbox
import DispoViewModel
import Foundation
import Testing
@testable import DispoApp

/// The contacts' local hours from the server's own task filters: each open phone task's contact is found
/// under exactly the hour its seeded zone gives now (the sandbox filters by each contact's zone).
@Suite("Contact hours from the task filters", .serialized)
struct ContactHoursTests {
    @Test func eachContactIsUnderTheHourOfItsZone() async throws {
        let rig = try await OutboxSenderTests.Rig()
        let ws = rig.server.workspace
        let before = Date()
        rig.runtime.perform(.load(.contactHours(userID: ws.primaryUserID)))
        try await OutboxSenderTests.eventually("the hours") {
            rig.posted.contains { if case .contactHoursLoaded = $0 { true } else { false } }
        }
        let after = Date()
        guard case .contactHoursLoaded(let hours, _)? = rig.posted.first(where: {
            if case .contactHoursLoaded = $0 { true } else { false }
        }) else { return }
        let open = await ws.tasks(userID: ws.primaryUserID).filter { $0.type == "phone_call" && $0.status == "scheduled" }
        let contacts = Dictionary(open.compactMap { $0.contact }.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(!hours.isEmpty && Set(hours.keys) == Set(contacts.keys), "every contact of an open phone task, once")
        func localHour(_ d: Date, _ offset: Int) -> Int {
            ((Int(d.timeIntervalSince1970) / 3600 + offset) % 24 + 24) % 24
        }
        for (cid, hour) in hours {
            let offset = try #require(contacts[cid]).utcOffsetHours
            #expect([localHour(before, offset), localHour(after, offset)].contains(hour), "\(cid): \(hour) for UTC\(offset)")
        }
        // 24 requests, one per hour, each with both bounds.
        let asked = await rig.server.recordedRequests().filter { $0.path == "/tasks" && ($0.query ?? "").contains("contact_local_time_from") }
        #expect(asked.count == 24 && asked.allSatisfy { q in
            let items = (q.query ?? "").split(separator: "&")
            let from = items.first { $0.hasPrefix("contact_local_time_from=") }?.split(separator: "=").last
            let to = items.first { $0.hasPrefix("contact_local_time_to=") }?.split(separator: "=").last
            return from != nil && from == to
        })
    }
}
