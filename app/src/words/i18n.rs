//! UI texts in Simplified Chinese (the staff's language, shown first) and
//! English. Every text is one variant, so a missing translation cannot
//! compile: [`Msg`] holds the texts two or more families or the shell
//! show; a family's own are its `words.rs` ([`fixed_texts!`]). Shared
//! components take a [`Text`], which either converts to.

use shiftbook_model::Lang;
use shiftbook_model::complaint::Difficulty;
use shiftbook_model::settings::Setting;
use shiftbook_model::visitor_log::{Category, VisitStatus};
use shiftbook_model::work_permit::PermitStatus;

/// Declares fixed texts — [`Msg`] below, and each family's own `Words`
/// (its `words.rs`): the enum, each variant with its Chinese and English,
/// its `text(lang)`, and its conversion to [`Text`] for shared components.
macro_rules! fixed_texts {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident => ($zh:expr, $en:expr $(,)?),
            )*
        }
    ) => {
        $(#[$meta])*
        // A family's variants keep the names they had in `Msg` (a family
        // prefix such as `Cp`, texts about words ending in `Words`).
        #[allow(clippy::enum_variant_names)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
        }

        impl $name {
            /// The text in `lang`.
            pub fn text(self, lang: shiftbook_model::Lang) -> &'static str {
                $crate::words::i18n::Text::from(self).text(lang)
            }
        }

        impl From<$name> for $crate::words::i18n::Text {
            fn from(w: $name) -> Self {
                match w {
                    $($name::$variant => Self::new($zh, $en),)*
                }
            }
        }
    };
}
pub(crate) use fixed_texts;

