import ParleyDomain
import ParleyPostgres
import ParleyTestSupport
import Testing

/// The store conformance suite runs on PostgreSQL only when `PARLEY_TEST_POSTGRES_URL` names a
/// server. This test is there so a run without one says so in its summary (one skipped test)
/// rather than passing with half its engines quietly left out.
@Suite("Store conformance on PostgreSQL")
struct PostgresAvailabilityTests {
    @Test(
        "A PostgreSQL store migrates and answers on the server PARLEY_TEST_POSTGRES_URL names",
        .enabled(if: PostgresTestDatabase.serverURL != nil, "set PARLEY_TEST_POSTGRES_URL to run the store suite on PostgreSQL too"))
    func available() async throws {
        let store = try await StoreFactory.postgres.make()
        let app = App(id: ResourceIDGenerator().next(), displayName: "Reachable")
        try await store.insertApp(app)
        #expect(try await store.app(id: app.id)?.displayName == "Reachable")
    }
}
