import Foundation

/// A stacked bar chart drawn on the server as SVG (no script), with a data table behind it for
/// screen readers and for anyone who would rather read the numbers.
struct StackedBarChart {
    struct Series {
        let name: String
        let color: String
        let values: [Int64]
    }

    let id: String
    let title: String
    /// One per bar, e.g. `11-05`.
    let labels: [String]
    /// What the x axis counts, with the time zone (`日期（北京时间）`).
    let xAxis: String
    /// What the y axis counts, with the unit (`金额（元）`).
    let yAxis: String
    let series: [Series]
    /// A value as the axis and table show it.
    let format: (Int64) -> String
    /// The first column's heading in the table.
    let tableHeading: String
    let tableSummary: String

    static let width = 640.0
    static let height = 260.0
    static let left = 64.0
    static let right = 12.0
    static let top = 12.0
    static let bottom = 44.0

    /// The top of the y axis: four gridline steps, each a "nice" whole number (1, 2 or 5 × 10ⁿ),
    /// so that every tick reads as a whole number.
    static func niceCeiling(_ value: Int64) -> Int64 {
        let wanted = max(1, (value + 3) / 4)
        var power: Int64 = 1
        while true {
            for factor in [1, 2, 5] as [Int64] where power * factor >= wanted { return power * factor * 4 }
            power *= 10
        }
    }

    func html() -> String {
        let totals = labels.indices.map { index in series.reduce(Int64(0)) { $0 + (index < $1.values.count ? $1.values[index] : 0) } }
        let ceiling = Self.niceCeiling(totals.max() ?? 0)
        let plotWidth = Self.width - Self.left - Self.right
        let plotHeight = Self.height - Self.top - Self.bottom
        let slot = plotWidth / Double(max(labels.count, 1))
        let barWidth = max(2, slot * 0.7)
        func y(_ value: Int64) -> Double { Self.top + plotHeight - plotHeight * Double(value) / Double(ceiling) }
        var svg = """
            <svg class="chart" id="\(id)" viewBox="0 0 \(Int(Self.width)) \(Int(Self.height))" role="img" aria-labelledby="\(id)-title" \
            xmlns="http://www.w3.org/2000/svg" font-size="11" font-family="sans-serif"><title id="\(id)-title">\(HTMLText.escape(title))</title>
            """
        for tick in 0...4 {
            let value = ceiling * Int64(tick) / 4
            let at = y(value)
            svg += "<line x1=\"\(Self.left)\" x2=\"\(Self.width - Self.right)\" y1=\"\(fmt(at))\" y2=\"\(fmt(at))\" stroke=\"#e5e6eb\"/>"
            svg +=
                "<text x=\"\(Self.left - 6)\" y=\"\(fmt(at + 4))\" text-anchor=\"end\" fill=\"#4e5969\">\(HTMLText.escape(format(value)))</text>"
        }
        for (index, label) in labels.enumerated() {
            var base: Int64 = 0
            let x = Self.left + slot * Double(index) + (slot - barWidth) / 2
            for s in series {
                let value = index < s.values.count ? s.values[index] : 0
                guard value > 0 else { continue }
                let top = y(base + value)
                let height = y(base) - top
                svg += "<rect x=\"\(fmt(x))\" y=\"\(fmt(top))\" width=\"\(fmt(barWidth))\" height=\"\(fmt(height))\" fill=\"\(s.color)\">"
                svg += "<title>\(HTMLText.escape("\(label) \(s.name) \(format(value))"))</title></rect>"
                base += value
            }
            // Every label when there is room, else about six of them.
            let every = max(1, labels.count / 6)
            if index % every == 0 || index == labels.count - 1 && labels.count <= 12 {
                svg +=
                    "<text x=\"\(fmt(x + barWidth / 2))\" y=\"\(fmt(Self.top + plotHeight + 14))\" text-anchor=\"middle\" fill=\"#4e5969\">\(HTMLText.escape(label))</text>"
            }
        }
        svg += "<line x1=\"\(Self.left)\" x2=\"\(Self.width - Self.right)\" y1=\"\(fmt(y(0)))\" y2=\"\(fmt(y(0)))\" stroke=\"#86909c\"/>"
        svg +=
            "<text x=\"\(fmt(Self.left + plotWidth / 2))\" y=\"\(fmt(Self.height - 6))\" text-anchor=\"middle\" fill=\"#1d2129\">\(HTMLText.escape(xAxis))</text>"
        svg +=
            "<text transform=\"rotate(-90)\" x=\"\(fmt(-(Self.top + plotHeight / 2)))\" y=\"12\" text-anchor=\"middle\" fill=\"#1d2129\">\(HTMLText.escape(yAxis))</text>"
        svg += "</svg>"
        let legend = series.map {
            "<li><span class=\"swatch\" style=\"background:\($0.color)\"></span>\(HTMLText.escape($0.name))</li>"
        }.joined()
        var table =
            "<details class=\"chart-data\"><summary>\(HTMLText.escape(tableSummary))</summary><table tabindex=\"0\" id=\"\(id)-table\"><tr><th scope=\"col\">\(HTMLText.escape(tableHeading))</th>"
        table += series.map { "<th scope=\"col\">\(HTMLText.escape($0.name))</th>" }.joined() + "</tr>"
        for (index, label) in labels.enumerated() {
            table += "<tr><td>\(HTMLText.escape(label))</td>"
            table += series.map { "<td class=\"num\">\(HTMLText.escape(format(index < $0.values.count ? $0.values[index] : 0)))</td>" }
                .joined()
            table += "</tr>"
        }
        table += "</table></details>"
        return
            "<figure class=\"chart-figure\"><figcaption>\(HTMLText.escape(title))</figcaption>\(svg)<ul class=\"legend\">\(legend)</ul>\(table)</figure>"
    }

    func fmt(_ value: Double) -> String { String(format: "%.1f", value) }

}