fixed_texts! {
    /// A fixed UI text that two or more families, or the shell, show.
    pub enum Msg {
        /// Product name.
        AppName => ("值班簿", "Shiftbook"),
        /// Status badge: no connection.
        Offline => ("离线", "Offline"),
        /// Status badge: handshake.
        Connecting => ("连接中", "Connecting"),
        /// Status badge: sending or receiving.
        Syncing => ("同步中", "Syncing"),
        /// Status badge: server has everything.
        Synced => ("已全部同步", "All synced"),
        /// Heading of a conflict.
        ConflictTitle => ("记录不一致", "Records disagree"),
        /// Shown after a successful local save.
        SavedOnTablet => ("已保存在本机", "Saved on this tablet"),
        /// Not enrolled: heading.
        NotEnrolledTitle => ("本平板尚未登记", "This tablet is not enrolled"),
        /// Not enrolled: explanation.
        NotEnrolledHelp => (
            "请用主管提供的登记链接打开本应用。登记后,离线也可使用。",
            "Open the enrolment link your supervisor gives you. Once enrolled, the app works offline.",
        ),
        /// Enrolment in progress.
        Enrolling => ("正在登记本平板…", "Enrolling this tablet…"),
        /// Enrolment link refused by the server.
        EnrolmentRefused => (
            "登记链接无效或已被撤销,请联系主管。",
            "The enrolment link is invalid or revoked. Ask your supervisor.",
        ),
        /// Enrolment needs the network.
        EnrolmentNeedsNetwork => (
            "登记需要联网。请连接网络后重试。",
            "Enrolment needs a network connection. Connect and retry.",
        ),
        /// Retry button.
        Retry => ("重试", "Retry"),
        /// Language switch label (names the *other* language).
        SwitchLanguage => ("English", "中文"),
        /// A screen's piece of the app could not be fetched (offline before
        /// the service worker had kept it).
        ScreenNotLoaded => (
            "此页面尚未下载到本机,请连接网络后重试。",
            "This screen is not on the tablet yet; connect to the network and try again.",
        ),
        /// The engine's piece of the app (the records) could not be
        /// fetched; it is tried again every few seconds.
        EngineNotLoaded => (
            "本机的记录程序尚未下载,暂时无法签到和记录。请连接网络,本机会自动重试。",
            "The part of the app that keeps the records is not on this tablet yet: signing in and recording wait for it. Connect to the network; the tablet tries again by itself.",
        ),
        /// The device's storage refused a write.
        StorageFailed => (
            "无法保存到本机存储!请勿关闭应用,并通知主管。",
            "Could not save to this tablet's storage! Keep the app open and tell your supervisor.",
        ),
        /// The device's storage is full: old synced records were removed
        /// and it is still full.
        StorageFull => (
            "本机存储已满,新记录尚未保存!请勿关闭应用,连接网络并通知主管清理本机空间。",
            "This tablet's storage is full: new records are not saved yet! Keep the app open, connect to the network and tell your supervisor to free space on the tablet.",
        ),
        /// A stored record could not be read and was set aside.
        StorageQuarantined => (
            "本机有一条记录无法读取,已另行保存,请通知主管。",
            "A record on this tablet could not be read; it was set aside. Tell your supervisor.",
        ),
        /// Label before the device name.
        Device => ("设备", "Device"),
        /// History toggle.
        History => ("记录历史", "History"),
        /// The server refused this tablet's token.
        DeviceRevoked => (
            "服务器拒绝了本平板的登记(可能已被撤销)。本机记录不会丢失,请联系主管重新登记。",
            "The server refused this tablet's enrolment (maybe revoked). Nothing on this tablet is lost; ask your supervisor to enrol it again.",
        ),
        /// Sign-in: heading.
        WhoAreYou => ("请选择您的姓名", "Who are you?"),
        /// Sign-in: enter PIN.
        EnterPin => ("请输入PIN码", "Enter your PIN"),
        /// Sign-in: confirm button.
        SignIn => ("登录", "Sign in"),
        /// Sign-in: checking the PIN.
        CheckingPin => ("正在验证…", "Checking…"),
        /// Sign-in: wrong PIN.
        WrongPin => ("PIN码错误", "Wrong PIN"),
        /// Sign-in: not on the roster.
        UnknownPerson => (
            "名册中没有此人,请联系主管。",
            "Not on the roster. Ask your supervisor.",
        ),
        /// Sign-in: no PIN set.
        NoPin => (
            "尚未设置PIN码,请联系主管。",
            "No PIN set yet. Ask your supervisor.",
        ),
        /// Sign-in: the roster has not synced yet.
        NoRoster => (
            "人员名册尚未同步到本平板。请连接网络;名册由主管在电脑上建立。",
            "The staff roster has not reached this tablet yet. Connect to the network; supervisors set it up on the desktop.",
        ),
        /// Switch person button.
        SwitchPerson => ("切换人员", "Switch person"),
        /// Cancel.
        Cancel => ("取消", "Cancel"),
        /// Delete the last digit.
        Backspace => ("删除", "Delete"),
        /// Role names.
        RoleStaff => ("员工", "Staff"),
        /// Role names.
        RoleLeader => ("领班", "Team leader"),
        /// Role names.
        RoleSupervisor => ("主管", "Supervisor"),
        /// Confirm the sign-off.
        ConfirmSignOff => ("确认签字", "Confirm signature"),
        /// Heading of changes after signing.
        AddedAfterSigning => ("签字后新增的记录", "Added after signing"),
        /// Nobody signed yet.
        NotSignedYet => ("尚未签字确认", "Not signed off yet"),
        /// Supervisor login heading.
        SupervisorLogin => ("主管登录", "Supervisor sign-in"),
        /// User name label.
        UserName => ("用户名", "User name"),
        /// Password label.
        Password => ("密码", "Password"),
        /// Wrong user name or password.
        WrongLogin => ("用户名或密码错误", "Wrong user name or password"),
        /// Rate limited.
        TooManyLogins => (
            "尝试次数过多,请一分钟后再试",
            "Too many attempts; try again in a minute",
        ),
        /// Login needs the network.
        LoginNeedsNetwork => ("登录需要联网,请检查网络", "Signing in needs the network"),
        /// Log out button.
        LogOut => ("退出登录", "Log out"),
        /// Print what the desktop shows.
        Print => ("打印", "Print"),
        /// The supervisor's session ended.
        SessionExpired => (
            "登录已过期。本机未同步的修改不会丢失,重新登录后自动同步。",
            "Your session has ended. Unsynced changes stay in this browser and sync after you sign in again.",
        ),
        /// An × on this item needs a note.
        NoteRequired => (
            "请先写明异常情况,再点 ×",
            "Say what is wrong first, then tap ×",
        ),
        /// Agenda: the older missed rounds.
        EarlierMissed => ("更早错过的", "Earlier missed"),
        /// Desktop tab: show flats.
        TabFlats => ("样板房", "Show flats"),
        /// Column: item name.
        ItemZh => ("物品", "Item"),
        /// Column: item name in English.
        ItemEn => ("物品(英文)", "Item (English)"),
        /// Button: confirm.
        Confirm => ("确认", "Confirm"),
        /// Button: the leader signs the flat's day.
        SignFlatDay => ("领班签署当日记录", "Sign the day's record"),
        /// Two supervisors saved a list at once.
        ConcurrentItemLists => (
            "两位主管同时修改了此清单,请核对后再保存一次",
            "Two supervisors changed this list at the same time; check it and save again",
        ),
        /// Sign all of today's walked rounds.
        SignDay => ("签字确认今日巡查", "Sign off today's rounds"),
        /// Desktop tab: templates.
        /// Desktop tab: the dashboard, the desktop's first screen.
        TabDashboard => ("运营看板", "Dashboard"),
        TabTemplates => ("巡查表", "Checklists"),
        /// Desktop tab: checkpoints.
        TabCheckpoints => ("巡更点", "Checkpoints"),
        /// Window start.
        From => ("从", "From"),
        /// Window end.
        To => ("到", "To"),
        /// Area.
        Area => ("区域", "Area"),
        /// Add an item.
        AddItem => ("添加检查项", "Add an item"),
        /// History: every post.
        AllPosts => ("全部岗位", "All posts"),
        /// Agenda link to follow-ups.
        OpenFollowUps => ("未关闭的跟进", "Open follow-ups"),
        /// Add a note.
        AddNote => ("添加备注", "Add a note"),
        /// What was done.
        WhatWasDone => ("处理结果", "What was done"),
        /// Desktop tab: follow-ups.
        TabFollowUps => ("跟进事项", "Follow-ups"),
        /// Department.
        DeptEngineering => ("工程部", "Engineering"),
        /// Department.
        DeptCleaning => ("保洁部", "Cleaning"),
        /// Department.
        DeptSecurity => ("安管部", "Security"),
        /// Department.
        DeptCustomerService => ("客服部", "Customer service"),
        /// Agenda: due now.
        DueNow => ("现在应做", "Due now"),
        /// Agenda: nothing due.
        NothingDue => ("现在没有应做的巡查", "Nothing due right now"),
        /// Agenda: missed.
        Missed => ("已错过(24小时内)", "Missed (last 24 h)"),
        /// Agenda: next.
        Next => ("接下来", "Next"),
        /// Agenda: started when needed.
        OnDemand => ("按需巡查", "When needed"),
        /// Start a round.
        StartRound => ("开始", "Start"),
        /// Slot state.
        StateUpcoming => ("未到时间", "Upcoming"),
        /// Slot state.
        StateDue => ("应做", "Due"),
        /// Slot state.
        StateLate => ("已迟", "Late"),
        /// Slot state.
        StateMissed => ("已错过", "Missed"),
        /// Slot state.
        StateInProgress => ("进行中", "In progress"),
        /// Slot state.
        StateDone => ("已完成", "Done"),
        /// Slot state.
        StateDoneLate => ("已完成(迟)", "Done late"),
        /// Desktop tab: today's round.
        TabRound => ("今日巡查", "Today's round"),
        /// Desktop tab: the roster.
        TabRoster => ("人员名册", "Staff roster"),
        /// Desktop tab: the security log.
        TabSecurity => ("安全记录", "Security log"),
        /// Desktop tab: site settings.
        TabSettings => ("站点设置", "Site settings"),
        /// Label of the site picker.
        SitePicker => ("项目", "Site"),
        /// Roster: edit button.
        EditPerson => ("修改", "Edit"),
        /// Roster: posts.
        Posts => ("岗位", "Posts"),
        /// Save button.
        Save => ("保存", "Save"),
        /// Saved confirmation.
        SavedNote => ("已保存", "Saved"),
        /// Settings: idle sign-out.
        IdleSignOut => (
            "平板无操作自动退出登录(分钟)",
            "Sign a person out of an idle tablet after (minutes)",
        ),
        /// Column: time.
        Time => ("时间", "Time"),
        /// Column: person.
        Person => ("人员", "Person"),
        /// Column: event.
        Event => ("事件", "Event"),
        /// Label: date.
        Date => ("日期", "Date"),
        /// Security event.
        EvSignIn => ("登录", "Signed in"),
        /// Security event.
        EvWrongPin => ("PIN码错误", "Wrong PIN"),
        /// Security event.
        EvRefused => ("登录被拒", "Sign-in refused"),
        /// Security event.
        EvSignOut => ("退出登录", "Signed out"),
        /// Security event.
        EvIdleSignOut => ("无操作自动退出", "Signed out when idle"),
        /// Agenda link and desktop tab: keys.
        KeysLink => ("钥匙登记", "Keys"),
        /// Heading of the alerts.
        NeedsAttention => ("需要处理", "Needs attention"),
        /// Field: the show flat.
        KeyFlat => ("样板房", "Show flat"),
        /// No show flat.
        NoFlat => ("(不属于样板房)", "(no show flat)"),
        /// Agenda link and desktop tab: permits.
        PermitsLink => ("施工联络单", "Work permits"),
        /// A required text is empty.
        TextRequired => ("请先写明情况", "Write it down first"),
        /// Hand-over state.
        HoStateWritten => ("待接班", "Waiting for take-over"),
        /// Hand-over state.
        HoStateRefused => ("拒绝接班", "Refused"),
        /// Hand-over state.
        HoStateAccepted => ("已接班 · 待签字", "Taken over · to sign"),
        /// Hand-over state.
        HoStateSigned => ("双方已签字", "Signed by both"),
        /// Alerts heading.
        HoAlerts => ("交接班提醒", "Hand-over alerts"),
        /// Desktop tab: hand-overs.
        TabHandovers => ("交接班", "Hand-overs"),
        /// How to co-sign.
        CoSignHelp => (
            "请本人点选自己的姓名并输入PIN码;当前登录的人员不会退出。",
            "Tap your own name and enter your PIN; whoever is signed in stays signed in.",
        ),
        /// Nobody can co-sign.
        CoSignNobody => (
            "名册中没有其他可确认的人员",
            "Nobody else on the roster can confirm",
        ),
        /// Security event.
        EvCoSigned => ("PIN确认(共同签字)", "Confirmed with PIN (co-signed)"),
        // ── complaints and owner visits (issue 7) ──
        /// Settings: minutes to respond to an owner's complaint.
        ComplaintRespondMinutes => (
            "业主投诉/报修:响应时限(分钟)",
            "Owner requests and complaints: respond within (minutes)",
        ),
        /// Settings: minutes to forward a complaint to the department.
        ComplaintForwardMinutes => (
            "投诉登记表转交处理部门时限(分钟)",
            "Forward the complaint form to the department within (minutes)",
        ),
        /// Settings: hours to a preliminary solution.
        ComplaintPreliminaryHours => (
            "给出初步解决方案时限(小时)",
            "Preliminary solution within (hours)",
        ),
        /// Settings: the hour general issues are due by the same day.
        ComplaintSameDayUntilHour => (
            "一般性问题当日处理完毕的截止钟点(24 = 当天结束)",
            "General issues are dealt with the same day by this hour (24 = end of the day)",
        ),
        /// Settings: days to deal with a hard issue.
        ComplaintHardDays => (
            "疑难问题处理时限(天)",
            "Hard issues dealt with within (days)",
        ),
        /// Settings: minutes before a hand-over not taken over is raised.
        HandoverTakeOverMinutes => (
            "交班或交钥匙后多久仍未接收即提醒班长(分钟)",
            "Tell the leader when a shift or key hand-over is not taken over within (minutes)",
        ),
        PhotoDaysOnTablet => (
            "已上传照片在平板上保留的天数(之后查看时重新下载)",
            "Days a sent photo stays on a tablet (fetched again when viewed)",
        ),
        PinDigits => (
            "新设PIN码的位数(4–8;已设的PIN码照常可用)",
            "Digits of a new PIN (4–8; PINs set earlier keep working)",
        ),
        /// A new build of the app is ready (banner).
        UpdateReady => (
            "值班簿有新版本。所有记录都已保存在本机，手头的填写完成后请重新载入。",
            "A new version of Shiftbook is ready. Every record is already saved on this device; reload once you have finished what you are typing.",
        ),
        /// Reload the app to start the new build.
        ReloadApp => ("重新载入", "Reload"),
        /// Complaints: the desktop sidebar's label (short enough for one line).
        CpTab => ("业主投诉/报修", "Complaints"),
        /// Complaints: the owner.
        CpOwner => ("业主姓名", "Owner"),
        /// Complaints and visits: the unit.
        CpUnit => ("房号", "Unit"),
        /// Forms: cancel.
        CpCancel => ("取消", "Cancel"),
        /// Forms: not a date.
        CpBadDate => ("日期格式不对", "Not a date"),
        /// Difficulty: general.
        CpGeneral => ("一般", "General"),
        /// Difficulty: hard.
        CpHard => ("疑难", "Hard"),
        /// Difficulty: not judged.
        CpNotJudged => ("未定", "Not judged"),
        /// Step: note.
        CpActNote => ("备注", "Note"),
        /// Step field: a note.
        CpFieldNote => ("备注", "Note"),
        /// Owner visits: the screen's and the tab's title.
        OvTitle => ("业户访问记录", "Owner visits"),
        // Duty log and visitor log (issue 7).
        /// Duty log heading and links.
        DutyLog => ("值班记录", "Duty log"),
        /// Visitor log links and tab.
        VisitorLog => ("来访登记", "Visitor log"),
        /// Form: a time HH:MM.
        DutyBadTime => ("请填写时间(时:分)", "Enter a time (HH:MM)"),
        /// A full ID number typed into a text.
        NoFullIdNumber => (
            "不得记录完整证件号码,只记后4位",
            "Never record a full ID number — only its last 4 characters",
        ),
        /// Correction changes nothing.
        DutyNothingCorrected => ("没有修改任何内容", "Nothing was changed"),
        /// Filter: everyone.
        EveryPerson => ("全部人员", "Everyone"),
        /// Filter: every state.
        EveryState => ("全部状态", "Every state"),
        /// Search across several days.
        SearchDays => ("跨日查询", "Search across days"),
        /// Form: only the last 4 letters and digits.
        VisitIdLastOnly => (
            "证件只记后4位(字母或数字)",
            "Only the ID's last 4 letters or digits",
        ),
        /// Form: the last characters of the ID seen.
        VisitIdMissing => ("请填写证件后4位", "Enter the last 4 of the ID seen"),
        /// Form: characters but no ID.
        VisitIdWithoutType => (
            "选择了无证件,请清空证件号",
            "No ID chosen: clear the ID characters",
        ),
        /// Form: 1–200 people.
        VisitBadPeople => ("人数须为1–200", "People must be 1 to 200"),
        // Navigation: the tablet's left rail and the desktop's sidebar.
        /// Rail: the agenda.
        NavAgenda => ("任务", "Agenda"),
        /// Rail: follow-ups.
        NavFollowUps => ("跟进", "Follow-ups"),
        /// Rail: hand-over books.
        NavHandover => ("交接班", "Hand-over"),
        /// Rail: the duty log.
        NavDutyLog => ("值班记录", "Duty log"),
        /// Rail: the visitor log.
        NavVisitors => ("来访", "Visitors"),
        /// Rail: complaints and repair requests.
        NavComplaints => ("投诉报修", "Complaints"),
        /// Rail: the owner-visit record.
        NavOwnerVisits => ("业户访问", "Owner visits"),
        /// Rail: the show flat's count.
        NavShowFlat => ("样板房", "Show flat"),
        /// Rail: the key register.
        NavKeys => ("钥匙", "Keys"),
        /// Rail: work permits.
        NavPermits => ("施工", "Permits"),
        /// Rail: past days.
        NavHistory => ("历史", "History"),
        /// Sidebar heading: patrol.
        NavPatrol => ("巡查", "Patrol"),
        /// Sidebar heading: show flats.
        NavShowFlats => ("样板房", "Show flats"),
        /// Sidebar heading: front desk.
        NavFrontDesk => ("前台", "Front desk"),
        /// Sidebar heading: administration.
        NavAdmin => ("管理", "Admin"),
        /// Badge: key alerts.
        NavKeyAlerts => ("钥匙待处理", "Key alerts"),
        /// Badge: permit alerts.
        NavPermitAlerts => ("施工待处理", "Permit alerts"),
        /// Badge: complaints overdue or to escalate.
        NavUrgentComplaints => ("投诉超时或需上报", "Complaints overdue or to escalate"),
        /// Badge: visitors waiting for approval.
        NavVisitorsWaiting => ("来访待批准", "Visitors waiting for approval"),
        /// The rail's name for screen readers.
        NavName => ("导航", "Navigation"),
    }
}

