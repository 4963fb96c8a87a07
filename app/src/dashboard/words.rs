//! The dashboard's texts, in Chinese and English.

crate::words::i18n::fixed_texts! {
    /// A fixed text of the dashboard.
    pub enum Words {
        /// The tab and the heading.
        Dashboard => ("运营看板", "Dashboard"),
        /// What the page is.
        DashboardHelp => (
            "各站点巡查按时、迟到、漏巡的统计,由服务器根据已同步的记录计算;点击数字查看明细。",
            "Rounds on time, late and missed across your sites, counted by the server from the synced records; tap a figure for the rounds behind it.",
        ),
        /// Period: today.
        Today => ("今天", "Today"),
        /// Period: this week.
        ThisWeek => ("本周", "This week"),
        /// Period: this month.
        ThisMonth => ("本月", "This month"),
        /// Period: a range.
        Range => ("自选日期", "Date range"),
        /// Button that counts a typed range.
        Show => ("查看", "Show"),
        /// Link: the period's rounds as a CSV file.
        ExportCsv => ("导出 CSV", "Export CSV"),
        /// Link: the period's rounds as an Excel workbook.
        ExportXlsx => ("导出 Excel", "Export Excel"),
        /// Site choice: the desktop's site.
        ThisSite => ("本站点", "This site"),
        /// Site choice: every site of the supervisor.
        AllSites => ("全部站点", "All my sites"),
        /// Slots that came due.
        Due => ("应巡", "Due"),
        /// On time of those judged.
        OnTimeRate => ("按时率", "On-time rate"),
        /// Items marked ×.
        AbnormalItems => ("异常项", "Abnormal items"),
        /// Heading.
        ByPost => ("按岗位", "By post"),
        /// Heading.
        ByPerson => ("按人员", "By person"),
        /// Heading.
        BySite => ("按站点", "By site"),
        /// Heading.
        DayByDay => ("每日趋势", "Day by day"),
        /// Heading of the slots behind a figure.
        Behind => ("明细", "Rounds behind the figure"),
        /// Column.
        Date => ("日期", "Date"),
        /// Column.
        DueAt => ("应巡时间", "Due"),
        /// Column.
        Checklist => ("巡查表", "Checklist"),
        /// Column.
        Person => ("人员", "Person"),
        /// Column.
        Started => ("开始", "Begun"),
        /// Column.
        Finished => ("完成", "Finished"),
        /// Column.
        Result => ("结果", "Result"),
        /// Column.
        Site => ("站点", "Site"),
        /// Button.
        Close => ("关闭", "Close"),
        /// Link to a round.
        OpenRound => ("打开", "Open"),
        /// Nothing behind a figure.
        NoSlots => ("没有记录", "No rounds"),
        /// While asking.
        Counting => ("正在统计…", "Counting…"),
        /// The server could not be asked.
        NeedsNetwork => (
            "无法读取统计:看板需要连接服务器。",
            "Cannot read the figures: the dashboard needs the server.",
        ),
        /// Range refused.
        BadDate => ("请用 年-月-日(如 2026-12-01)", "Use year-month-day (e.g. 2026-12-01)"),
        /// Range refused.
        Reversed => ("结束日期早于开始日期", "The range ends before it starts"),
        /// Range refused.
        TooLong => ("一次最多统计 366 天", "At most 366 days at a time"),
    }
}
