/// A kept idempotent answer whose status is not an HTTP status (a damaged row): rendered as a 500,
/// the row left for a look.
struct CorruptAnswer: Error {
    let status: Int
}