/// A fixed text in both languages, as shared components take it: one of
/// [`Msg`] or of a family's own words (each family's `words.rs`, loaded
/// with its piece of the wasm).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text {
    zh: &'static str,
    en: &'static str,
}

impl Text {
    /// The two languages' texts.
    pub fn new(zh: &'static str, en: &'static str) -> Self {
        Self { zh, en }
    }

    /// The text in `lang`.
    pub fn text(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }
}

/// "N changes not yet on the server", or `None` when there are none.
pub fn unsynced(lang: Lang, n: usize) -> Option<String> {
    (n > 0).then(|| match lang {
        Lang::Zh => format!("{n} 条未同步"),
        Lang::En if n == 1 => "1 change not synced".to_owned(),
        Lang::En => format!("{n} changes not synced"),
    })
}

/// The badge's count of photos the server does not have yet.
pub fn unsent_photos(lang: Lang, n: usize) -> Option<String> {
    (n > 0).then(|| match lang {
        Lang::Zh => format!("{n} 张照片未上传"),
        Lang::En if n == 1 => "1 photo not sent".to_owned(),
        Lang::En => format!("{n} photos not sent"),
    })
}

/// The banner for `n` records a newer build wrote, which this one leaves
/// out of its screens.
pub fn newer_records(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!(
            "本机有 {n} 条记录来自较新版本的值班簿，更新前不会显示（记录本身已保存，不会丢失）。正在获取新版本，出现“重新载入”时请点一下。"
        ),
        Lang::En if n == 1 => "1 record on this device comes from a newer version of Shiftbook and is not shown until this one updates (it is saved and will not be lost). The new version is being fetched: tap Reload when it is offered.".to_owned(),
        Lang::En => format!(
            "{n} records on this device come from a newer version of Shiftbook and are not shown until this one updates (they are saved and will not be lost). The new version is being fetched: tap Reload when it is offered."
        ),
    }
}

