/// Where the Tasks tab draws its list and the selected task's detail: beside the list from
/// `Frame.sideBySideColumns`, below it when narrow but tall enough, else over the list once opened.
struct TaskLayout {
    /// Body rows from which a narrow window shows the detail below the list.
    static let belowFromRows = 26

    /// The list (its first row is the column heading).
    let list: Rect
    /// The detail pane; nil when it is not drawn (narrow and short, not opened).
    let detail: Rect?
    /// The separator: a column when beside, a row when below.
    let separatorColumn: Int?
    let separatorRow: Int?
    /// True when the detail covers the list (narrow and short, opened).
    let detailCoversList: Bool

    init(_ frame: Frame, detailOpen: Bool) {
        let body = frame.body
        if frame.isSideBySide {
            list = frame.listBesideDetail
            detail = frame.detail
            separatorColumn = frame.separatorColumn
            separatorRow = nil
            detailCoversList = false
        } else if body.height >= Self.belowFromRows {
            let detailHeight = body.height * 2 / 5
            let listHeight = body.height - detailHeight - 1
            list = Rect(col: body.col, row: body.row, width: body.width, height: listHeight)
            separatorRow = body.row + listHeight
            detail = Rect(col: body.col + 1, row: body.row + listHeight + 1, width: body.width - 1, height: detailHeight)
            separatorColumn = nil
            detailCoversList = false
        } else {
            list = body
            separatorColumn = nil
            separatorRow = nil
            detail = detailOpen ? body : nil
            detailCoversList = detailOpen
        }
    }

    /// The rows the list's items (and section headings) are drawn in.
    var itemRows: Rect { Rect(col: list.col, row: list.row + 1, width: list.width, height: max(1, list.height - 1)) }
    /// True when the detail is drawn beside or below the list without being opened.
    var detailAlwaysShown: Bool { separatorColumn != nil || separatorRow != nil }
}
