import BaohaoDomain
import Foundation

/// The console dashboard's three charts, as HTML (SVG plus a table behind each).
enum DashboardChartViews {
    static let channelColors = ["#0052d9", "#00a870", "#e37318", "#7b61ff", "#d54941", "#0594fa", "#5f6673", "#b5470b"]

    static func stageColor(_ stage: LineStatus) -> String {
        switch stage {
        case .active: "#00a870"
        case .grace: "#c9a100"
        case .suspended: "#e37318"
        case .barred: "#d54941"
        case .reclaimed: "#5f6673"
        }
    }

    static func html(_ charts: DashboardCharts, language: Language) -> String {
        let zh = language == .zh
        let days = charts.days.map { String($0.iso.dropFirst(5)) }
        let dayAxis = zh ? "日期（北京时间）" : "Day (Beijing time)"
        let dataSummary = zh ? "查看数据表" : "Show the data table"
        let credited = StackedBarChart(
            id: "chart-credited", title: zh ? "近 30 天每日到账金额（按渠道）" : "Credited per day, last 30 days, by channel",
            labels: days, xAxis: dayAxis, yAxis: zh ? "到账金额（元）" : "Credited (\(charts.currency.code))",
            series: charts.credited.enumerated().map { index, series in
                .init(
                    name: StaffConsoleController<BaohaoRequestContext>.channelName(series.channel, language),
                    color: channelColors[index % channelColors.count], values: series.amounts.map { ($0 + 50) / 100 })
            }, format: { $0.grouped }, tableHeading: zh ? "日期" : "Day", tableSummary: dataSummary)
        let stages = StackedBarChart(
            id: "chart-stages", title: zh ? "近 30 天各状态号码数（每日日终）" : "Lines by stage at the end of each day, last 30 days",
            labels: days, xAxis: dayAxis, yAxis: zh ? "号码数" : "Lines",
            series: charts.stages.map {
                .init(name: $0.stage.displayName(language), color: stageColor($0.stage), values: $0.counts.map(Int64.init))
            },
            format: { $0.grouped }, tableHeading: zh ? "日期" : "Day", tableSummary: dataSummary)
        let reclaims = StackedBarChart(
            id: "chart-reclaims", title: zh ? "未来 8 周将回收的号码（按周）" : "Numbers reaching reclaimed, next 8 weeks",
            labels: charts.reclaimsByWeek.map { String($0.weekStart.iso.dropFirst(5)) },
            xAxis: zh ? "自该日起一周（北京时间）" : "Week starting (Beijing time)", yAxis: zh ? "号码数" : "Numbers",
            series: [
                .init(
                    name: zh ? "将回收" : "To be reclaimed", color: stageColor(.reclaimed),
                    values: charts.reclaimsByWeek.map { Int64($0.count) })
            ],
            format: { $0.grouped }, tableHeading: zh ? "周起始日" : "Week from", tableSummary: dataSummary)
        return [credited, stages, reclaims].map { $0.html() }.joined(separator: "\n")
    }
}