/// "Recorded by X at HH:MM on device D".
pub fn recorded_by(lang: Lang, person: &str, time: &str, device: &str) -> String {
    match lang {
        Lang::Zh if person == device => format!("{device} 于 {time} 记录"),
        Lang::Zh => format!("由 {person} 于 {time} 在 {device} 记录"),
        Lang::En if person == device => format!("{device} at {time}"),
        Lang::En => format!("{person} at {time} on {device}"),
    }
}

/// The line a printed page starts with: who printed it, when, from where.
pub fn printed(lang: Lang, person: &str, time: &str, site: &str) -> String {
    match lang {
        Lang::Zh => format!("{person} 于 {time} 打印自值班簿 · {site}"),
        Lang::En => format!("Printed from Shiftbook by {person} at {time} · {site}"),
    }
}

/// Why a change's attribution or a signature does not hold, without a
/// prefix: another device uploaded it, the person does not hold the role,
/// or the role may not sign.
fn doubt_reason(lang: Lang, doubt: &shiftbook_model::attribution_check::Doubt) -> String {
    use shiftbook_model::attribution_check::Doubt;
    match (doubt, lang) {
        (Doubt::OtherDevice { uploaded_by }, Lang::Zh) => format!("实际由 {uploaded_by} 上传"),
        (Doubt::OtherDevice { uploaded_by }, Lang::En) => format!("uploaded by {uploaded_by}"),
        (
            Doubt::RoleNotHeld {
                claimed,
                held: Some(held),
            },
            Lang::Zh,
        ) => format!(
            "以{}身份记录，花名册中为{}",
            role(lang, *claimed),
            role(lang, *held)
        ),
        (
            Doubt::RoleNotHeld {
                claimed,
                held: Some(held),
            },
            Lang::En,
        ) => format!(
            "recorded as {}, the roster says {}",
            role(lang, *claimed),
            role(lang, *held)
        ),
        (Doubt::RoleNotHeld { held: None, .. }, Lang::Zh) => "此人不在花名册中".to_owned(),
        (Doubt::RoleNotHeld { held: None, .. }, Lang::En) => "not on the roster".to_owned(),
        (Doubt::NotAllowed { held }, Lang::Zh) => format!("{}无权签此字", role(lang, *held)),
        (Doubt::NotAllowed { held }, Lang::En) => {
            format!("a {} may not sign this", role(lang, *held).to_lowercase())
        }
    }
}

