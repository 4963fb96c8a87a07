//! UI texts in Simplified Chinese (the staff's language, shown first) and
//! English. Every text is one variant, so a missing translation cannot
//! compile.

use shiftbook_model::Lang;
use shiftbook_model::complaint::Difficulty;
use shiftbook_model::settings::Setting;
use shiftbook_model::visitor_log::{Category, VisitStatus};
use shiftbook_model::work_permit::PermitStatus;

/// A fixed UI text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Msg {
    /// Product name.
    AppName,
    /// Status badge: no connection.
    Offline,
    /// Status badge: handshake.
    Connecting,
    /// Status badge: sending or receiving.
    Syncing,
    /// Status badge: server has everything.
    Synced,
    /// ✓ button.
    Normal,
    /// × button.
    Abnormal,
    /// Placeholder of the note field.
    NotePlaceholder,
    /// Button that saves a changed note.
    SaveNote,
    /// Shown when an item has no mark yet.
    NotChecked,
    /// Heading of a conflict.
    ConflictTitle,
    /// What to do about a conflict.
    ConflictHelp,
    /// Shown after a successful local save.
    SavedOnTablet,
    /// Not enrolled: heading.
    NotEnrolledTitle,
    /// Not enrolled: explanation.
    NotEnrolledHelp,
    /// Enrolment in progress.
    Enrolling,
    /// Enrolment link refused by the server.
    EnrolmentRefused,
    /// Enrolment needs the network.
    EnrolmentNeedsNetwork,
    /// Retry button.
    Retry,
    /// Language switch label (names the *other* language).
    SwitchLanguage,
    /// A screen's piece of the app could not be fetched (offline before
    /// the service worker had kept it).
    ScreenNotLoaded,
    /// The device's storage refused a write.
    StorageFailed,
    /// A stored record could not be read and was set aside.
    StorageQuarantined,
    /// Label before the device name.
    Device,
    /// Items checked, as in "8 / 11 checked".
    Checked,
    /// Items marked abnormal.
    AbnormalCount,
    /// History toggle.
    History,
    /// The server refused this tablet's token.
    DeviceRevoked,
    /// Sign-in: heading.
    WhoAreYou,
    /// Sign-in: enter PIN.
    EnterPin,
    /// Sign-in: confirm button.
    SignIn,
    /// Sign-in: checking the PIN.
    CheckingPin,
    /// Sign-in: wrong PIN.
    WrongPin,
    /// Sign-in: not on the roster.
    UnknownPerson,
    /// Sign-in: no PIN set.
    NoPin,
    /// Sign-in: the roster has not synced yet.
    NoRoster,
    /// Switch person button.
    SwitchPerson,
    /// Cancel.
    Cancel,
    /// Delete the last digit.
    Backspace,
    /// Role names.
    RoleStaff,
    /// Role names.
    RoleLeader,
    /// Role names.
    RoleSupervisor,
    /// Sign-off button.
    SignOffDaily,
    /// Confirm the sign-off.
    ConfirmSignOff,
    /// Heading of changes after signing.
    AddedAfterSigning,
    /// Heading of the signed version.
    AsSigned,
    /// Nobody signed yet.
    NotSignedYet,
    /// Supervisor login heading.
    SupervisorLogin,
    /// User name label.
    UserName,
    /// Password label.
    Password,
    /// Wrong user name or password.
    WrongLogin,
    /// Rate limited.
    TooManyLogins,
    /// Login needs the network.
    LoginNeedsNetwork,
    /// Log out button.
    LogOut,
    /// Print what the desktop shows.
    Print,
    /// The supervisor's session ended.
    SessionExpired,
    /// An × on this item needs a note.
    NoteRequired,
    /// Agenda: the older missed rounds.
    EarlierMissed,
    /// Column: a checklist's name.
    ChecklistName,
    /// A checklist in use.
    InUse,
    /// Agenda: show flats.
    ShowFlats,
    /// Count a room as expected.
    AllAsExpected,
    /// Visitors today.
    Visitors,
    /// Add a visitor.
    AddVisitor,
    /// Desktop tab: show flats.
    TabFlats,
    /// Help under the show-flats heading.
    FlatsHelp,
    /// Button: add a show flat.
    AddFlat,
    /// Button: edit a flat's item list.
    EditItemList,
    /// Column: room.
    Room,
    /// Column: room in English.
    RoomEn,
    /// Column: item name.
    ItemZh,
    /// Column: item name in English.
    ItemEn,
    /// Column: expected quantity.
    ExpectedQty,
    /// Column: where an item stands.
    WhereItStands,
    /// Field: the flat's name.
    FlatNameZh,
    /// Field: the flat's English name.
    FlatNameEn,
    /// A flat nobody has counted on the day.
    NotCountedToday,
    /// Button: open a flat's count.
    OpenCount,
    /// Heading of guests' opinions and suggestions.
    GuestFeedback,
    /// Placeholder: what the guest said.
    FeedbackText,
    /// Placeholder: who the guest is.
    GuestWho,
    /// Button: record feedback.
    RecordFeedback,
    /// No feedback yet.
    NoFeedback,
    /// Button: correct the visitor count down by one.
    CorrectVisitor,
    /// Placeholder: why a visitor correction.
    CorrectionReason,
    /// Button: confirm.
    Confirm,
    /// Button: the leader signs the flat's day.
    SignFlatDay,
    /// Shown after saving an item list.
    ItemListSaved,
    /// Two supervisors saved a list at once.
    ConcurrentItemLists,
    /// Discrepancies heading.
    Discrepancies,
    /// No discrepancies.
    NoDiscrepancies,
    /// Expected quantity.
    Expected,
    /// Disputed counts.
    Recount,
    /// No show flats.
    NoFlats,
    /// Sign all of today's walked rounds.
    SignDay,
    /// A checklist retired.
    Retired,
    /// Desktop tab: templates.
    TabTemplates,
    /// Templates: what saving does.
    TemplatesHelp,
    /// Add a template.
    AddTemplate,
    /// Schedule.
    Schedule,
    /// Items.
    Items,
    /// Chinese text.
    TitleZh,
    /// English text.
    TitleEn,
    /// Fixed times.
    Times,
    /// Every N minutes.
    EveryMinutes,
    /// Window start.
    From,
    /// Window end.
    To,
    /// N times a day.
    TimesPerDay,
    /// Day of the month.
    DayOfMonth,
    /// Area.
    Area,
    /// × needs a note.
    NoteOnAbnormal,
    /// Department.
    Department,
    /// Add an item.
    AddItem,
    /// Schedule kind.
    KindNone,
    /// Schedule kind.
    KindFixed,
    /// Schedule kind.
    KindEvery,
    /// Schedule kind.
    KindTimesPerDay,
    /// Schedule kind.
    KindMonthly,
    /// History: every post.
    AllPosts,
    /// History: a day without scheduled rounds.
    NothingScheduled,
    /// Follow-ups heading.
    FollowUps,
    /// No follow-ups.
    NoFollowUps,
    /// Agenda link to follow-ups.
    OpenFollowUps,
    /// Add a note.
    AddNote,
    /// What was done.
    WhatWasDone,
    /// Close a follow-up.
    CloseFollowUp,
    /// Rectification notice.
    RectificationNotice,
    /// Issue a notice.
    IssueNotice,
    /// Desktop tab: follow-ups.
    TabFollowUps,
    /// Department.
    DeptEngineering,
    /// Department.
    DeptCleaning,
    /// Department.
    DeptSecurity,
    /// Department.
    DeptCustomerService,
    /// Agenda: due now.
    DueNow,
    /// Agenda: nothing due.
    NothingDue,
    /// Agenda: missed.
    Missed,
    /// Agenda: next.
    Next,
    /// Agenda: started when needed.
    OnDemand,
    /// Start a round.
    StartRound,
    /// Finish a round.
    FinishRound,
    /// Slot state.
    StateUpcoming,
    /// Slot state.
    StateDue,
    /// Slot state.
    StateLate,
    /// Slot state.
    StateMissed,
    /// Slot state.
    StateInProgress,
    /// Slot state.
    StateDone,
    /// Slot state.
    StateDoneLate,
    /// Round progress.
    StartedBy,
    /// Round progress.
    FinishedBy,
    /// A round of a template this site does not have.
    UnknownTemplate,
    /// Desktop tab: today's round.
    TabRound,
    /// Desktop tab: the roster.
    TabRoster,
    /// Desktop tab: the security log.
    TabSecurity,
    /// Desktop tab: site settings.
    TabSettings,
    /// Label of the site picker.
    SitePicker,
    /// Roster: add button.
    AddPerson,
    /// Roster: edit button.
    EditPerson,
    /// Roster: name.
    Name,
    /// Roster: role.
    RoleLabel,
    /// Roster: posts.
    Posts,
    /// Roster: how to enter posts.
    PostsHelp,
    /// Roster: PIN again.
    PinAgain,
    /// Roster: still working here.
    Active,
    /// Roster: has left.
    Inactive,
    /// Roster: PIN set.
    PinSet,
    /// Roster: no PIN.
    PinNotSet,
    /// Save button.
    Save,
    /// Saved confirmation.
    SavedNote,
    /// While the PIN is hashed.
    HashingPin,
    /// Form error.
    FormNoName,
    /// Form error.
    FormNoRole,
    /// Form error.
    /// Form error.
    FormPinMismatch,
    /// Form error.
    FormNeedsPin,
    /// Roster: concurrent edits.
    RosterConflict,
    /// Roster: nobody yet.
    RosterEmpty,
    /// Roster: what happens on save.
    RosterHelp,
    /// Settings: idle sign-out.
    IdleSignOut,
    /// Settings: concurrent values.
    SettingConflict,
    /// Settings: where they apply.
    SettingsHelp,
    /// Security log: empty day.
    SecurityNone,
    /// Column: time.
    Time,
    /// Column: person.
    Person,
    /// Column: event.
    Event,
    /// Label: date.
    Date,
    /// Security event.
    EvSignIn,
    /// Security event.
    EvWrongPin,
    /// Security event.
    EvRefused,
    /// Security event.
    EvSignOut,
    /// Security event.
    EvIdleSignOut,
    // Key register and work permits (issue 6).
    /// The key register's heading.
    KeysTitle,
    /// Agenda link and desktop tab: keys.
    KeysLink,
    /// What the key rules are.
    KeysHelp,
    /// No keys registered yet.
    NoKeys,
    /// Heading of the alerts.
    NeedsAttention,
    /// Button: register a key.
    RegisterKey,
    /// Field: the key's label.
    KeyLabel,
    /// Field: the show flat.
    KeyFlat,
    /// No show flat.
    NoFlat,
    /// Field: the lock.
    KeyLock,
    /// A new lock.
    NewLock,
    /// Field: who holds it.
    KeyHolder,
    /// Button: hand a key over.
    HandOverKey,
    /// Button: hand a key over with the receiver here, confirming by PIN.
    HandOverInPerson,
    /// Field: the receiver.
    HandTo,
    /// Field: the giver.
    HandFrom,
    /// Button: the receiver confirms.
    ConfirmReceipt,
    /// Button: report a key lost.
    ReportLost,
    /// Field: what happened.
    LostWhat,
    /// Button: a leader records a key found.
    KeyFound,
    /// Field: who has it now.
    FoundWith,
    /// Button: the lock was changed.
    ChangeLock,
    /// Field: what was done.
    WhatWasDoneOptional,
    /// Button: withdraw a damaged key.
    WithdrawKey,
    /// Field: what is damaged.
    WithdrawReason,
    /// The permits' heading.
    PermitsTitle,
    /// Agenda link and desktop tab: permits.
    PermitsLink,
    /// What the permit rules are.
    PermitsHelp,
    /// Button: type in an application.
    ApplyPermit,
    /// Field: the company.
    Company,
    /// Field: the team leader.
    TeamLeader,
    /// Field: phone.
    Phone,
    /// Field: the scope of work.
    Scope,
    /// Field: the work date.
    WorkDate,
    /// Field: headcount.
    Headcount,
    /// Button: submit an application.
    SubmitApplication,
    /// Section: today's work.
    TodayWork,
    /// Section: earlier work not closed.
    EarlierOpen,
    /// Section: later work.
    UpcomingWork,
    /// Section: done.
    FinishedWork,
    /// A section without permits.
    NoWork,
    /// Button: approve.
    Approve,
    /// Button: reject.
    Reject,
    /// Field: a reason.
    Reason,
    /// Button: log people coming in.
    LogEntry,
    /// Button: log people leaving.
    LogExit,
    /// Field: how many people.
    People,
    /// Tools and materials check ✓.
    ToolsOk,
    /// Tools and materials check ×.
    ToolsNotOk,
    /// Field: what is wrong with the tools.
    ToolsNote,
    /// Button: count the people on site.
    HeadCount,
    /// Button: start the sweep.
    StartSweep,
    /// Button: open the sweep round.
    OpenSweep,
    /// Button: close a permit.
    ClosePermit,
    /// Button: cancel a permit.
    CancelPermit,
    /// Tag: applied late.
    AppliedLate,
    /// Label: a month.
    Month,
    /// A required text is empty.
    TextRequired,
    /// A × on the tools check without a note.
    ToolsNoteRequired,
    /// The sweep round has not reached this device.
    SweepNotHere,
    // Shift hand-over (交接班) and co-signing.
    /// A hand-over book's screen.
    HandoverTitle,
    /// Open the form to write a hand-over.
    HoWrite,
    /// The shift handed over.
    HoShift,
    /// What the outgoing shift writes.
    HoSummary,
    /// A new pending item.
    HoNewPending,
    /// Add a pending item to the form.
    HoAdd,
    /// Write the hand-over.
    HoSubmit,
    /// A day without hand-overs.
    HoNoHandovers,
    /// Pending items heading.
    HoPending,
    /// No pending items open.
    HoNoPending,
    /// A pending item from an earlier day.
    HoCarried,
    /// Pending items done that day.
    HoDoneToday,
    /// Mark a pending item done (the person's confirmation).
    HoMarkDone,
    /// The pending items a hand-over lists.
    HoListed,
    /// Equipment check heading.
    HoEquipment,
    /// The incoming person's questions or reason.
    HoReasonPlaceholder,
    /// Refuse to take over.
    HoRefuse,
    /// Take over.
    HoAccept,
    /// Sign as the outgoing side.
    HoSignOutgoing,
    /// Sign as the incoming side.
    HoSignIncoming,
    /// Confirm a signature.
    HoConfirmSign,
    /// The outgoing side.
    HoOutgoing,
    /// The incoming side.
    HoIncoming,
    /// A note on a hand-over.
    HoNotePlaceholder,
    /// Add a note to a hand-over.
    HoAddNote,
    /// A note on a hand-over, as listed.
    HoNoteLabel,
    /// An acceptance, as listed.
    HoTakenOver,
    /// Hand-over state.
    HoStateWritten,
    /// Hand-over state.
    HoStateRefused,
    /// Hand-over state.
    HoStateAccepted,
    /// Hand-over state.
    HoStateSigned,
    /// Alerts heading.
    HoAlerts,
    /// A refusal an acceptance answered.
    HoAnswered,
    /// A book this site does not have.
    HoUnknownBook,
    /// A pending item whose board is not on the device.
    HoNotHere,
    /// The leader's review of a book's day.
    HoSignDay,
    /// Open a book's day.
    HoOpenBook,
    /// Hand-overs (desktop): a book's equipment check list.
    HoEquipmentList,
    /// Hand-overs (desktop): the equipment list was saved.
    HoEquipmentSaved,
    /// Hand-overs (desktop): what the equipment lists are.
    HoEquipmentListsHelp,
    /// Help under the desktop's hand-overs heading.
    HoDeskHelp,
    /// Desktop tab: hand-overs.
    TabHandovers,
    /// How to co-sign.
    CoSignHelp,
    /// Nobody can co-sign.
    CoSignNobody,
    /// Security event.
    EvCoSigned,
    // ── complaints and owner visits (issue 7) ──
    /// Settings: minutes to respond to an owner's complaint.
    ComplaintRespondMinutes,
    /// Settings: minutes to forward a complaint to the department.
    ComplaintForwardMinutes,
    /// Settings: hours to a preliminary solution.
    ComplaintPreliminaryHours,
    /// Settings: the hour general issues are due by the same day.
    ComplaintSameDayUntilHour,
    /// Settings: days to deal with a hard issue.
    ComplaintHardDays,
    /// Settings: minutes before a hand-over not taken over is raised.
    HandoverTakeOverMinutes,
    PinDigits,
    /// A new build of the app is ready (banner).
    UpdateReady,
    /// Reload the app to start the new build.
    ReloadApp,
    /// Complaints: the screen's title.
    CpTitle,
    /// Complaints: the desktop sidebar's label (short enough for one line).
    CpTab,
    /// Complaints: what the screen is for.
    CpHelp,
    /// Complaints: take a complaint.
    CpTake,
    /// Complaints: a complaint was saved.
    CpSaved,
    /// Complaints: the section of those needing attention.
    CpAttention,
    /// Complaints: open ones.
    CpOpen,
    /// Complaints: closed ones.
    CpClosed,
    /// Complaints: none open.
    CpNoneOpen,
    /// Complaints: a serious one not escalated (short).
    CpEscalateNow,
    /// Complaints: a serious one not escalated (banner).
    CpEscalateNowLong,
    /// Complaints: serious (重大投诉).
    CpSerious,
    /// Complaints form: serious, on.
    CpSeriousYes,
    /// Complaints form: serious, off.
    CpSeriousNo,
    /// Complaints: received time.
    CpReceived,
    /// Complaints: channel.
    CpChannel,
    /// Complaints: kind.
    CpKind,
    /// Complaints: the owner.
    CpOwner,
    /// Complaints and visits: the unit.
    CpUnit,
    /// Complaints: contact.
    CpContact,
    /// Complaints: content.
    CpContent,
    /// Complaints: difficulty.
    CpDifficulty,
    /// Complaints: the post that received it.
    CpPost,
    /// Complaints: the handling department.
    CpDepartment,
    /// Complaints: who registered it.
    CpRegisteredBy,
    /// Complaints form: save.
    CpSaveComplaint,
    /// Forms: cancel.
    CpCancel,
    /// Complaints form: the received time is not a time.
    CpBadReceived,
    /// Complaints form: received later than now.
    CpReceivedInFuture,
    /// Forms: not a date.
    CpBadDate,
    /// Filter: the range ends before it starts.
    CpBadRange,
    /// Channel: phone.
    CpChannelPhone,
    /// Channel: in person.
    CpChannelVisit,
    /// Channel: letter.
    CpChannelLetter,
    /// Channel: forwarded by the company.
    CpChannelForwarded,
    /// Channel: other.
    CpChannelOther,
    /// Kind: request.
    CpKindRequest,
    /// Kind: complaint.
    CpKindComplaint,
    /// Difficulty: general.
    CpGeneral,
    /// Difficulty: hard.
    CpHard,
    /// Difficulty: not judged.
    CpNotJudged,
    /// Status: received.
    CpStatusReceived,
    /// Status: responded.
    CpStatusResponded,
    /// Status: forwarded.
    CpStatusForwarded,
    /// Status: receipt confirmed.
    CpStatusReceiptConfirmed,
    /// Status: preliminary solution given.
    CpStatusPreliminary,
    /// Status: corrected.
    CpStatusCorrected,
    /// Status: replied to the owner.
    CpStatusReplied,
    /// Status: return-visited.
    CpStatusReturnVisited,
    /// Status: closed.
    CpStatusClosed,
    /// Deadline: respond.
    CpDeadlineRespond,
    /// Deadline: forward.
    CpDeadlineForward,
    /// Deadline: preliminary solution.
    CpDeadlinePreliminary,
    /// Deadline: dealt with.
    CpDeadlineResolve,
    /// Complaint page: the deadlines.
    CpDeadlines,
    /// Complaint page: due at.
    CpDue,
    /// Satisfaction: satisfied.
    CpSatisfied,
    /// Satisfaction: basically satisfied.
    CpBasicallySatisfied,
    /// Satisfaction: unsatisfied.
    CpUnsatisfied,
    /// History: registered.
    CpEvReceived,
    /// History: responded.
    CpEvResponded,
    /// History: forwarded.
    CpEvForwarded,
    /// History: receipt confirmed.
    CpEvReceiptConfirmed,
    /// History: preliminary solution.
    CpEvPreliminary,
    /// History: corrected.
    CpEvCorrected,
    /// History: replied.
    CpEvReplied,
    /// History: return visit.
    CpEvReturnVisit,
    /// History: closed.
    CpEvClosed,
    /// History: escalated.
    CpEvEscalated,
    /// History: difficulty.
    CpEvDifficulty,
    /// History: marked serious.
    CpEvSerious,
    /// History: note.
    CpEvNote,
    /// Complaint page: back to the list.
    CpBackToList,
    /// Complaint page: not on this device (yet).
    CpNotHere,
    /// Complaint page: the next steps.
    CpNextSteps,
    /// Complaint page: a step was saved.
    CpStepSaved,
    /// Complaint page: the owner came back about a closed complaint.
    CpAgain,
    /// Complaint page: why a closed complaint is not reopened.
    CpAgainHelp,
    /// Complaint page: the new, linked complaint was saved.
    CpAgainSaved,
    /// Complaint page: the earlier complaint this one follows up.
    CpFollows,
    /// Complaint page: later complaints following this one up.
    CpFollowedBy,
    /// Complaint page: a linked complaint this device does not hold.
    CpNotOnDevice,
    /// Complaint page: the form's facts.
    CpFacts,
    /// Complaint page: the history.
    CpHistory,
    /// Step form: confirm.
    CpConfirm,
    /// Step form: an optional field.
    CpOptional,
    /// Step form: set the difficulty to.
    CpSetTo,
    /// Step form: whom to escalate to, prefilled.
    CpManager,
    /// Step: respond.
    CpActRespond,
    /// Step: forward.
    CpActForward,
    /// Step: the department confirms receipt.
    CpActConfirmReceipt,
    /// Step: preliminary solution.
    CpActPreliminary,
    /// Step: root cause and corrective action.
    CpActCorrect,
    /// Step: reply to the owner.
    CpActReply,
    /// Step: return visit.
    CpActReturnVisit,
    /// Step: escalate.
    CpActEscalate,
    /// Step: difficulty.
    CpActDifficulty,
    /// Step: mark serious.
    CpActSerious,
    /// Step: note.
    CpActNote,
    /// Step: close.
    CpActClose,
    /// Step field: what was said.
    CpFieldSaid,
    /// Step field: a note.
    CpFieldNote,
    /// Step field: who confirmed receipt.
    CpFieldReceiver,
    /// Step field: the preliminary solution.
    CpFieldSolution,
    /// Step field: the root cause.
    CpFieldCause,
    /// Step field: the corrective action.
    CpFieldAction,
    /// Step field: what the owner was told.
    CpFieldTold,
    /// Step field: the owner's words at the return visit.
    CpFieldOwnerWords,
    /// Step field: escalated to whom.
    CpFieldEscalatedTo,
    /// Step field: a reason.
    CpFieldReason,
    /// Step field: why it is serious.
    CpFieldWhySerious,
    /// Step field: why close without a reply or satisfaction.
    CpFieldCloseReason,
    /// Step field: a closing remark.
    CpFieldRemark,
    /// Filter: heading.
    CpSearch,
    /// Filter: from day.
    CpFrom,
    /// Filter: to day.
    CpTo,
    /// Filter: a person.
    CpPerson,
    /// Filter: status.
    CpStatus,
    /// Filter: words.
    CpWords,
    /// Filter: any.
    CpAny,
    /// Filter: clear.
    CpClearFilter,
    /// Desktop: the month's figures.
    CpFigures,
    /// Figures: how many.
    CpFigTotal,
    /// Figures: reply on time.
    CpFigReplyOnTime,
    /// Figures: return-visit rate.
    CpFigReturnVisits,
    /// Figures: satisfaction.
    CpFigSatisfaction,
    /// Owner visits: the screen's and the tab's title.
    OvTitle,
    /// Owner visits: what it is.
    OvHelp,
    /// Owner visits: add a visit.
    OvAdd,
    /// Owner visits: save a visit.
    OvSave,
    /// Owner visits: the date.
    OvDate,
    /// Owner visits: who visited.
    OvVisitor,
    /// Owner visits: opinions.
    OvOpinions,
    /// Owner visits: requests.
    OvRequests,
    /// Owner visits: the follow-up needed.
    OvFollowUp,
    /// Owner visits form: the follow-up needed.
    OvFollowUpNeeded,
    /// Owner visits: what was done.
    OvWhatWasDone,
    /// Owner visits: mark followed up.
    OvMarkFollowedUp,
    /// Owner visits: visits (count).
    OvVisits,
    /// Owner visits: follow-ups still to do (count).
    OvOpenFollowUps,
    /// Owner visits: none this month.
    OvNone,
    /// Owner visits: the supervisor signs the month.
    OvSignMonth,
    // Duty log and visitor log (issue 7).
    /// Duty log heading and links.
    DutyLog,
    /// Visitor log links and tab.
    VisitorLog,
    /// Quick entry heading.
    DutyNewEntry,
    /// Field: the post.
    DutyPost,
    /// Field: the event type.
    DutyKind,
    /// Field: action taken.
    DutyAction,
    /// Field: result.
    DutyResult,
    /// Placeholder: what happened.
    DutyWhatHappened,
    /// Record an entry.
    DutyRecord,
    /// No entries.
    DutyNone,
    /// State: never corrected.
    DutyAsWritten,
    /// State: corrected.
    DutyAmended,
    /// A time on the night after the service day.
    NextMorning,
    /// Form: pick a type first.
    DutyPickKind,
    /// Form: a time HH:MM.
    DutyBadTime,
    /// Form: a post.
    DutyNoPost,
    /// Form: what happened is required.
    DutyNoEvent,
    /// A full ID number typed into a text.
    NoFullIdNumber,
    /// Correction: the reason is required.
    DutyNoReason,
    /// Correction changes nothing.
    DutyNothingCorrected,
    /// Open the correction form.
    DutyCorrect,
    /// One correction, as listed.
    DutyCorrection,
    /// The original values of a corrected entry.
    DutyOriginal,
    /// A correction's reason.
    DutyReason,
    /// Label: the reason (required).
    DutyReasonRequired,
    /// Save the correction.
    DutyConfirmCorrection,
    /// Corrections made at the same time disagree.
    DutyDisagree,
    /// Heading of the day's review.
    DailyReview,
    /// Sign the day's duty log.
    SignDutyDay,
    /// Filter: everyone.
    EveryPerson,
    /// Filter: every type.
    EveryKind,
    /// Filter: every state.
    EveryState,
    /// Filter: text search.
    SearchText,
    /// Search across several days.
    SearchDays,
    /// Visitors inside now.
    InsideNow,
    /// Nobody inside.
    NobodyInside,
    /// Visits waiting for a supervisor.
    WaitingApproval,
    /// The day's visits.
    VisitsOfDay,
    /// No visits.
    NoVisits,
    /// New-visit form heading.
    NewVisit,
    /// A blocked category.
    NeedsSupervisor,
    /// Label: last 4 characters of the ID.
    IdLastFour,
    /// Why only the last 4 characters.
    WhyLastFour,
    /// Field: visitor's name.
    VisitorName,
    /// Field: host.
    VisitHost,
    /// Field: unit.
    VisitUnit,
    /// Field: purpose.
    VisitPurpose,
    /// Field: people.
    VisitPeople,
    /// Field: time in.
    TimeIn,
    /// Label: how approved.
    HowApproved,
    /// Log the visit.
    LogVisit,
    /// The visitor left now.
    VisitorLeft,
    /// Supervisor approves.
    ApproveVisit,
    /// Refuse a waiting visit.
    RefuseVisit,
    /// Turn away a visitor let in without approval (the resident declined).
    TurnAway,
    /// Placeholder: why refused.
    RefuseReason,
    /// A decision: approved.
    VisitApproved,
    /// A decision: refused.
    VisitRefused,
    /// An exit.
    VisitLeft,
    /// An approval and a refusal crossed.
    VisitDisputedHelp,
    /// Sign the day's visitor log.
    SignVisitorDay,
    /// Filter: every category.
    EveryCategory,
    /// Column: category.
    VisitCategory,
    /// Column: status.
    VisitStatusLabel,
    /// Form: pick a category.
    VisitPickCategory,
    /// Form: the name.
    VisitNoName,
    /// Form: the ID type.
    VisitPickIdType,
    /// Form: only the last 4 letters and digits.
    VisitIdLastOnly,
    /// Form: the last characters of the ID seen.
    VisitIdMissing,
    /// Form: characters but no ID.
    VisitIdWithoutType,
    /// Form: 1–200 people.
    VisitBadPeople,
    /// Form: how approved.
    VisitPickApproval,
    /// A refusal's reason.
    VisitNoReason,
    /// A blank value in a correction or an original.
    DutyBlank,
    /// An entry corrected after the day was signed.
    DutyCorrectedAfterSigning,
    // Navigation: the tablet's left rail and the desktop's sidebar.
    /// Rail: the agenda.
    NavAgenda,
    /// Rail: follow-ups.
    NavFollowUps,
    /// Rail: hand-over books.
    NavHandover,
    /// Rail: the duty log.
    NavDutyLog,
    /// Rail: the visitor log.
    NavVisitors,
    /// Rail: complaints and repair requests.
    NavComplaints,
    /// Rail: the owner-visit record.
    NavOwnerVisits,
    /// Rail: the show flat's count.
    NavShowFlat,
    /// Rail: the key register.
    NavKeys,
    /// Rail: work permits.
    NavPermits,
    /// Rail: past days.
    NavHistory,
    /// Sidebar heading: patrol.
    NavPatrol,
    /// Sidebar heading: show flats.
    NavShowFlats,
    /// Sidebar heading: front desk.
    NavFrontDesk,
    /// Sidebar heading: administration.
    NavAdmin,
    /// Badge: key alerts.
    NavKeyAlerts,
    /// Badge: permit alerts.
    NavPermitAlerts,
    /// Badge: complaints overdue or to escalate.
    NavUrgentComplaints,
    /// Badge: visitors waiting for approval.
    NavVisitorsWaiting,
    /// The rail's name for screen readers.
    NavName,
    /// Hand-over page: switch to another book.
    NavBooks,
}

