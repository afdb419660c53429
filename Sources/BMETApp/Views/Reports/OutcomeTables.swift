import BMETDomain
import Foundation

/// One view of the outcomes (a table, its chart, its CSV file), built from the same cells so the page, the chart and
/// the download always agree.
struct ReportTable: Sendable {
    /// Also the CSV file's name: `/reports/outcomes/<view>.csv`.
    let view: String
    let caption: String
    let headers: [String]
    let rows: [[CSVWriter.Cell]]
    let chart: BarChart?

    var csv: CSVWriter {
        var writer = CSVWriter(header: headers)
        for row in rows { writer.append(row) }
        return writer
    }
}

/// The outcomes report as tables. Rates are percentages with one decimal; an empty cell means "no one to count".
enum OutcomeTables {
    static let views = ["summary", "quarters", "employers", "states", "credentials", "mentors"]

    static func all(_ report: OutcomeReport, showEmployers: Bool) -> [ReportTable] {
        [summary(report), quarters(report)] + (showEmployers ? [groups(report.employers, view: "employers", title: "By employer", what: "Employer")] : [])
            + [groups(report.states, view: "states", title: "By state", what: "State"), credentials(report), mentors(report)]
    }

    static func table(_ view: String, _ report: OutcomeReport) -> ReportTable? {
        switch view {
        case "summary": summary(report)
        case "quarters": quarters(report)
        case "employers": groups(report.employers, view: "employers", title: "By employer", what: "Employer")
        case "states": groups(report.states, view: "states", title: "By state", what: "State")
        case "credentials": credentials(report)
        case "mentors": mentors(report)
        default: nil
        }
    }

    static func percent(_ rate: Double?) -> CSVWriter.Cell {
        rate.map { CSVWriter.Cell.decimal(($0 * 1000).rounded() / 10, places: 1) } ?? CSVWriter.Cell.empty
    }

    static func summary(_ report: OutcomeReport) -> ReportTable {
        let t = report.total
        let rows: [[CSVWriter.Cell]] = [
            ["Active apprentices (probation or active, now)", .int(t.active)],
            ["Suspended (now)", .int(t.suspended)],
            ["Registrations (started in the range)", .int(t.registrations)],
            ["Completions", .int(t.completions)],
            ["Cancellations during probation", .int(t.cancelledDuringProbation)],
            ["Cancellations after probation", .int(t.cancelledAfterProbation)],
            ["Completion rate, DOL (%)", percent(t.completionRate)],
            ["Retention of the range's starters (%)", percent(t.retentionRate)],
            ["Average days from start to completion", t.averageDaysToCompletion.map { CSVWriter.Cell.decimal($0, places: 1) } ?? CSVWriter.Cell.empty],
        ]
        return ReportTable(view: "summary", caption: "Summary", headers: ["Measure", "Value"], rows: rows, chart: nil)
    }

    static func quarters(_ report: OutcomeReport) -> ReportTable {
        let rows: [[CSVWriter.Cell]] = report.quarters.map { q in
            [.text(q.label), .int(q.figures.registrations), .int(q.figures.completions), .int(q.figures.cancelledDuringProbation),
             .int(q.figures.cancelledAfterProbation), percent(q.figures.completionRate)]
        }
        let chart = BarChart(
            id: "chart-quarters", title: "Registrations, completions and cancellations by quarter",
            summary: report.quarters.isEmpty ? "No quarters to show." :
                "Quarters \(report.quarters.first!.label) to \(report.quarters.last!.label): \(report.total.registrations) registrations, \(report.total.completions) completions, \(report.total.cancellations) cancellations in all. The table after the chart lists every number.",
            xLabel: "Quarter", yLabel: "Apprentices",
            categories: report.quarters.map(\.label),
            series: [.init(name: "Registrations", values: report.quarters.map { Double($0.figures.registrations) }),
                     .init(name: "Completions", values: report.quarters.map { Double($0.figures.completions) }),
                     .init(name: "Cancellations", values: report.quarters.map { Double($0.figures.cancellations) })])
        return ReportTable(view: "quarters", caption: "By quarter", headers: ["Quarter", "Registrations", "Completions", "Cancelled in probation", "Cancelled after probation", "Completion rate (%)"],
                           rows: rows, chart: report.quarters.isEmpty ? nil : chart)
    }