/// Why a change's attribution is not confirmed, beside the record (like
/// "added after signing").
pub fn unconfirmed(lang: Lang, doubt: &shiftbook_model::attribution_check::Doubt) -> String {
    match lang {
        Lang::Zh => format!("⚠ 未经确认：{}", doubt_reason(lang, doubt)),
        Lang::En => format!("⚠ Unconfirmed: {}", doubt_reason(lang, doubt)),
    }
}

/// A signature that does not hold: "签字无效" and why.
pub fn invalid_signature(lang: Lang, doubt: &shiftbook_model::attribution_check::Doubt) -> String {
    match lang {
        Lang::Zh => format!("✗ 签字无效（{}）", doubt_reason(lang, doubt)),
        Lang::En => format!("✗ Invalid signature ({})", doubt_reason(lang, doubt)),
    }
}

/// "The server got it at HH:MM" (the server's receipt time).
pub fn received(lang: Lang, time: &str) -> String {
    match lang {
        Lang::Zh => format!("服务器 {time} 收到"),
        Lang::En => format!("server got it {time}"),
    }
}

/// A post's name (the posts of the built-in templates); other posts show
/// their id.
pub fn post(lang: Lang, id: &str) -> String {
    shiftbook_model::template::post_name(id, lang).map_or_else(|| id.to_owned(), str::to_owned)
}

