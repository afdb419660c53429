import Foundation

/// A grouped bar chart drawn on the server as SVG: no script, prints as it shows, and reads out to a screen reader
/// as one image with a title and a description (`role="img"`, `<title>`, `<desc>`). Every page puts the same numbers
/// in a table beside the chart, so nothing is only in the picture.
struct BarChart: Sendable {
    struct Series: Sendable {
        let name: String
        let values: [Double]
    }

    /// Unique in the page; used for the ids of the title and description.
    let id: String
    let title: String
    let summary: String
    let xLabel: String
    let yLabel: String
    let categories: [String]
    let series: [Series]
    /// Whole numbers (counts) or percentages from 0 to 1.
    var percent = false

    private static let width = 640.0, height = 336.0
    private static let left = 56.0, right = 16.0, top = 16.0, bottom = 88.0
    /// Roughly the width of one character of a 12 px tick label, to fit category names to their group.
    private static let characterWidth = 7.0
    /// Told apart by lightness as well as hue, so they survive a black-and-white printer; all reach 3:1 on white.
    private static let colors = ["#1f5f99", "#b8860b", "#a23b3b", "#2e7d4f"]

    var svg: String {
        let plotWidth = Self.width - Self.left - Self.right, plotHeight = Self.height - Self.top - Self.bottom
        let maxValue = percent ? 1.0 : max(1, series.flatMap(\.values).max() ?? 0)
        let ticks = tickValues(max: maxValue)
        let top = percent ? 1.0 : (ticks.last ?? maxValue)
        var out = """
        <svg class="chart" viewBox="0 0 \(Int(Self.width)) \(Int(Self.height))" role="img" aria-labelledby="\(id)-title \(id)-desc" xmlns="http://www.w3.org/2000/svg">
        <title id="\(id)-title">\(escape(title))</title>
        <desc id="\(id)-desc">\(escape(summary))</desc>

        """
        // Grid and y axis with its label.
        for tick in ticks {
            let y = Self.top + plotHeight * (1 - tick / top)
            out += "<line class=\"grid\" x1=\"\(fmt(Self.left))\" y1=\"\(fmt(y))\" x2=\"\(fmt(Self.width - Self.right))\" y2=\"\(fmt(y))\"/>"
            out += "<text class=\"tick\" x=\"\(fmt(Self.left - 6))\" y=\"\(fmt(y + 4))\" text-anchor=\"end\">\(escape(label(tick)))</text>\n"
        }
        out += "<text class=\"axis-label\" transform=\"translate(14 \(fmt(Self.top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(yLabel))</text>\n"
        out += "<line class=\"axis\" x1=\"\(fmt(Self.left))\" y1=\"\(fmt(Self.top + plotHeight))\" x2=\"\(fmt(Self.width - Self.right))\" y2=\"\(fmt(Self.top + plotHeight))\"/>\n"
        // Bars, one group per category.
        let groupWidth = plotWidth / Double(max(1, categories.count))
        let barWidth = min(28, groupWidth * 0.8 / Double(max(1, series.count)))
        for (index, category) in categories.enumerated() {
            let groupStart = Self.left + groupWidth * Double(index) + (groupWidth - barWidth * Double(series.count)) / 2
            for (s, serie) in series.enumerated() {
                let value = index < serie.values.count ? serie.values[index] : 0
                let h = plotHeight * min(1, value / top)
                let x = groupStart + barWidth * Double(s)
                out += "<rect x=\"\(fmt(x))\" y=\"\(fmt(Self.top + plotHeight - h))\" width=\"\(fmt(max(1, barWidth - 2)))\" height=\"\(fmt(h))\" fill=\"\(Self.colors[s % Self.colors.count])\"><title>\(escape("\(serie.name), \(category): \(label(value))"))</title></rect>"
            }
            let cx = Self.left + groupWidth * (Double(index) + 0.5)
            // Up to two lines that fit the group's width, so neighbouring names never run into each other.
            let lines = Self.wrap(category, perLine: max(4, Int(groupWidth / Self.characterWidth) - 1))
            out += "<text class=\"tick\" x=\"\(fmt(cx))\" y=\"\(fmt(Self.top + plotHeight + 16))\" text-anchor=\"middle\">"
            for (row, line) in lines.enumerated() {
                out += "<tspan x=\"\(fmt(cx))\" dy=\"\(row == 0 ? "0" : "14")\">\(escape(line))</tspan>"
            }
            out += "<title>\(escape(category))</title></text>\n"
        }
        out += "<text class=\"axis-label\" x=\"\(fmt(Self.left + plotWidth / 2))\" y=\"\(fmt(Self.height - 40))\" text-anchor=\"middle\">\(escape(xLabel))</text>\n"
        // Legend along the bottom.
        var legendX = Self.left
        for (s, serie) in series.enumerated() {
            out += "<rect x=\"\(fmt(legendX))\" y=\"\(fmt(Self.height - 18))\" width=\"12\" height=\"12\" fill=\"\(Self.colors[s % Self.colors.count])\"/>"
            out += "<text class=\"legend\" x=\"\(fmt(legendX + 16))\" y=\"\(fmt(Self.height - 8))\">\(escape(serie.name))</text>\n"
            legendX += 24 + Double(serie.name.count) * 7
        }
        return out + "</svg>"
    }

    private func tickValues(max: Double) -> [Double] {
        if percent { return [0, 0.25, 0.5, 0.75, 1] }
        let rough = max / 4
        let magnitude = pow(10, floor(log10(rough)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? rough
        let stepWhole = Swift.max(1, step.rounded(.up))
        return stride(from: 0, through: (max / stepWhole).rounded(.up) * stepWhole, by: stepWhole).map { $0 }
    }

    private func label(_ value: Double) -> String {
        percent ? "\(Int((value * 100).rounded()))%" : (value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value))
    }

    /// Words into at most two lines of `perLine` characters; what does not fit ends in "…" (the full name is the
    /// label's tooltip and is in the table beside the chart).
    static func wrap(_ text: String, perLine: Int) -> [String] {
        var lines: [String] = [""]
        for word in text.split(separator: " ").map(String.init) {
            let candidate = lines[lines.count - 1].isEmpty ? word : lines[lines.count - 1] + " " + word
            if candidate.count <= perLine || lines[lines.count - 1].isEmpty {
                lines[lines.count - 1] = candidate
            } else if lines.count < 2 {
                lines.append(word)
            } else {
                lines[1] += " " + word
            }
        }
        return lines.map { $0.count <= perLine ? $0 : String($0.prefix(max(1, perLine - 1))) + "…" }
    }

    private func fmt(_ value: Double) -> String { String(format: "%.1f", value) }

    /// One pass over the characters (four `replacingOccurrences` calls were a tenth of the outcomes page's time).
    private func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}
