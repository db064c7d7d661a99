import HARKit

extension TextTable {
    /// A runs table (`runs`, `compare`, `cv`, `tune`) as text: its column titles, its cells as people read them
    /// (accuracy as a percentage, scores with 3 decimals, `–` for nothing), numbers right-aligned; rows keyed by
    /// their first column when the table is split to fit a width.
    init(_ table: RunTable) {
        self.init(header: table.columns.map(\.title), rows: table.rows.map { $0.map(\.display) },
                  alignments: table.columns.indices.map { table.isNumericColumn($0) ? .right : .left })
    }
}