/// A schedule in words: "每天 08:30", "18:00–08:00 每30分钟", with the
/// weekdays when not every day.
pub fn schedule(lang: Lang, s: &shiftbook_model::schedule::Schedule) -> String {
    use shiftbook_model::schedule::{Schedule, Weekday, Weekdays};
    let times = |t: &[shiftbook_model::schedule::MinuteOfDay]| {
        t.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let base = match (s, lang) {
        (Schedule::Fixed { times: t, .. }, Lang::Zh) => format!("每天 {}", times(t)),
        (Schedule::Fixed { times: t, .. }, Lang::En) => format!("Daily {}", times(t)),
        (
            Schedule::Every {
                every_minutes,
                from,
                to,
                ..
            },
            Lang::Zh,
        ) => {
            format!("{from}–{to} 每{every_minutes}分钟")
        }
        (
            Schedule::Every {
                every_minutes,
                from,
                to,
                ..
            },
            Lang::En,
        ) => {
            format!("Every {every_minutes} min {from}–{to}")
        }
        (
            Schedule::TimesPerDay {
                count, from, to, ..
            },
            Lang::Zh,
        ) => {
            format!("{from}–{to} 每天{count}次")
        }
        (
            Schedule::TimesPerDay {
                count, from, to, ..
            },
            Lang::En,
        ) => {
            format!("{count}× a day {from}–{to}")
        }
        (
            Schedule::Monthly {
                day_of_month, at, ..
            },
            Lang::Zh,
        ) => {
            format!("每月{day_of_month}日 {at}")
        }
        (
            Schedule::Monthly {
                day_of_month, at, ..
            },
            Lang::En,
        ) => {
            format!("Monthly, day {day_of_month} {at}")
        }
    };
    let days = s.days();
    if days == Weekdays::ALL {
        return base;
    }
    let names: Vec<&str> = Weekday::ALL
        .into_iter()
        .filter(|d| days.contains(*d))
        .map(|d| weekday(lang, d))
        .collect();
    format!("{base} ({})", names.join(lang_sep(lang)))
}

fn lang_sep(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "、",
        Lang::En => ", ",
    }
}

/// A weekday's short name.
pub fn weekday(lang: Lang, d: shiftbook_model::schedule::Weekday) -> &'static str {
    const ZH: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];
    const EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let i = usize::from(d.index()).min(6);
    match lang {
        Lang::Zh => ZH[i],
        Lang::En => EN[i],
    }
}

/// A count's condition.
pub fn condition(lang: Lang, c: shiftbook_model::show_flat::Condition) -> &'static str {
    use shiftbook_model::show_flat::Condition;
    let (zh, en) = match c {
        Condition::InPlace => ("在位", "In place"),
        Condition::Moved => ("移位", "Moved"),
        Condition::Damaged => ("损坏", "Damaged"),
        Condition::Missing => ("缺失", "Missing"),
    };
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// The opening or closing count.
pub fn count_session(lang: Lang, s: shiftbook_model::show_flat::CountSession) -> &'static str {
    use shiftbook_model::show_flat::CountSession;
    let (zh, en) = match s {
        CountSession::Opening => ("开馆清点", "Opening count"),
        CountSession::Closing => ("闭馆清点", "Closing count"),
    };
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// A department's name.
pub fn department(lang: Lang, d: shiftbook_model::followup::Department) -> &'static str {
    use shiftbook_model::followup::Department;
    match d {
        Department::Engineering => Msg::DeptEngineering.text(lang),
        Department::Cleaning => Msg::DeptCleaning.text(lang),
        Department::Security => Msg::DeptSecurity.text(lang),
        Department::CustomerService => Msg::DeptCustomerService.text(lang),
    }
}

/// A round slot's state, in words.
pub fn slot_state(lang: Lang, state: shiftbook_model::schedule::SlotState) -> &'static str {
    use shiftbook_model::schedule::SlotState;
    match state {
        SlotState::Upcoming => Msg::StateUpcoming.text(lang),
        SlotState::Due => Msg::StateDue.text(lang),
        SlotState::Late => Msg::StateLate.text(lang),
        SlotState::Missed => Msg::StateMissed.text(lang),
        SlotState::InProgress { .. } => Msg::StateInProgress.text(lang),
        SlotState::Done { late: false, .. } => Msg::StateDone.text(lang),
        SlotState::Done { late: true, .. } => Msg::StateDoneLate.text(lang),
    }
}

/// A round slot's state as a CSS class and test hook.
pub fn slot_state_class(state: shiftbook_model::schedule::SlotState) -> &'static str {
    use shiftbook_model::schedule::SlotState;
    match state {
        SlotState::Upcoming => "upcoming",
        SlotState::Due => "due",
        SlotState::Late => "late",
        SlotState::Missed => "missed",
        SlotState::InProgress { .. } => "in-progress",
        SlotState::Done { .. } => "done",
    }
}

/// A security event's name.
pub fn security_event(lang: Lang, kind: shiftbook_model::security_log::EventKind) -> &'static str {
    use shiftbook_model::security_log::EventKind;
    match kind {
        EventKind::SignIn => Msg::EvSignIn.text(lang),
        EventKind::WrongPin => Msg::EvWrongPin.text(lang),
        EventKind::Refused => Msg::EvRefused.text(lang),
        EventKind::SignOut => Msg::EvSignOut.text(lang),
        EventKind::IdleSignOut => Msg::EvIdleSignOut.text(lang),
        EventKind::CoSigned => Msg::EvCoSigned.text(lang),
    }
}