    static func groups(_ groups: [OutcomeReport.Group], view: String, title: String, what: String) -> ReportTable {
        let rows: [[CSVWriter.Cell]] = groups.map { g in
            let f = g.figures
            return [.text(g.label), .int(f.active), .int(f.registrations), .int(f.completions), .int(f.cancelledDuringProbation), .int(f.cancelledAfterProbation),
                    percent(f.completionRate), percent(f.retentionRate), f.averageDaysToCompletion.map { CSVWriter.Cell.decimal($0, places: 1) } ?? CSVWriter.Cell.empty]
        }
        let chart = BarChart(
            id: "chart-\(view)", title: "Active apprentices and completions, \(title.lowercased())",
            summary: groups.isEmpty ? "Nothing to show." : groups.map { "\($0.label): \($0.figures.active) active, \($0.figures.completions) completed" }.joined(separator: "; ") + ".",
            xLabel: what, yLabel: "Apprentices", categories: groups.map(\.label),
            series: [.init(name: "Active", values: groups.map { Double($0.figures.active) }),
                     .init(name: "Completions", values: groups.map { Double($0.figures.completions) })])
        return ReportTable(view: view, caption: title,
                           headers: [what, "Active", "Registrations", "Completions", "Cancelled in probation", "Cancelled after probation", "Completion rate (%)", "Retention (%)", "Average days to completion"],
                           rows: rows, chart: groups.isEmpty ? nil : chart)
    }

    static func credentials(_ report: OutcomeReport) -> ReportTable {
        let rows: [[CSVWriter.Cell]] = report.credentials.map { [.text($0.name), .int($0.passed), .int($0.failed), percent($0.rate)] }
        let chart = BarChart(
            id: "chart-credentials", title: "Credential exam pass rates",
            summary: report.credentials.map { "\($0.name): \($0.passed) passed of \($0.passed + $0.failed)" }.joined(separator: "; ") + ".",
            xLabel: "Credential", yLabel: "Pass rate", categories: report.credentials.map(\.name),
            series: [.init(name: "Pass rate", values: report.credentials.map { $0.rate ?? 0 })], percent: true)
        return ReportTable(view: "credentials", caption: "Credential exams (results dated in the range)", headers: ["Credential", "Passed", "Failed", "Pass rate (%)"],
                           rows: rows, chart: report.credentials.isEmpty ? nil : chart)
    }

    static func mentors(_ report: OutcomeReport) -> ReportTable {
        let rows: [[CSVWriter.Cell]] = report.mentors.map { [.text($0.name), .text($0.employer), .int($0.apprentices)] }
        let chart = BarChart(
            id: "chart-mentors", title: "Mentor load: apprentices in the program per mentor",
            summary: report.mentors.map { "\($0.name): \($0.apprentices)" }.joined(separator: "; ") + ".",
            xLabel: "Mentor", yLabel: "Apprentices", categories: report.mentors.map(\.name),
            series: [.init(name: "Apprentices in the program", values: report.mentors.map { Double($0.apprentices) })])
        return ReportTable(view: "mentors", caption: "Mentor load (now)", headers: ["Mentor", "Employer", "Apprentices in the program"],
                           rows: rows, chart: report.mentors.isEmpty ? nil : chart)
    }
}

/// A table as the template shows it.
struct ReportTableView: Encodable {
    let view: String
    let caption: String
    let headers: [String]
    let rows: [[String]]
    let chart: String?
    let csvHref: String
    /// Set when the page shows only part of the table (the CSV has every row).
    let note: String?
    /// Many columns: the table gets the page's full width, under its chart, rather than a third of it beside it.
    let wide: Bool

    init(_ table: ReportTable, query: String, note: String? = nil) {
        view = table.view
        caption = table.caption
        headers = table.headers
        wide = table.headers.count > 4
        rows = table.rows.map { $0.map(Self.display) }
        chart = table.chart?.svg
        csvHref = "/reports/outcomes/\(table.view).csv" + (query.isEmpty ? "" : "?" + query)
        self.note = note
    }

    static func display(_ cell: CSVWriter.Cell) -> String {
        switch cell {
        case .text(let text): text
        case .int(let n): String(n)
        case .decimal(let value, let places): String(format: "%.\(places)f", value)
        case .day(let date): date.map(ISODay.string) ?? "—"
        case .instant(let date): date.map(ISODay.instant) ?? "—"
        case .empty: "—"
        }
    }
}