impl Msg {
    /// The text in `lang`.
    pub fn text(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Msg::AppName => ("值班簿", "Shiftbook"),
            Msg::Offline => ("离线", "Offline"),
            Msg::Connecting => ("连接中", "Connecting"),
            Msg::Syncing => ("同步中", "Syncing"),
            Msg::Synced => ("已全部同步", "All synced"),
            Msg::Normal => ("✓ 正常", "✓ Normal"),
            Msg::Abnormal => ("× 异常", "× Abnormal"),
            Msg::NotePlaceholder => ("备注(可选)", "Note (optional)"),
            Msg::SaveNote => ("保存备注", "Save note"),
            Msg::NotChecked => ("未检查", "Not checked"),
            Msg::ConflictTitle => ("记录不一致", "Records disagree"),
            Msg::ConflictHelp => (
                "两台平板同时记录了不同结果,请现场核实后重新选择。",
                "Two tablets recorded different results at the same time. Check on site and mark again.",
            ),
            Msg::SavedOnTablet => ("已保存在本机", "Saved on this tablet"),
            Msg::NotEnrolledTitle => ("本平板尚未登记", "This tablet is not enrolled"),
            Msg::NotEnrolledHelp => (
                "请用主管提供的登记链接打开本应用。登记后,离线也可使用。",
                "Open the enrolment link your supervisor gives you. Once enrolled, the app works offline.",
            ),
            Msg::Enrolling => ("正在登记本平板…", "Enrolling this tablet…"),
            Msg::EnrolmentRefused => (
                "登记链接无效或已被撤销,请联系主管。",
                "The enrolment link is invalid or revoked. Ask your supervisor.",
            ),
            Msg::EnrolmentNeedsNetwork => (
                "登记需要联网。请连接网络后重试。",
                "Enrolment needs a network connection. Connect and retry.",
            ),
            Msg::Retry => ("重试", "Retry"),
            Msg::SwitchLanguage => ("English", "中文"),
            Msg::ScreenNotLoaded => (
                "此页面尚未下载到本机,请连接网络后重试。",
                "This screen is not on the tablet yet; connect to the network and try again.",
            ),
            Msg::StorageFailed => (
                "无法保存到本机存储!请勿关闭应用,并通知主管。",
                "Could not save to this tablet's storage! Keep the app open and tell your supervisor.",
            ),
            Msg::StorageQuarantined => (
                "本机有一条记录无法读取,已另行保存,请通知主管。",
                "A record on this tablet could not be read; it was set aside. Tell your supervisor.",
            ),
            Msg::Device => ("设备", "Device"),
            Msg::Checked => ("已检查", "checked"),
            Msg::AbnormalCount => ("异常", "abnormal"),
            Msg::History => ("记录历史", "History"),
            Msg::DeviceRevoked => (
                "服务器拒绝了本平板的登记(可能已被撤销)。本机记录不会丢失,请联系主管重新登记。",
                "The server refused this tablet's enrolment (maybe revoked). Nothing on this tablet is lost; ask your supervisor to enrol it again.",
            ),
            Msg::WhoAreYou => ("请选择您的姓名", "Who are you?"),
            Msg::EnterPin => ("请输入PIN码", "Enter your PIN"),
            Msg::SignIn => ("登录", "Sign in"),
            Msg::CheckingPin => ("正在验证…", "Checking…"),
            Msg::WrongPin => ("PIN码错误", "Wrong PIN"),
            Msg::UnknownPerson => (
                "名册中没有此人,请联系主管。",
                "Not on the roster. Ask your supervisor.",
            ),
            Msg::NoPin => (
                "尚未设置PIN码,请联系主管。",
                "No PIN set yet. Ask your supervisor.",
            ),
            Msg::NoRoster => (
                "人员名册尚未同步到本平板。请连接网络;名册由主管在电脑上建立。",
                "The staff roster has not reached this tablet yet. Connect to the network; supervisors set it up on the desktop.",
            ),
            Msg::SwitchPerson => ("切换人员", "Switch person"),
            Msg::Cancel => ("取消", "Cancel"),
            Msg::Backspace => ("删除", "Delete"),
            Msg::RoleStaff => ("员工", "Staff"),
            Msg::RoleLeader => ("领班", "Team leader"),
            Msg::RoleSupervisor => ("主管", "Supervisor"),
            Msg::SignOffDaily => ("领班签字确认", "Sign off today's round"),
            Msg::ConfirmSignOff => ("确认签字", "Confirm signature"),
            Msg::AddedAfterSigning => ("签字后新增的记录", "Added after signing"),
            Msg::AsSigned => ("签字时的记录", "As signed"),
            Msg::NotSignedYet => ("尚未签字确认", "Not signed off yet"),
            Msg::SupervisorLogin => ("主管登录", "Supervisor sign-in"),
            Msg::UserName => ("用户名", "User name"),
            Msg::Password => ("密码", "Password"),
            Msg::WrongLogin => ("用户名或密码错误", "Wrong user name or password"),
            Msg::TooManyLogins => (
                "尝试次数过多,请一分钟后再试",
                "Too many attempts; try again in a minute",
            ),
            Msg::LoginNeedsNetwork => ("登录需要联网,请检查网络", "Signing in needs the network"),
            Msg::LogOut => ("退出登录", "Log out"),
            Msg::Print => ("打印", "Print"),
            Msg::DueNow => ("现在应做", "Due now"),
            Msg::NothingDue => ("现在没有应做的巡查", "Nothing due right now"),
            Msg::Missed => ("已错过(24小时内)", "Missed (last 24 h)"),
            Msg::Next => ("接下来", "Next"),
            Msg::OnDemand => ("按需巡查", "When needed"),
            Msg::StartRound => ("开始", "Start"),
            Msg::FinishRound => ("完成巡查", "Finish round"),
            Msg::StateUpcoming => ("未到时间", "Upcoming"),
            Msg::StateDue => ("应做", "Due"),
            Msg::StateLate => ("已迟", "Late"),
            Msg::StateMissed => ("已错过", "Missed"),
            Msg::StateInProgress => ("进行中", "In progress"),
            Msg::StateDone => ("已完成", "Done"),
            Msg::StateDoneLate => ("已完成(迟)", "Done late"),
            Msg::StartedBy => ("开始", "Started"),
            Msg::FinishedBy => ("完成", "Finished"),
            Msg::UnknownTemplate => ("本项目没有这个巡查表", "This site has no such checklist"),
            Msg::FollowUps => (
                "跟进事项(报修/整改)",
                "Follow-ups (repairs and rectifications)",
            ),
            Msg::NoFollowUps => ("没有跟进事项", "No follow-ups"),
            Msg::OpenFollowUps => ("未关闭的跟进", "Open follow-ups"),
            Msg::AddNote => ("添加备注", "Add a note"),
            Msg::WhatWasDone => ("处理结果", "What was done"),
            Msg::CloseFollowUp => ("处理完毕,关闭", "Done — close"),
            Msg::RectificationNotice => ("整改通知单", "Rectification notice"),
            Msg::IssueNotice => ("发出整改通知", "Issue notice"),
            Msg::TabFollowUps => ("跟进事项", "Follow-ups"),
            Msg::DeptEngineering => ("工程部", "Engineering"),
            Msg::DeptCleaning => ("保洁部", "Cleaning"),
            Msg::DeptSecurity => ("安管部", "Security"),
            Msg::DeptCustomerService => ("客服部", "Customer service"),
            Msg::TabTemplates => ("巡查表", "Checklists"),
            Msg::TemplatesHelp => (
                "保存后同步到本项目的所有平板;已做过的巡查保留当时的表。",
                "Saved checklists reach every tablet of the site; rounds already walked keep the checklist they were walked with.",
            ),
            Msg::AddTemplate => ("新建巡查表", "New checklist"),
            Msg::Schedule => ("巡查时间", "Schedule"),
            Msg::Items => ("检查项", "Items"),
            Msg::TitleZh => ("中文", "Chinese"),
            Msg::TitleEn => ("英文", "English"),
            Msg::Times => ("时间(如 08:30, 18:00)", "Times (e.g. 08:30, 18:00)"),
            Msg::EveryMinutes => ("每隔(分钟)", "Every (minutes)"),
            Msg::From => ("从", "From"),
            Msg::To => ("到", "To"),
            Msg::TimesPerDay => ("每天次数", "Times a day"),
            Msg::DayOfMonth => ("每月几号", "Day of the month"),
            Msg::Area => ("区域", "Area"),
            Msg::NoteOnAbnormal => ("异常须说明", "× needs a note"),
            Msg::Department => ("负责部门", "Department"),
            Msg::AddItem => ("添加检查项", "Add an item"),
            Msg::KindNone => ("按需", "When needed"),
            Msg::KindFixed => ("固定时间", "At fixed times"),
            Msg::KindEvery => ("时段内每隔N分钟", "Every N minutes in a window"),
            Msg::KindTimesPerDay => ("每天N次", "N times a day"),
            Msg::KindMonthly => ("每月一次", "Monthly"),
            Msg::EarlierMissed => ("更早错过的", "Earlier missed"),
            Msg::ChecklistName => ("名称", "Name"),
            Msg::InUse => ("启用", "In use"),
            Msg::ShowFlats => ("样板房清点", "Show-flat counts"),
            Msg::AllAsExpected => ("本房间全部如常", "All as expected"),
            Msg::Visitors => ("今日参观人数", "Visitors today"),
            Msg::AddVisitor => ("+1 位", "+1 visitor"),
            Msg::TabFlats => ("样板房", "Show flats"),
            Msg::FlatsHelp => (
                "每个样板房当日的清点进度、差异、参观人数和客户意见;主管在此维护物品清单。",
                "Each show flat's day: count progress, discrepancies, visitors and guest feedback. Supervisors keep the item lists here.",
            ),
            Msg::AddFlat => ("新增样板房", "Add a show flat"),
            Msg::EditItemList => ("编辑物品清单", "Edit item list"),
            Msg::Room => ("房间", "Room"),
            Msg::RoomEn => ("房间(英文)", "Room (English)"),
            Msg::ItemZh => ("物品", "Item"),
            Msg::ItemEn => ("物品(英文)", "Item (English)"),
            Msg::ExpectedQty => ("应有数量", "Expected"),
            Msg::WhereItStands => ("摆放位置", "Where it stands"),
            Msg::FlatNameZh => ("样板房名称", "Flat name"),
            Msg::FlatNameEn => ("英文名称", "English name"),
            Msg::NotCountedToday => (
                "当日尚未清点(或尚未同步到此处)",
                "Not counted on this day (or not synced here yet)",
            ),
            Msg::OpenCount => ("打开清点表", "Open the count"),
            Msg::GuestFeedback => ("客户意见和建议", "Guest opinions and suggestions"),
            Msg::FeedbackText => ("客户原话", "What the guest said"),
            Msg::GuestWho => ("客户(可选:姓氏、电话)", "Guest (optional: name, phone)"),
            Msg::RecordFeedback => ("记录", "Record"),
            Msg::NoFeedback => ("暂无", "None yet"),
            Msg::CorrectVisitor => ("更正 −1", "Correct −1"),
            Msg::CorrectionReason => ("更正原因(必填)", "Reason (required)"),
            Msg::Confirm => ("确认", "Confirm"),
            Msg::SignFlatDay => ("领班签署当日记录", "Sign the day's record"),
            Msg::ItemListSaved => (
                "物品清单已保存,下次同步后到达各平板",
                "Item list saved; it reaches the tablets with the next sync",
            ),
            Msg::ConcurrentItemLists => (
                "两位主管同时修改了此清单,请核对后再保存一次",
                "Two supervisors changed this list at the same time; check it and save again",
            ),
            Msg::Discrepancies => ("差异", "Discrepancies"),
            Msg::NoDiscrepancies => ("没有差异", "No discrepancies"),
            Msg::Expected => ("应有", "Expected"),
            Msg::Recount => ("记录不一致,请复点", "Counts disagree — recount"),
            Msg::NoFlats => ("本项目没有样板房", "This site has no show flats"),
            Msg::SignDay => ("签字确认今日巡查", "Sign off today's rounds"),
            Msg::Retired => ("已停用", "Retired"),
            Msg::AllPosts => ("全部岗位", "All posts"),
            Msg::NothingScheduled => ("当天没有排定的巡查", "No rounds scheduled that day"),
            Msg::NoteRequired => (
                "请先写明异常情况,再点 ×",
                "Say what is wrong first, then tap ×",
            ),
            Msg::SessionExpired => (
                "登录已过期。本机未同步的修改不会丢失,重新登录后自动同步。",
                "Your session has ended. Unsynced changes stay in this browser and sync after you sign in again.",
            ),
            Msg::TabRound => ("今日巡查", "Today's round"),
            Msg::TabRoster => ("人员名册", "Staff roster"),
            Msg::TabSecurity => ("安全记录", "Security log"),
            Msg::TabSettings => ("站点设置", "Site settings"),
            Msg::SitePicker => ("项目", "Site"),
            Msg::AddPerson => ("添加人员", "Add a person"),
            Msg::EditPerson => ("修改", "Edit"),
            Msg::Name => ("姓名", "Name"),
            Msg::RoleLabel => ("角色", "Role"),
            Msg::Posts => ("岗位", "Posts"),
            Msg::PostsHelp => (
                "多个岗位用逗号分隔,例如 lobby, show-flat",
                "Separate posts with commas, e.g. lobby, show-flat",
            ),
            Msg::PinAgain => ("再次输入PIN码", "PIN again"),
            Msg::Active => ("在职", "Active"),
            Msg::Inactive => ("已停用", "Inactive"),
            Msg::PinSet => ("已设PIN", "PIN set"),
            Msg::PinNotSet => ("未设PIN", "No PIN"),
            Msg::Save => ("保存", "Save"),
            Msg::SavedNote => ("已保存", "Saved"),
            Msg::HashingPin => ("正在加密PIN码…", "Hashing the PIN…"),
            Msg::FormNoName => ("请填写姓名", "Enter a name"),
            Msg::FormNoRole => ("请选择角色", "Choose a role"),
            Msg::FormPinMismatch => ("两次输入的PIN码不一致", "The two PINs differ"),
            Msg::FormNeedsPin => (
                "新人员需要设置PIN码才能登录",
                "A new person needs a PIN to sign in",
            ),
            Msg::RosterConflict => (
                "两位主管同时修改了此人,请核对后重新保存。各版本:",
                "Two supervisors changed this person at the same time. Check and save again. The versions:",
            ),
            Msg::RosterEmpty => ("名册中还没有人员", "Nobody on the roster yet"),
            Msg::RosterHelp => (
                "保存后名册同步到本项目的所有平板;PIN码只以加密形式保存。",
                "Saved changes reach every tablet of the site; PINs are stored only hashed.",
            ),
            Msg::IdleSignOut => (
                "平板无操作自动退出登录(分钟)",
                "Sign a person out of an idle tablet after (minutes)",
            ),
            Msg::SettingConflict => (
                "不同主管同时设置了不同的值:",
                "Different values were set at the same time:",
            ),
            Msg::SettingsHelp => (
                "设置同步到本项目的所有平板。",
                "Settings reach every tablet of the site.",
            ),
            Msg::SecurityNone => ("当天没有记录", "Nothing recorded that day"),
            Msg::Time => ("时间", "Time"),
            Msg::Person => ("人员", "Person"),
            Msg::Event => ("事件", "Event"),
            Msg::Date => ("日期", "Date"),
            Msg::EvSignIn => ("登录", "Signed in"),
            Msg::EvWrongPin => ("PIN码错误", "Wrong PIN"),
            Msg::EvRefused => ("登录被拒", "Sign-in refused"),
            Msg::EvSignOut => ("退出登录", "Signed out"),
            Msg::EvIdleSignOut => ("无操作自动退出", "Signed out when idle"),
            // Key register and work permits (issue 6).
            Msg::KeysTitle => ("样板房钥匙持用人登记", "Show-flat key register"),
            Msg::KeysLink => ("钥匙登记", "Keys"),
            Msg::KeysHelp => (
                "钥匙由持有人自行保管,不得转借、不得私自配制;交接须交出人登记、接收人确认。闭馆后钥匙交安管岗并签名确认;钥匙遗失立即报失,由领导安排换锁。",
                "Holders keep their keys, never lend or copy them; a hand-over is written by the giver and confirmed by the receiver. At closing the keys go to the security post, signed for. A lost key is reported at once and the lock changed.",
            ),
            Msg::NoKeys => ("还没有登记钥匙", "No keys on the register yet"),
            Msg::NeedsAttention => ("需要处理", "Needs attention"),
            Msg::RegisterKey => ("登记钥匙", "Register a key"),
            Msg::KeyLabel => (
                "钥匙名称(如:A户型 入户门 #1)",
                "Key label (e.g. Flat A front door #1)",
            ),
            Msg::KeyFlat => ("样板房", "Show flat"),
            Msg::NoFlat => ("(不属于样板房)", "(no show flat)"),
            Msg::KeyLock => ("锁", "Lock"),
            Msg::NewLock => ("新的一把锁", "A new lock"),
            Msg::KeyHolder => ("持有人", "Holder"),
            Msg::HandOverKey => ("交出钥匙", "Hand over"),
            Msg::HandOverInPerson => (
                "当面交接(接收人输入 PIN 确认)",
                "Hand over in person (receiver confirms with PIN)",
            ),
            Msg::HandTo => ("交给", "To"),
            Msg::HandFrom => ("交出人", "From"),
            Msg::ConfirmReceipt => ("确认收到", "Confirm receipt"),
            Msg::ReportLost => ("报失", "Report lost"),
            Msg::LostWhat => ("经过(可选)", "What happened (optional)"),
            Msg::KeyFound => ("确认找回", "Record found"),
            Msg::FoundWith => ("现由谁保管", "Now held by"),
            Msg::ChangeLock => ("登记换锁", "Record lock change"),
            Msg::WhatWasDoneOptional => ("处理情况(可选)", "What was done (optional)"),
            Msg::WithdrawKey => ("收回(损坏)", "Withdraw (damaged)"),
            Msg::WithdrawReason => ("损坏情况(必填)", "What is damaged (required)"),
            Msg::PermitsTitle => ("施工工作联络单", "Contractor work permits"),
            Msg::PermitsLink => ("施工联络单", "Work permits"),
            Msg::PermitsHelp => (
                "施工须提前2天申报,经领导批准后由安管部登记出入;完工后逐一排查现场、检查离场人员携带的工具材料,确认无误后关闭。",
                "Work is applied for 2 days ahead and approved by a leader; security logs every entry and exit. After the work the site is swept and the tools and materials leaving are checked; then the permit is closed.",
            ),
            Msg::ApplyPermit => ("登记施工申请", "New application"),
            Msg::Company => ("施工单位", "Company"),
            Msg::TeamLeader => ("施工负责人", "Team leader"),
            Msg::Phone => ("电话", "Phone"),
            Msg::Scope => ("施工项目、范围", "Scope of work"),
            Msg::WorkDate => ("施工日期", "Work date"),
            Msg::Headcount => ("施工人数", "Headcount"),
            Msg::SubmitApplication => ("提交申请", "Submit"),
            Msg::TodayWork => ("今日施工", "Today's work"),
            Msg::EarlierOpen => ("之前未关闭的", "Earlier, not closed"),
            Msg::UpcomingWork => ("即将施工", "Upcoming"),
            Msg::FinishedWork => ("已结束", "Finished"),
            Msg::NoWork => ("没有", "None"),
            Msg::Approve => ("批准", "Approve"),
            Msg::Reject => ("不批准", "Reject"),
            Msg::Reason => ("原因(必填)", "Reason (required)"),
            Msg::LogEntry => ("登记进场", "Log entry"),
            Msg::LogExit => ("登记离场", "Log exit"),
            Msg::People => ("人数", "People"),
            Msg::ToolsOk => ("工具材料 ✓ 无误", "Tools ✓ as declared"),
            Msg::ToolsNotOk => ("工具材料 × 有问题", "Tools × not as declared"),
            Msg::ToolsNote => ("× 说明(必填)", "What is wrong (required for ×)"),
            Msg::HeadCount => ("清点在场人数", "Count people on site"),
            Msg::StartSweep => ("开始清场检查", "Start the sweep"),
            Msg::OpenSweep => ("打开清场检查", "Open the sweep"),
            Msg::ClosePermit => ("关闭联络单", "Close the permit"),
            Msg::CancelPermit => ("取消施工", "Cancel the work"),
            Msg::AppliedLate => ("迟报", "Late"),
            Msg::Month => ("月份", "Month"),
            Msg::TextRequired => ("请先写明情况", "Write it down first"),
            Msg::ToolsNoteRequired => (
                "工具材料 × 须写明情况",
                "Say what is wrong with the tools first",
            ),
            Msg::SweepNotHere => (
                "清场检查:记录尚未同步到本机",
                "Sweep: its round has not reached this device yet",
            ),
            // Shift hand-over (交接班) and co-signing.
            Msg::HandoverTitle => ("交接班", "Shift hand-over"),
            Msg::HoWrite => ("写交班记录", "Write a hand-over"),
            Msg::HoShift => ("班次", "Shift"),
            Msg::HoSummary => (
                "本班工作情况(发生了什么、需交代什么)",
                "What happened this shift, what to pass on",
            ),
            Msg::HoNewPending => ("新增遗留事项", "New pending item"),
            Msg::HoAdd => ("添加", "Add"),
            Msg::HoSubmit => ("提交交班记录", "Hand over"),
            Msg::HoNoHandovers => ("当天还没有交班记录", "No hand-overs written this day"),
            Msg::HoPending => ("遗留事项", "Pending items"),
            Msg::HoNoPending => ("没有未完成的遗留事项", "No pending items open"),
            Msg::HoCarried => ("前班遗留", "Carried forward"),
            Msg::HoDoneToday => ("当天已完成", "Done this day"),
            Msg::HoMarkDone => ("完成并签字", "Mark done"),
            Msg::HoListed => ("交班时未完成的遗留事项", "Pending at hand-over"),
            Msg::HoEquipment => ("设备交接检查", "Equipment check"),
            Msg::HoReasonPlaceholder => (
                "疑问或拒绝接班的原因(拒绝时必填)",
                "Questions, or why you refuse (required to refuse)",
            ),
            Msg::HoRefuse => ("拒绝接班", "Refuse to take over"),
            Msg::HoAccept => ("确认接班", "Take over"),
            Msg::HoSignOutgoing => ("交班人签字", "Sign as outgoing"),
            Msg::HoSignIncoming => ("接班人签字", "Sign as incoming"),
            Msg::HoConfirmSign => ("确认签字", "Confirm signature"),
            Msg::HoOutgoing => ("交班人", "Outgoing"),
            Msg::HoIncoming => ("接班人", "Incoming"),
            Msg::HoNotePlaceholder => ("回复疑问或补充说明", "Answer a question or add a note"),
            Msg::HoAddNote => ("添加说明", "Add note"),
            Msg::HoNoteLabel => ("说明", "Note"),
            Msg::HoTakenOver => ("已接班", "Taken over"),
            Msg::HoStateWritten => ("待接班", "Waiting for take-over"),
            Msg::HoStateRefused => ("拒绝接班", "Refused"),
            Msg::HoStateAccepted => ("已接班 · 待签字", "Taken over · to sign"),
            Msg::HoStateSigned => ("双方已签字", "Signed by both"),
            Msg::HoAlerts => ("交接班提醒", "Hand-over alerts"),
            Msg::HoAnswered => ("已答复", "answered"),
            Msg::HoUnknownBook => ("没有这个交接本", "No such hand-over book"),
            Msg::HoNotHere => ("尚未同步到本机", "Not on this device yet"),
            Msg::HoSignDay => ("领班审阅签字", "Sign the day's review"),
            Msg::HoOpenBook => ("打开交接本", "Open the book"),
            Msg::HoEquipmentList => ("设备检查清单", "Equipment check list"),
            Msg::HoEquipmentSaved => (
                "清单已保存,各平板随即使用;已做的检查不变",
                "List saved; tablets use it at once, checks already made stay as they were",
            ),
            Msg::HoEquipmentListsHelp => (
                "接班人与交班人逐项核对(✓/×)的设备物品,按本项目实际配置修改。已做的检查保留原来的名称。",
                "What the incoming person checks with the outgoing one (✓ / ×), as this site has it. Checks already made keep their labels.",
            ),
            Msg::HoDeskHelp => (
                "各交接本当天的交接记录:拒绝接班与未完成的遗留事项排在前面。",
                "Each book's day: refusals and open pending items first.",
            ),
            Msg::TabHandovers => ("交接班", "Hand-overs"),
            Msg::CoSignHelp => (
                "请本人点选自己的姓名并输入PIN码;当前登录的人员不会退出。",
                "Tap your own name and enter your PIN; whoever is signed in stays signed in.",
            ),
            Msg::CoSignNobody => (
                "名册中没有其他可确认的人员",
                "Nobody else on the roster can confirm",
            ),
            Msg::EvCoSigned => ("PIN确认(共同签字)", "Confirmed with PIN (co-signed)"),
            // ── complaints and owner visits (issue 7) ──
            Msg::ComplaintRespondMinutes => (
                "业主投诉/报修:响应时限(分钟)",
                "Owner requests and complaints: respond within (minutes)",
            ),
            Msg::ComplaintForwardMinutes => (
                "投诉登记表转交处理部门时限(分钟)",
                "Forward the complaint form to the department within (minutes)",
            ),
            Msg::ComplaintPreliminaryHours => (
                "给出初步解决方案时限(小时)",
                "Preliminary solution within (hours)",
            ),
            Msg::ComplaintSameDayUntilHour => (
                "一般性问题当日处理完毕的截止钟点(24 = 当天结束)",
                "General issues are dealt with the same day by this hour (24 = end of the day)",
            ),
            Msg::ComplaintHardDays => (
                "疑难问题处理时限(天)",
                "Hard issues dealt with within (days)",
            ),
            Msg::HandoverTakeOverMinutes => (
                "交班或交钥匙后多久仍未接收即提醒班长(分钟)",
                "Tell the leader when a shift or key hand-over is not taken over within (minutes)",
            ),
            Msg::PinDigits => (
                "新设PIN码的位数(4–8;已设的PIN码照常可用)",
                "Digits of a new PIN (4–8; PINs set earlier keep working)",
            ),
            Msg::UpdateReady => (
                "值班簿有新版本。所有记录都已保存在本机，手头的填写完成后请重新载入。",
                "A new version of Shiftbook is ready. Every record is already saved on this device; reload once you have finished what you are typing.",
            ),
            Msg::ReloadApp => ("重新载入", "Reload"),
            Msg::CpTitle => ("业主投诉/报修", "Owner complaints & requests"),
            Msg::CpTab => ("业主投诉/报修", "Complaints"),
            Msg::CpHelp => (
                "《业主投诉登记表》:超时和需上报经理的排在最前。本项目时限:",
                "The complaint register: overdue ones and escalations come first. This site's deadlines:",
            ),
            Msg::CpTake => ("登记投诉/报修", "Take a complaint"),
            Msg::CpSaved => ("已登记,已保存在本机", "Registered and saved on this device"),
            Msg::CpAttention => ("需立即处理", "Needs attention now"),
            Msg::CpOpen => ("处理中", "Open"),
            Msg::CpClosed => ("已关闭", "Closed"),
            Msg::CpNoneOpen => ("没有待处理的投诉或报修", "No open complaints or requests"),
            Msg::CpEscalateNow => ("请立即上报经理", "Escalate to the manager now"),
            Msg::CpEscalateNowLong => (
                "重大投诉:请立即上报项目经理,上报后再处理关闭。",
                "Serious complaint: escalate to the property manager now; it cannot be closed before.",
            ),
            Msg::CpSerious => ("重大投诉", "Serious"),
            Msg::CpSeriousYes => ("是:需立即上报经理", "Yes: escalate to the manager at once"),
            Msg::CpSeriousNo => ("否", "No"),
            Msg::CpReceived => ("受理时间", "Received"),
            Msg::CpChannel => ("渠道", "Channel"),
            Msg::CpKind => ("类别", "Kind"),
            Msg::CpOwner => ("业主姓名", "Owner"),
            Msg::CpUnit => ("房号", "Unit"),
            Msg::CpContact => ("联系方式", "Contact"),
            Msg::CpContent => ("内容", "What it is about"),
            Msg::CpDifficulty => ("难度", "Difficulty"),
            Msg::CpPost => ("受理岗位", "Post"),
            Msg::CpDepartment => ("处理部门", "Department"),
            Msg::CpRegisteredBy => ("登记人", "Registered by"),
            Msg::CpSaveComplaint => ("保存登记", "Save"),
            Msg::CpCancel => ("取消", "Cancel"),
            Msg::CpBadReceived => (
                "受理时间格式不对",
                "The received time is not a date and time",
            ),
            Msg::CpReceivedInFuture => (
                "受理时间不能晚于现在",
                "The received time cannot be later than now",
            ),
            Msg::CpBadDate => ("日期格式不对", "Not a date"),
            Msg::CpBadRange => ("结束日期早于开始日期", "The range ends before it starts"),
            Msg::CpChannelPhone => ("来电", "Phone"),
            Msg::CpChannelVisit => ("来访", "In person"),
            Msg::CpChannelLetter => ("来信", "Letter"),
            Msg::CpChannelForwarded => ("上级转来", "Forwarded"),
            Msg::CpChannelOther => ("其他", "Other"),
            Msg::CpKindRequest => ("报修/求助", "Request"),
            Msg::CpKindComplaint => ("投诉", "Complaint"),
            Msg::CpGeneral => ("一般", "General"),
            Msg::CpHard => ("疑难", "Hard"),
            Msg::CpNotJudged => ("未定", "Not judged"),
            Msg::CpStatusReceived => ("已登记", "Received"),
            Msg::CpStatusResponded => ("已回应", "Responded"),
            Msg::CpStatusForwarded => ("已转交", "Forwarded"),
            Msg::CpStatusReceiptConfirmed => ("部门已签收", "Receipt confirmed"),
            Msg::CpStatusPreliminary => ("已给初步方案", "Preliminary solution"),
            Msg::CpStatusCorrected => ("已纠正", "Corrected"),
            Msg::CpStatusReplied => ("已回复业主", "Replied"),
            Msg::CpStatusReturnVisited => ("已回访", "Return-visited"),
            Msg::CpStatusClosed => ("已关闭", "Closed"),
            Msg::CpDeadlineRespond => ("响应", "Respond"),
            Msg::CpDeadlineForward => ("转交处理部门", "Forward to the department"),
            Msg::CpDeadlinePreliminary => ("初步解决方案", "Preliminary solution"),
            Msg::CpDeadlineResolve => ("处理完毕", "Dealt with"),
            Msg::CpDeadlines => ("处理时限", "Deadlines"),
            Msg::CpDue => ("截止", "due"),
            Msg::CpSatisfied => ("满意", "Satisfied"),
            Msg::CpBasicallySatisfied => ("基本满意", "Basically satisfied"),
            Msg::CpUnsatisfied => ("不满意", "Unsatisfied"),
            Msg::CpEvReceived => ("登记", "Registered"),
            Msg::CpEvResponded => ("回应业主", "Responded"),
            Msg::CpEvForwarded => ("转交部门", "Forwarded"),
            Msg::CpEvReceiptConfirmed => ("部门签收", "Receipt confirmed"),
            Msg::CpEvPreliminary => ("初步方案", "Preliminary solution"),
            Msg::CpEvCorrected => ("原因与纠正措施", "Cause and corrective action"),
            Msg::CpEvReplied => ("回复业主", "Replied to the owner"),
            Msg::CpEvReturnVisit => ("回访", "Return visit"),
            Msg::CpEvClosed => ("关闭", "Closed"),
            Msg::CpEvEscalated => ("上报", "Escalated"),
            Msg::CpEvDifficulty => ("难度", "Difficulty"),
            Msg::CpEvSerious => ("标为重大投诉", "Marked serious"),
            Msg::CpEvNote => ("备注", "Note"),
            Msg::CpBackToList => ("返回投诉列表", "Back to the complaints"),
            Msg::CpNotHere => (
                "这条投诉还未同步到本机,联网后会自动显示。",
                "This complaint has not reached this device yet; it shows once synced.",
            ),
            Msg::CpNextSteps => ("下一步", "Next steps"),
            Msg::CpStepSaved => ("已保存", "Saved"),
            Msg::CpAgain => ("业主再次反映", "Owner came back about this"),
            Msg::CpAgainHelp => (
                "已关闭的投诉不会重新打开:业主就此事再次反映时,新登记一条并关联本条。",
                "A closed complaint is not reopened: when the owner comes back about it, take a new one linked to this.",
            ),
            Msg::CpAgainSaved => (
                "已新登记并关联本条",
                "Taken as a new complaint linked to this one",
            ),
            Msg::CpFollows => ("接续前次投诉", "Follows up"),
            Msg::CpFollowedBy => ("后续再次反映", "Followed up by"),
            Msg::CpNotOnDevice => ("(不在本机)", "(not on this device)"),
            Msg::CpFacts => ("登记内容", "Registered"),
            Msg::CpHistory => ("处理记录", "History"),
            Msg::CpConfirm => ("确认", "Confirm"),
            Msg::CpOptional => ("(可选)", "(optional)"),
            Msg::CpSetTo => ("改为", "Set to"),
            Msg::CpManager => ("项目经理", "Property manager"),
            Msg::CpActRespond => ("回应业主", "Respond"),
            Msg::CpActForward => ("转交处理部门", "Forward to a department"),
            Msg::CpActConfirmReceipt => ("部门签收", "Department confirms receipt"),
            Msg::CpActPreliminary => ("初步解决方案", "Preliminary solution"),
            Msg::CpActCorrect => ("原因分析与纠正措施", "Root cause and corrective action"),
            Msg::CpActReply => ("回复业主", "Reply to the owner"),
            Msg::CpActReturnVisit => ("回访业主", "Return visit"),
            Msg::CpActEscalate => ("上报经理", "Escalate to the manager"),
            Msg::CpActDifficulty => ("调整难度", "Difficulty"),
            Msg::CpActSerious => ("标为重大投诉", "Mark serious"),
            Msg::CpActNote => ("备注", "Note"),
            Msg::CpActClose => ("关闭", "Close"),
            Msg::CpFieldSaid => ("回应内容", "What was said"),
            Msg::CpFieldNote => ("备注", "Note"),
            Msg::CpFieldReceiver => (
                "签收人(部门处理人)",
                "Who signed for it (the department's handler)",
            ),
            Msg::CpFieldSolution => ("初步解决方案", "Preliminary solution"),
            Msg::CpFieldCause => ("原因", "Root cause"),
            Msg::CpFieldAction => ("纠正措施", "Corrective action"),
            Msg::CpFieldTold => ("回复内容", "What the owner was told"),
            Msg::CpFieldOwnerWords => (
                "业主意见(不满意时必填)",
                "What the owner said (required when unsatisfied)",
            ),
            Msg::CpFieldEscalatedTo => ("上报给", "Escalated to"),
            Msg::CpFieldReason => ("原因", "Reason"),
            Msg::CpFieldWhySerious => ("为何属重大投诉", "Why it is serious"),
            Msg::CpFieldCloseReason => (
                "关闭原因(未回复业主或业主不满意)",
                "Why close (no reply, or the owner was unsatisfied)",
            ),
            Msg::CpFieldRemark => ("结案备注", "Closing remark"),
            Msg::CpSearch => ("查找 / 筛选", "Search and filter"),
            Msg::CpFrom => ("日期(从)", "From"),
            Msg::CpTo => ("到", "To"),
            Msg::CpPerson => ("经手人", "Person"),
            Msg::CpStatus => ("状态", "Status"),
            Msg::CpWords => ("关键词", "Words"),
            Msg::CpAny => ("全部", "Any"),
            Msg::CpClearFilter => ("清除筛选", "Clear"),
            Msg::CpFigures => ("本月统计", "The month's figures"),
            Msg::CpFigTotal => ("登记数", "Registered"),
            Msg::CpFigReplyOnTime => (
                "投诉回复及时率(目标 99.9%)",
                "Replied on time (target 99.9%)",
            ),
            Msg::CpFigReturnVisits => ("回访率(目标 ≥90%)", "Return visits (target ≥ 90%)"),
            Msg::CpFigSatisfaction => ("满意率(目标 ≥90%)", "Satisfaction (target ≥ 90%)"),
            Msg::OvTitle => ("业户访问记录", "Owner visits"),
            Msg::OvHelp => (
                "每月走访业户,记录意见和要求;月底交客户服务主管审核签字。",
                "Monthly visits to owners, their opinions and requests; the supervisor signs the month.",
            ),
            Msg::OvAdd => ("登记访问", "Add a visit"),
            Msg::OvSave => ("保存访问", "Save the visit"),
            Msg::OvDate => ("访问日期", "Date"),
            Msg::OvVisitor => ("访问人", "Visited by"),
            Msg::OvOpinions => ("业主意见", "Opinions"),
            Msg::OvRequests => ("要求/建议", "Requests"),
            Msg::OvFollowUp => ("需跟进", "Follow-up"),
            Msg::OvFollowUpNeeded => ("需跟进事项(无则不填)", "Follow-up needed (blank if none)"),
            Msg::OvWhatWasDone => ("跟进结果", "What was done"),
            Msg::OvMarkFollowedUp => ("标记已跟进", "Mark followed up"),
            Msg::OvVisits => ("次访问", "visits"),
            Msg::OvOpenFollowUps => ("项待跟进", "follow-ups to do"),
            Msg::OvNone => ("本月还没有访问记录", "No visits this month yet"),
            Msg::OvSignMonth => ("主管审核签字(本月)", "Sign the month (supervisor)"),
            // Duty log and visitor log (issue 7).
            Msg::DutyLog => ("值班记录", "Duty log"),
            Msg::VisitorLog => ("来访登记", "Visitor log"),
            Msg::DutyNewEntry => ("新增记录", "New entry"),
            Msg::DutyPost => ("岗位", "Post"),
            Msg::DutyKind => ("类型", "Type"),
            Msg::DutyAction => ("处理措施", "Action taken"),
            Msg::DutyResult => ("结果", "Result"),
            Msg::DutyWhatHappened => ("发生了什么(必填)", "What happened (required)"),
            Msg::DutyRecord => ("记录", "Record"),
            Msg::DutyNone => ("没有记录", "No entries"),
            Msg::DutyAsWritten => ("原始记录", "As written"),
            Msg::DutyAmended => ("已更正", "Corrected"),
            Msg::NextMorning => ("次日", "next day"),
            Msg::DutyPickKind => ("请先点选事件类型", "Tap an event type first"),
            Msg::DutyBadTime => ("请填写时间(时:分)", "Enter a time (HH:MM)"),
            Msg::DutyNoPost => ("请选择岗位", "Choose a post"),
            Msg::DutyNoEvent => ("请写明发生了什么", "Say what happened"),
            Msg::NoFullIdNumber => (
                "不得记录完整证件号码,只记后4位",
                "Never record a full ID number — only its last 4 characters",
            ),
            Msg::DutyNoReason => ("请写明更正原因", "Give the reason for the correction"),
            Msg::DutyNothingCorrected => ("没有修改任何内容", "Nothing was changed"),
            Msg::DutyCorrect => ("更正", "Correct"),
            Msg::DutyCorrection => ("更正", "Correction"),
            Msg::DutyOriginal => ("原记录:", "Originally:"),
            Msg::DutyReason => ("原因", "Reason"),
            Msg::DutyReasonRequired => ("更正原因(必填)", "Reason for the correction (required)"),
            Msg::DutyConfirmCorrection => ("确认更正", "Save the correction"),
            Msg::DutyDisagree => ("同时更正不一致:", "Corrected differently at the same time:"),
            Msg::DailyReview => ("领班审核", "The leader's review"),
            Msg::SignDutyDay => ("领班签字确认当日值班记录", "Sign the day's duty log"),
            Msg::EveryPerson => ("全部人员", "Everyone"),
            Msg::EveryKind => ("全部类型", "Every type"),
            Msg::EveryState => ("全部状态", "Every state"),
            Msg::SearchText => ("搜索文字", "Search text"),
            Msg::SearchDays => ("跨日查询", "Search across days"),
            Msg::InsideNow => ("在内访客", "Inside now"),
            Msg::NobodyInside => ("目前没有访客在内", "Nobody inside"),
            Msg::WaitingApproval => ("待主管批准", "Waiting for a supervisor"),
            Msg::VisitsOfDay => ("当日来访", "Visits of the day"),
            Msg::NoVisits => ("没有来访记录", "No visits"),
            Msg::NewVisit => ("来访登记", "Log a visit"),
            Msg::NeedsSupervisor => ("需主管批准", "Needs a supervisor"),
            Msg::IdLastFour => ("证件后4位", "Last 4 of the ID"),
            Msg::WhyLastFour => (
                "只记证件号后4位:完整证件号不得保存,以保护来访者的个人信息。",
                "Only the last 4 characters: full ID numbers are never stored, to protect visitors' personal data.",
            ),
            Msg::VisitorName => ("来访人姓名", "Visitor's name"),
            Msg::VisitHost => ("被访人", "Host"),
            Msg::VisitUnit => ("房号/单元", "Unit"),
            Msg::VisitPurpose => ("事由", "Purpose"),
            Msg::VisitPeople => ("人数", "People"),
            Msg::TimeIn => ("进入时间", "Time in"),
            Msg::HowApproved => ("放行方式", "Let in by"),
            Msg::LogVisit => ("登记", "Log visit"),
            Msg::VisitorLeft => ("离开", "Left"),
            Msg::ApproveVisit => ("批准进入", "Approve"),
            Msg::RefuseVisit => ("拒绝", "Refuse"),
            Msg::TurnAway => ("拒绝进入", "Turn away"),
            Msg::RefuseReason => ("原因(必填)", "Reason (required)"),
            Msg::VisitApproved => ("已批准", "Approved"),
            Msg::VisitRefused => ("已拒绝", "Refused"),
            Msg::VisitLeft => ("离开", "Left"),
            Msg::VisitDisputedHelp => (
                "批准与拒绝同时作出,按在内计,请主管重新决定或登记离开",
                "Approved and refused at the same time: counted inside until a supervisor decides again or the exit is logged",
            ),
            Msg::SignVisitorDay => ("领班签字确认当日来访记录", "Sign the day's visitor log"),
            Msg::EveryCategory => ("全部类别", "Every category"),
            Msg::VisitCategory => ("类别", "Category"),
            Msg::VisitStatusLabel => ("状态", "Status"),
            Msg::VisitPickCategory => ("请先点选来访类别", "Tap the visitor's category first"),
            Msg::VisitNoName => ("请填写来访人姓名", "Enter the visitor's name"),
            Msg::VisitPickIdType => ("请选择查验的证件", "Choose the ID seen"),
            Msg::VisitIdLastOnly => (
                "证件只记后4位(字母或数字)",
                "Only the ID's last 4 letters or digits",
            ),
            Msg::VisitIdMissing => ("请填写证件后4位", "Enter the last 4 of the ID seen"),
            Msg::VisitIdWithoutType => (
                "选择了无证件,请清空证件号",
                "No ID chosen: clear the ID characters",
            ),
            Msg::VisitBadPeople => ("人数须为1–200", "People must be 1 to 200"),
            Msg::VisitPickApproval => ("请选择放行方式", "Choose how they are let in"),
            Msg::VisitNoReason => ("请写明拒绝原因", "Give the reason"),
            Msg::DutyBlank => ("(空)", "(blank)"),
            Msg::DutyCorrectedAfterSigning => ("签字后更正", "Corrected after the signature"),
            // Navigation: the tablet's left rail and the desktop's sidebar.
            Msg::NavAgenda => ("任务", "Agenda"),
            Msg::NavFollowUps => ("跟进", "Follow-ups"),
            Msg::NavHandover => ("交接班", "Hand-over"),
            Msg::NavDutyLog => ("值班记录", "Duty log"),
            Msg::NavVisitors => ("来访", "Visitors"),
            Msg::NavComplaints => ("投诉报修", "Complaints"),
            Msg::NavOwnerVisits => ("业户访问", "Owner visits"),
            Msg::NavShowFlat => ("样板房", "Show flat"),
            Msg::NavKeys => ("钥匙", "Keys"),
            Msg::NavPermits => ("施工", "Permits"),
            Msg::NavHistory => ("历史", "History"),
            Msg::NavPatrol => ("巡查", "Patrol"),
            Msg::NavShowFlats => ("样板房", "Show flats"),
            Msg::NavFrontDesk => ("前台", "Front desk"),
            Msg::NavAdmin => ("管理", "Admin"),
            Msg::NavKeyAlerts => ("钥匙待处理", "Key alerts"),
            Msg::NavPermitAlerts => ("施工待处理", "Permit alerts"),
            Msg::NavUrgentComplaints => ("投诉超时或需上报", "Complaints overdue or to escalate"),
            Msg::NavVisitorsWaiting => ("来访待批准", "Visitors waiting for approval"),
            Msg::NavName => ("导航", "Navigation"),
            Msg::NavBooks => ("交接本", "Books"),
        };
        match lang {
            Lang::Zh => zh,
            Lang::En => en,
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
    let (zh, en) = match id {
        "lobby" => ("大堂岗", "Lobby"),
        "show-flat" => ("样板房岗", "Show flat"),
        "security" => ("安管岗", "Security"),
        "customer-service" => ("客服", "Customer service"),
        "supervisor" => ("主管", "Supervisor"),
        other => return other.to_owned(),
    };
    match lang {
        Lang::Zh => zh.to_owned(),
        Lang::En => en.to_owned(),
    }
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