/// A role's name.
pub fn role(lang: Lang, role: shiftbook_model::roster::Role) -> &'static str {
    use shiftbook_model::roster::Role;
    match role {
        Role::Staff => Msg::RoleStaff.text(lang),
        Role::Leader => Msg::RoleLeader.text(lang),
        Role::Supervisor => Msg::RoleSupervisor.text(lang),
    }
}

/// The roster form's PIN field: how many digits this site's new PINs have.
pub fn pin_field(lang: Lang, digits: i64, is_new: bool) -> String {
    match (lang, is_new) {
        (Lang::Zh, true) => format!("PIN码({digits}位数字)"),
        (Lang::En, true) => format!("PIN ({digits} digits)"),
        (Lang::Zh, false) => format!("新PIN码({digits}位数字,留空则不变)"),
        (Lang::En, false) => format!("New PIN ({digits} digits, leave empty to keep)"),
    }
}

/// The roster form's refusal of a new PIN of the wrong length.
pub fn pin_length(lang: Lang, digits: i64) -> String {
    match lang {
        Lang::Zh => format!("新PIN码须为{digits}位数字"),
        Lang::En => format!("A new PIN has {digits} digits"),
    }
}

/// "Try again in N s" after wrong PINs.
pub fn wait_seconds(lang: Lang, ms: i64) -> String {
    let s = (ms + 999) / 1000;
    match lang {
        Lang::Zh => format!("请 {s} 秒后再试"),
        Lang::En => format!("Try again in {s} s"),
    }
}

/// "N changes after the signature" under a signed record.
pub fn changed_after_signing(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("签字后又有 {n} 处更改"),
        Lang::En if n == 1 => "1 change after the signature".to_owned(),
        Lang::En => format!("{n} changes after the signature"),
    }
}

/// "Signed off by 李娜 (team leader) at 18:00 on 大堂平板1".
pub fn signed_by(lang: Lang, person: &str, role_name: &str, time: &str, device: &str) -> String {
    match lang {
        Lang::Zh => format!("{person}({role_name})于 {time} 在 {device} 签字确认"),
        Lang::En => format!("Signed off by {person} ({role_name}) at {time} on {device}"),
    }
}

/// A hand-over's state, in words.
pub fn handover_state(lang: Lang, state: shiftbook_model::handover::HandoverState) -> &'static str {
    use shiftbook_model::handover::HandoverState;
    match state {
        HandoverState::Written => Msg::HoStateWritten.text(lang),
        HandoverState::Refused => Msg::HoStateRefused.text(lang),
        HandoverState::Accepted => Msg::HoStateAccepted.text(lang),
        HandoverState::Signed => Msg::HoStateSigned.text(lang),
    }
}

/// A hand-over's state as a CSS class and test hook.
pub fn handover_state_class(state: shiftbook_model::handover::HandoverState) -> &'static str {
    use shiftbook_model::handover::HandoverState;
    match state {
        HandoverState::Written => "written",
        HandoverState::Refused => "refused",
        HandoverState::Accepted => "accepted",
        HandoverState::Signed => "signed",
    }
}

/// "Not taken over N minutes after writing."
pub fn not_taken_over(lang: Lang, minutes: i64) -> String {
    match lang {
        Lang::Zh => format!("交班 {minutes} 分钟后仍未接班"),
        Lang::En => format!("Not taken over {minutes} min after writing"),
    }
}

/// What the write form says about the book's open pending items: they
/// are listed in the hand-over with the new ones.
pub fn pending_listed(lang: Lang, n: usize) -> String {
    match (lang, n) {
        (Lang::Zh, 0) => "前班没有未完成的遗留事项;新增事项将列入本交班记录".to_owned(),
        (Lang::Zh, n) => format!("前班未完成的遗留事项 {n} 项,将与新增事项一并列入本交班记录"),
        (Lang::En, 0) => {
            "No earlier pending items; new ones are listed in this hand-over".to_owned()
        }
        (Lang::En, 1) => {
            "1 earlier pending item is listed in this hand-over with the new ones".to_owned()
        }
        (Lang::En, n) => {
            format!("{n} earlier pending items are listed in this hand-over with the new ones")
        }
    }
}

fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// A visitor category's name.
pub fn visit_category(lang: Lang, c: Category) -> &'static str {
    match c {
        Category::ResidentWithoutCard => pick(lang, "业户(无卡)", "Resident, no card"),
        Category::Guest => pick(lang, "访客", "Guest"),
        Category::Staff => pick(lang, "公司员工", "Company staff"),
        Category::Government => pick(lang, "政府人员", "Government"),
        Category::Tour => pick(lang, "参观", "Tour"),
        Category::PassHolder => pick(lang, "持出入证", "Pass holder"),
        Category::Contractor => pick(lang, "施工人员", "Contractor"),
        Category::Delivery => pick(lang, "送货", "Delivery"),
        Category::Other => pick(lang, "其他", "Other"),
        Category::Salesperson => pick(lang, "推销/保险/广告", "Sales, insurance, ads"),
        Category::Unidentified => pick(lang, "无法说明来意", "Cannot say whom"),
    }
}

/// A visit's status.
pub fn visit_status(lang: Lang, s: VisitStatus) -> &'static str {
    match s {
        VisitStatus::Waiting => pick(lang, "待批准", "Waiting"),
        VisitStatus::Inside => pick(lang, "在内", "Inside"),
        VisitStatus::Disputed => pick(lang, "批准与拒绝冲突", "Disputed"),
        VisitStatus::Refused => pick(lang, "已拒绝", "Refused"),
        VisitStatus::Left => pick(lang, "已离开", "Left"),
    }
}

