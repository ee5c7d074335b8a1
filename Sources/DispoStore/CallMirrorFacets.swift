import AmplemarketModels
import Foundation
import GRDB

extension DispoStore {
    /// For each Calls filter, how many calls of `query`'s answer each of its values would show with the
    /// other filters as they are (see `HistoryFacets`); `dateStarts` are the date filter's starts (today,
    /// 7 days, 30 days). One read transaction, one pass over the matches per filter. Throws `StoreError`.
    public func mirrorFacets(_ query: CallHistoryQuery, workspaceKey: String, dateStarts: [Date]) throws -> HistoryFacets {
        func sql(_ q: CallHistoryQuery) -> (String, [DatabaseValueConvertible]) {
            let (from, _, filters, args) = Self.answerSQL(q, workspaceKey: workspaceKey)
            return (" FROM " + from + filters, args)
        }
        return try read { db in
            var q = query; q.answered = nil
            var (tail, args) = sql(q)
            let a = try Row.fetchOne(db, sql: "SELECT count(*), total(m.answered = 1), total(m.answered = 0)" + tail,
                                     arguments: StatementArguments(args))
            q = query; q.human = nil
            (tail, args) = sql(q)
            let p = try Row.fetchOne(db, sql: "SELECT count(*), total(m.answered = 1 AND m.human = 1), total(m.answered = 1 AND m.human = 0)" + tail,
                                     arguments: StatementArguments(args))
            q = query; q.disposition = .any
            (tail, args) = sql(q)
            var byDisposition: [String: Int] = [:]
            var none = 0, any = 0
            for r in try Row.fetchAll(db, sql: "SELECT m.disposition_id, count(*)" + tail + " GROUP BY m.disposition_id",
                                      arguments: StatementArguments(args)) {
                let id: String? = r[0], n: Int = r[1]
                any += n
                if let id, !id.isEmpty { byDisposition[id, default: 0] += n } else { none += n }
            }
            q = query; q.since = nil
            (tail, args) = sql(q)
            let sums = dateStarts.map { _ in "total(m.sort_key >= ?)" }.joined(separator: ", ")
            let d = try Row.fetchOne(db, sql: "SELECT count(*)" + (sums.isEmpty ? "" : ", " + sums) + tail,
                                     arguments: StatementArguments(dateStarts.map { Self.sortKeyFloor($0) as DatabaseValueConvertible } + args))
            func ints(_ row: Row?, _ n: Int) -> [Int] { (0..<n).map { i in row.map { Int(($0[i] as Double?) ?? 0) } ?? 0 } }
            return HistoryFacets(answered: ints(a, 3), party: ints(p, 3), dispositionAny: any, dispositionNone: none,
                                 byDisposition: byDisposition, dates: ints(d, 1 + dateStarts.count))
        }
    }
}