/// A work permit's status in words.
pub fn permit_status(lang: Lang, s: PermitStatus, on_site: u32) -> String {
    match (s, lang) {
        (PermitStatus::OnSite, Lang::Zh) => format!("施工中 · 在场 {on_site} 人"),
        (PermitStatus::OnSite, Lang::En) => format!("On site · {on_site} people"),
        (PermitStatus::Applied, _) => pick(lang, "待审批", "Awaiting approval").to_owned(),
        (PermitStatus::Approved, _) => pick(lang, "已批准", "Approved").to_owned(),
        (PermitStatus::Cancelled, _) => pick(lang, "已取消", "Cancelled").to_owned(),
        (PermitStatus::Rejected, _) => pick(lang, "未批准", "Rejected").to_owned(),
        (PermitStatus::Left, _) => pick(lang, "人员已离场", "Everyone left").to_owned(),
        (PermitStatus::Swept, _) => pick(lang, "清场检查", "Sweep started").to_owned(),
        (PermitStatus::Closed, _) => pick(lang, "已关闭", "Closed").to_owned(),
    }
}

/// A complaint's difficulty, in words; `None` is "not judged yet" (counted general).
pub fn complaint_difficulty(lang: Lang, d: Option<Difficulty>) -> &'static str {
    match d {
        Some(Difficulty::General) => Msg::CpGeneral,
        Some(Difficulty::Hard) => Msg::CpHard,
        None => Msg::CpNotJudged,
    }
    .text(lang)
}

/// A site setting's name on the settings page (and in refusals of its value).
pub fn setting_label(setting: Setting) -> Msg {
    match setting {
        Setting::IdleSignOutMinutes => Msg::IdleSignOut,
        Setting::ComplaintRespondMinutes => Msg::ComplaintRespondMinutes,
        Setting::ComplaintForwardMinutes => Msg::ComplaintForwardMinutes,
        Setting::ComplaintPreliminaryHours => Msg::ComplaintPreliminaryHours,
        Setting::ComplaintSameDayUntilHour => Msg::ComplaintSameDayUntilHour,
        Setting::ComplaintHardDays => Msg::ComplaintHardDays,
        Setting::HandoverTakeOverMinutes => Msg::HandoverTakeOverMinutes,
        Setting::PhotoDaysOnTablet => Msg::PhotoDaysOnTablet,
        Setting::PinDigits => Msg::PinDigits,
    }
}

/// "显示 3 / 共 5 条" under the filters.
pub fn shown_of(lang: Lang, shown: usize, total: usize) -> String {
    match lang {
        Lang::Zh => format!("显示 {shown} / 共 {total} 条"),
        Lang::En => format!("{shown} of {total} shown"),
    }
}

/// "由 张伟 于 21:06 在 大堂平板1 记录".
pub fn who_line(lang: Lang, who: &shiftbook_model::followup::Who) -> String {
    recorded_by(
        lang,
        &who.person,
        &crate::platform::clock::time_of_day(who.at_ms),
        &who.device,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_attribution_read_naturally() {
        assert_eq!(unsynced(Lang::Zh, 0), None);
        assert_eq!(unsynced(Lang::Zh, 3).as_deref(), Some("3 条未同步"));
        assert_eq!(
            unsynced(Lang::En, 1).as_deref(),
            Some("1 change not synced")
        );
        assert_eq!(
            recorded_by(Lang::Zh, "张三", "08:41", "大堂平板1"),
            "由 张三 于 08:41 在 大堂平板1 记录"
        );
        assert_eq!(recorded_by(Lang::En, "P1", "08:41", "P1"), "P1 at 08:41");
    }

    #[test]
    fn schedules_read_as_words() {
        use shiftbook_model::template::{public_area_patrol, show_flat_night_round};
        let night = show_flat_night_round().schedule.unwrap();
        assert_eq!(schedule(Lang::Zh, &night), "18:00–08:00 每30分钟");
        assert_eq!(schedule(Lang::En, &night), "Every 30 min 18:00–08:00");
        let public = public_area_patrol().schedule.unwrap();
        assert_eq!(
            schedule(Lang::Zh, &public),
            "08:00–18:00 每天2次 (一、二、三、四、五)"
        );
    }

    #[test]
    fn posts_have_names_and_unknown_ones_show_their_id() {
        assert_eq!(post(Lang::Zh, "lobby"), "大堂岗");
        assert_eq!(post(Lang::En, "show-flat"), "Show flat");
        assert_eq!(post(Lang::Zh, "garage"), "garage");
    }

    #[test]
    fn hand_over_words_read_naturally() {
        use shiftbook_model::handover::HandoverState;
        assert_eq!(not_taken_over(Lang::Zh, 45), "交班 45 分钟后仍未接班");
        assert_eq!(
            pending_listed(Lang::En, 1),
            "1 earlier pending item is listed in this hand-over with the new ones"
        );
        assert!(pending_listed(Lang::Zh, 0).starts_with("前班没有"));
        assert_eq!(handover_state(Lang::Zh, HandoverState::Refused), "拒绝接班");
        assert_eq!(handover_state_class(HandoverState::Signed), "signed");
        assert_eq!(
            security_event(Lang::Zh, shiftbook_model::security_log::EventKind::CoSigned),
            "PIN确认(共同签字)"
        );
    }

    #[test]
    fn chinese_is_the_default_language() {
        assert_eq!(Lang::default(), Lang::Zh);
        assert_eq!(Msg::Offline.text(Lang::default()), "离线");
    }
}
