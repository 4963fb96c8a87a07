//! What the key register screen (《样板房钥匙持用人登记表》) shows: every
//! key with its state in words — in use by whom, handed to someone awaiting
//! their confirmation, lost and escalated, disputed (each claim with who
//! wrote it), withdrawn —, the alerts to put at the top, each key's history
//! (who, when, device), and which actions the person signed in may take.
//! The actions mirror the rules of [`shiftbook_model::key_register`], so a
//! button is shown only where the model would accept the change. Plain
//! data, unit-tested without a browser; `page.rs` renders it.

use crate::core::session::Viewer;
use crate::ui::history_line::HistoryLine;
use automerge::Automerge;
use shiftbook_model::key_register::{
    self, Alert, Claim, EventKind, Holder, HolderKind, Key, KeyRegister, KeyState,
};
use shiftbook_model::roster::StaffMember;
use shiftbook_model::show_flat::FlatItems;
use shiftbook_model::{Lang, ModelError};
use std::collections::BTreeSet;

/// The post keys go to at closing (安管部005岗, seed 001 §6.2.11.4): always
/// offered as a holder, whether or not anyone on the roster works it.
pub const SECURITY_POST: &str = "security";

/// Where a key is, as a CSS class and test hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum KeyStateKind {
    /// Reported lost, escalated.
    Lost,
    /// Concurrent claims of different holders.
    Disputed,
    /// Handed over, awaiting the receiver's confirmation.
    Awaiting,
    /// Held by one holder.
    InUse,
    /// Withdrawn (damaged or its lock changed).
    Withdrawn,
}

impl KeyStateKind {
    /// The class and `data-state` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Lost => "lost",
            Self::Disputed => "disputed",
            Self::Awaiting => "awaiting",
            Self::InUse => "in-use",
            Self::Withdrawn => "withdrawn",
        }
    }

    fn words(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Self::Lost => ("已遗失 · 已上报", "Lost — escalated"),
            Self::Disputed => ("持有人不一致", "Holders disagree"),
            Self::Awaiting => ("待接收人确认", "Awaiting confirmation"),
            Self::InUse => ("在用", "In use"),
            Self::Withdrawn => ("已收回", "Withdrawn"),
        };
        pick(lang, zh, en)
    }
}

/// What the viewer may do with one key.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KeyActions {
    /// The current holders the viewer may hand the key over from (empty:
    /// no hand-over).
    pub hand_over_from: Vec<Holder>,
    /// The hand-over the viewer may confirm as its receiver.
    pub confirm: Option<String>,
    /// Report it lost.
    pub report_lost: bool,
    /// Record a lost or disputed key found, with whom (leaders).
    pub found: bool,
    /// Record its lock changed (leaders).
    pub change_lock: bool,
    /// Withdraw it as damaged (leaders).
    pub withdraw: bool,
}

/// One key's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRow {
    /// Key id.
    pub id: String,
    /// Label, e.g. "A户型 入户门 #1".
    pub label: String,
    /// The show flat's name, if the key opens one.
    pub flat: Option<String>,
    /// Lock id.
    pub lock: String,
    /// Where it is.
    pub state: KeyStateKind,
    /// The state in words.
    pub state_text: String,
    /// The lines that explain it: the holder, the hand-over, each claim of
    /// a dispute with who wrote it, each loss report.
    pub detail: Vec<String>,
    /// What the viewer may do.
    pub actions: KeyActions,
    /// Every event, oldest first.
    pub history: Vec<HistoryLine>,
}

/// Something leaders must deal with, at the top of the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertLine {
    /// The key.
    pub key: String,
    /// `lost`, `disputed` or `unconfirmed`: a CSS class.
    pub kind: &'static str,
    /// In words.
    pub text: String,
}

/// A lock new keys may be registered for: its id and the labels of its
/// keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockChoice {
    /// Lock id.
    pub id: String,
    /// Its keys' labels, joined.
    pub label: String,
}

/// The key register screen.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KeysView {
    /// Alerts: lost keys, disputed keys, long-unconfirmed hand-overs.
    pub alerts: Vec<AlertLine>,
    /// Every key: lost, disputed and awaiting first, withdrawn last.
    pub rows: Vec<KeyRow>,
    /// Locks with keys still in use (for registering another key of one).
    pub locks: Vec<LockChoice>,
    /// Whether the viewer may register keys (leaders and supervisors).
    pub may_register: bool,
}

fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// A holder's name: a known post by its name in `lang`, anyone else as
/// stored.
pub fn holder_name(lang: Lang, h: &Holder) -> String {
    if h.kind == HolderKind::Post {
        let named = crate::words::i18n::post(lang, &h.id);
        if named != h.id {
            return named;
        }
    }
    h.name.clone()
}

/// The value of a holder in a `<select>`: `person:<id>` or `post:<id>`.
pub fn holder_value(h: &Holder) -> String {
    format!("{}:{}", h.kind.as_str(), h.id)
}

/// The holder among `options` a `<select>` value names.
pub fn holder_from_value(options: &[Holder], value: &str) -> Option<Holder> {
    options.iter().find(|h| holder_value(h) == value).cloned()
}

/// Who may hold keys: the active people on the roster, then the posts
/// they work and the security post. Posts are stored under their Chinese
/// name (the staff's language).
pub fn holder_options(members: &[StaffMember]) -> Vec<Holder> {
    let mut out: Vec<Holder> = members
        .iter()
        .filter(|m| m.active)
        .map(|m| Holder::person(&m.id, &m.name))
        .collect();
    let mut posts: BTreeSet<&str> = members
        .iter()
        .filter(|m| m.active)
        .flat_map(|m| m.posts.iter().map(String::as_str))
        .filter(|p| shiftbook_model::ids::is_key(p))
        .collect();
    posts.insert(SECURITY_POST);
    // The security post first: it is where keys go at closing.
    let ordered =
        std::iter::once(SECURITY_POST).chain(posts.into_iter().filter(|p| *p != SECURITY_POST));
    out.extend(ordered.map(|p| Holder::post(p, &crate::words::i18n::post(Lang::Zh, p))));
    out
}

fn who(lang: Lang, by: &key_register::Who) -> String {
    format!("{}({})", by.person, crate::words::i18n::role(lang, by.role))
}

/// "X —— 由 Y 于 18:02 在 D 记录".
fn claim_line(lang: Lang, c: &Claim, time: &dyn Fn(i64) -> String) -> String {
    let by = &c.entry().event.by;
    let at = time(by.at_ms);
    let holder = holder_name(lang, c.holder());
    let what = match (c, lang) {
        (Claim::Held { .. }, _) => holder,
        (Claim::Awaiting { from, .. }, Lang::Zh) => {
            format!("{} → {holder}(待确认)", holder_name(lang, from))
        }
        (Claim::Awaiting { from, .. }, Lang::En) => {
            format!("{} → {holder} (awaiting)", holder_name(lang, from))
        }
    };
    match lang {
        Lang::Zh => format!("{what} —— {} 于 {at} 在 {} 记录", by.person, by.device),
        Lang::En => format!("{what} — written by {} at {at} on {}", by.person, by.device),
    }
}

fn history_line(lang: Lang, e: &key_register::Entry) -> HistoryLine {
    let ev = &e.event;
    let name = |h: &Option<Holder>| h.as_ref().map(|h| holder_name(lang, h)).unwrap_or_default();
    let what = match (ev.kind, lang) {
        (EventKind::Registered, Lang::Zh) => format!("登记 · 持有人 {}", name(&ev.holder)),
        (EventKind::Registered, Lang::En) => format!("Registered · holder {}", name(&ev.holder)),
        (EventKind::HandedOver, Lang::Zh) => {
            format!("交出 {} → {}", name(&ev.from), name(&ev.holder))
        }
        (EventKind::HandedOver, Lang::En) => {
            format!("Handed over {} → {}", name(&ev.from), name(&ev.holder))
        }
        (EventKind::Confirmed, Lang::Zh) => format!("{} 确认收到", name(&ev.holder)),
        (EventKind::Confirmed, Lang::En) => format!("{} confirmed receipt", name(&ev.holder)),
        (EventKind::Lost, Lang::Zh) => "报失".to_owned(),
        (EventKind::Lost, Lang::En) => "Reported lost".to_owned(),
        (EventKind::Found, Lang::Zh) => format!("找回 · 由 {} 保管", name(&ev.holder)),
        (EventKind::Found, Lang::En) => format!("Found · with {}", name(&ev.holder)),
        (EventKind::LockChanged, Lang::Zh) => "换锁 · 本锁钥匙作废".to_owned(),
        (EventKind::LockChanged, Lang::En) => "Lock changed · its keys withdrawn".to_owned(),
        (EventKind::Withdrawn, Lang::Zh) => "收回(损坏)".to_owned(),
        (EventKind::Withdrawn, Lang::En) => "Withdrawn (damaged)".to_owned(),
        (EventKind::Note, Lang::Zh) => "备注".to_owned(),
        (EventKind::Note, Lang::En) => "Note".to_owned(),
    };
    let text = if ev.text.is_empty() {
        what
    } else {
        format!("{what}:{}", ev.text)
    };
    HistoryLine {
        at_ms: ev.by.at_ms,
        kind: ev.kind.as_str(),
        text,
        who: who(lang, &ev.by),
        device: ev.by.device.clone(),
    }
}

fn claims(state: &KeyState) -> &[Claim] {
    match state {
        KeyState::InUse(c) => std::slice::from_ref(c),
        KeyState::Disputed(cs) => cs,
        KeyState::Lost { .. } | KeyState::Withdrawn { .. } => &[],
    }
}

/// What `viewer` may do with `key` (the model's rules).
fn actions(key: &Key, viewer: Option<&Viewer>) -> KeyActions {
    let Some(v) = viewer else {
        return KeyActions::default();
    };
    let claims = claims(&key.state);
    let mut hand_over_from: Vec<Holder> = Vec::new();
    for c in claims {
        let h = c.holder();
        let own = h.kind == HolderKind::Person && h.id == v.person_id;
        // A key awaiting its receiver's confirmation is passed on by the
        // receiver or a leader (the model would let anyone pass on a
        // post's key, but the giver passing it again right after handing
        // it over is a mistake, not a hand-over).
        let may = match c {
            Claim::Held { .. } => h.kind == HolderKind::Post || own || v.leads(),
            Claim::Awaiting { .. } => own || v.leads(),
        };
        if may && !hand_over_from.iter().any(|x| x.same(h)) {
            hand_over_from.push(h.clone());
        }
    }
    let confirm = claims.iter().find_map(|c| match c {
        Claim::Awaiting {
            from,
            to,
            hand_over,
            entry,
        } => {
            let ok = match to.kind {
                HolderKind::Person => to.id == v.person_id,
                HolderKind::Post => {
                    !(from.kind == HolderKind::Person && from.id == v.person_id)
                        && entry.event.by.person_id != v.person_id
                }
            };
            ok.then(|| hand_over.clone())
        }
        Claim::Held { .. } => None,
    });
    let usable = !claims.is_empty();
    let withdrawn = matches!(key.state, KeyState::Withdrawn { .. });
    KeyActions {
        hand_over_from,
        confirm,
        report_lost: usable,
        found: v.leads() && matches!(key.state, KeyState::Lost { .. } | KeyState::Disputed(_)),
        change_lock: v.leads() && !withdrawn,
        withdraw: v.leads() && usable,
    }
}

fn row(
    key: &Key,
    viewer: Option<&Viewer>,
    flats: &[FlatItems],
    lang: Lang,
    time: &dyn Fn(i64) -> String,
) -> KeyRow {
    let (state, detail) = match &key.state {
        KeyState::InUse(Claim::Held { holder, .. }) => (
            KeyStateKind::InUse,
            vec![match lang {
                Lang::Zh => format!("持有人:{}", holder_name(lang, holder)),
                Lang::En => format!("Held by {}", holder_name(lang, holder)),
            }],
        ),
        KeyState::InUse(c @ Claim::Awaiting { from, to, .. }) => {
            let at = time(c.entry().event.by.at_ms);
            let (from, to) = (holder_name(lang, from), holder_name(lang, to));
            (
                KeyStateKind::Awaiting,
                vec![match lang {
                    Lang::Zh => format!("{from} 于 {at} 交给 {to},待 {to} 确认收到"),
                    Lang::En => format!("{from} handed it to {to} at {at}; {to} has to confirm"),
                }],
            )
        }
        KeyState::Disputed(cs) => (
            KeyStateKind::Disputed,
            cs.iter().map(|c| claim_line(lang, c, time)).collect(),
        ),
        KeyState::Lost { reports } => (
            KeyStateKind::Lost,
            reports
                .iter()
                .map(|r| {
                    let by = &r.event.by;
                    let at = time(by.at_ms);
                    let base = match lang {
                        Lang::Zh => format!("{} 于 {at} 在 {} 报失", by.person, by.device),
                        Lang::En => {
                            format!("Reported lost by {} at {at} on {}", by.person, by.device)
                        }
                    };
                    if r.event.text.is_empty() {
                        base
                    } else {
                        format!("{base}:{}", r.event.text)
                    }
                })
                .collect(),
        ),
        KeyState::Withdrawn { by } => (
            KeyStateKind::Withdrawn,
            by.iter()
                .map(|e| {
                    let line = history_line(lang, e);
                    format!("{} · {} · {}", line.text, line.who, time(line.at_ms))
                })
                .collect(),
        ),
    };
    let flat = key.flat.as_ref().map(|f| {
        flats
            .iter()
            .find(|x| &x.flat_id == f)
            .map_or_else(|| f.clone(), |x| x.name.get(lang).to_owned())
    });
    KeyRow {
        id: key.id.clone(),
        label: key.label.clone(),
        flat,
        lock: key.lock.clone(),
        state,
        state_text: state.words(lang).to_owned(),
        detail,
        actions: actions(key, viewer),
        history: key.history.iter().map(|e| history_line(lang, e)).collect(),
    }
}

fn alert_line(lang: Lang, a: &Alert, time: &dyn Fn(i64) -> String) -> AlertLine {
    match a {
        Alert::Lost {
            key,
            label,
            reports,
        } => {
            let by = reports
                .iter()
                .map(|r| format!("{} {}", r.event.by.person, time(r.event.by.at_ms)))
                .collect::<Vec<_>>()
                .join(", ");
            AlertLine {
                key: key.clone(),
                kind: "lost",
                text: match lang {
                    Lang::Zh => {
                        format!("钥匙遗失:{label}({by} 报失)—— 请换锁,或由领班/主管确认找回")
                    }
                    Lang::En => format!(
                        "Key lost: {label} (reported by {by}) — change the lock, or a leader records it found"
                    ),
                },
            }
        }
        Alert::Disputed { key, label, claims } => {
            let holders = claims
                .iter()
                .map(|c| holder_name(lang, c.holder()))
                .collect::<Vec<_>>();
            AlertLine {
                key: key.clone(),
                kind: "disputed",
                text: match lang {
                    Lang::Zh => format!("持有人不一致:{label} —— {},请核实", holders.join("、")),
                    Lang::En => format!(
                        "Holders disagree: {label} — {}; check who has it",
                        holders.join(", ")
                    ),
                },
            }
        }
        Alert::Unconfirmed {
            key,
            label,
            claim,
            waiting_ms,
        } => {
            let to = holder_name(lang, claim.holder());
            let minutes = waiting_ms / 60_000;
            AlertLine {
                key: key.clone(),
                kind: "unconfirmed",
                text: match lang {
                    Lang::Zh => format!("{label} 交给 {to} 已 {minutes} 分钟,尚未确认收到"),
                    Lang::En => {
                        format!("{label} handed to {to} {minutes} min ago, receipt not confirmed")
                    }
                },
            }
        }
    }
}

/// Every key of the site's register `doc`; none while the document is
/// empty (asked for, not arrived yet).
pub fn read_keys(doc: &Automerge) -> Result<Vec<Key>, ModelError> {
    if doc.get_heads().is_empty() {
        return Ok(Vec::new());
    }
    KeyRegister::new(doc)?.keys()
}

impl KeysView {
    /// Build from the site's keys ([`read_keys`]; none before the register
    /// reached this device), as `viewer` sees them at device time `now_ms`,
    /// a hand-over unconfirmed for `wait_ms` (the site's take-over time,
    /// from the giver's device time) being an alert; `time` formats a
    /// device time for people.
    pub fn build(
        keys: &[Key],
        viewer: Option<&Viewer>,
        flats: &[FlatItems],
        lang: Lang,
        (now_ms, wait_ms): (i64, i64),
        time: &dyn Fn(i64) -> String,
    ) -> Self {
        let may_register = viewer.is_some_and(Viewer::leads);
        let alerts = key_register::alerts_of(keys, now_ms, wait_ms)
            .iter()
            .map(|a| alert_line(lang, a, time))
            .collect();
        let mut rows: Vec<KeyRow> = keys
            .iter()
            .map(|k| row(k, viewer, flats, lang, time))
            .collect();
        rows.sort_by_key(|r| r.state);
        let mut locks: Vec<LockChoice> = Vec::new();
        for k in keys
            .iter()
            .filter(|k| !matches!(k.state, KeyState::Withdrawn { .. }))
        {
            match locks.iter_mut().find(|l| l.id == k.lock) {
                Some(l) => {
                    l.label.push_str(" / ");
                    l.label.push_str(&k.label);
                }
                None => locks.push(LockChoice {
                    id: k.lock.clone(),
                    label: k.label.clone(),
                }),
            }
        }
        Self {
            alerts,
            rows,
            locks,
            may_register,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::ActorId;
    use shiftbook_model::attribution::Attribution;
    use shiftbook_model::key_register::NewKey;
    use shiftbook_model::roster::Role;

    /// The site's default take-over time, ms.
    const WAIT: i64 = 30 * 60_000;

    fn by(id: &str, name: &str, role: Role, at_ms: i64) -> Attribution {
        Attribution {
            person_id: id.into(),
            person: name.into(),
            role,
            device: format!("{id}-tablet"),
            at_ms,
        }
    }

    fn leader(at: i64) -> Attribution {
        by("li", "李娜", Role::Leader, at)
    }

    fn wang(at: i64) -> Attribution {
        by("wang", "王芳", Role::Staff, at)
    }

    fn guard(at: i64) -> Attribution {
        by("chen", "陈刚", Role::Staff, at)
    }

    fn viewer(a: &Attribution) -> Viewer {
        Viewer {
            person_id: a.person_id.clone(),
            role: a.role,
        }
    }

    fn security() -> Holder {
        Holder::post(SECURITY_POST, "安管岗")
    }

    fn time(ms: i64) -> String {
        format!("t{ms}")
    }

    fn register_front_door(doc: &mut Automerge, id: &str, lock: &str) {
        key_register::register(
            doc,
            &NewKey {
                id: id.into(),
                label: format!("入户门 {id}"),
                flat: Some(shiftbook_model::show_flat::DEMO_FLAT_ID.into()),
                lock: lock.into(),
                holder: Holder::person("wang", "王芳"),
            },
            &leader(1_000),
        )
        .unwrap();
    }

    fn doc() -> Automerge {
        let mut d = key_register::genesis("demo").unwrap();
        d.set_actor(ActorId::from(vec![7; 16]));
        register_front_door(&mut d, "k1", "lock-1");
        register_front_door(&mut d, "k2", "lock-1");
        d
    }

    fn build(d: &Automerge, v: &Attribution, now: i64) -> KeysView {
        let flats = [shiftbook_model::show_flat::demo_flat()];
        KeysView::build(
            &read_keys(d).unwrap(),
            Some(&viewer(v)),
            &flats,
            Lang::Zh,
            (now, WAIT),
            &time,
        )
    }

    fn row<'a>(v: &'a KeysView, id: &str) -> &'a KeyRow {
        v.rows.iter().find(|r| r.id == id).unwrap()
    }

    #[test]
    fn no_register_yet_is_an_empty_screen_and_only_leaders_register() {
        let empty = Automerge::new();
        let v = KeysView::build(
            &read_keys(&empty).unwrap(),
            Some(&viewer(&wang(0))),
            &[],
            Lang::Zh,
            (0, WAIT),
            &time,
        );
        assert!(v.rows.is_empty() && v.alerts.is_empty() && !v.may_register);
        let v = KeysView::build(
            &[],
            Some(&viewer(&leader(0))),
            &[],
            Lang::En,
            (0, WAIT),
            &time,
        );
        assert!(v.may_register);
    }

    #[test]
    fn a_hand_over_to_the_security_post_awaits_a_guard_then_is_held() {
        let mut d = doc();
        let v = build(&d, &wang(2_000), 2_000);
        let k1 = row(&v, "k1");
        assert_eq!(k1.state, KeyStateKind::InUse);
        assert_eq!(k1.detail, vec!["持有人:王芳".to_owned()]);
        assert!(
            k1.flat
                .as_deref()
                .is_some_and(|f| !f.is_empty() && f != shiftbook_model::show_flat::DEMO_FLAT_ID)
        );
        // The holder hands over; a leader could too; another staff may not.
        assert_eq!(
            k1.actions.hand_over_from,
            vec![Holder::person("wang", "王芳")]
        );
        assert!(k1.actions.report_lost && !k1.actions.found && !k1.actions.withdraw);
        assert!(
            row(&build(&d, &guard(0), 0), "k1")
                .actions
                .hand_over_from
                .is_empty()
        );
        assert!(row(&build(&d, &leader(0), 0), "k1").actions.withdraw);

        key_register::hand_over(
            &mut d,
            "k1",
            "h1",
            &Holder::person("wang", "王芳"),
            &security(),
            &wang(3_000),
        )
        .unwrap();
        let v = build(&d, &wang(4_000), 4_000);
        let k1 = row(&v, "k1");
        assert_eq!(
            (k1.state, k1.state_text.as_str()),
            (KeyStateKind::Awaiting, "待接收人确认")
        );
        assert_eq!(
            k1.detail,
            vec!["王芳 于 t3000 交给 安管岗,待 安管岗 确认收到".to_owned()]
        );
        assert_eq!(v.rows[0].id, "k1", "awaiting comes before keys in use");
        // The giver cannot confirm for the post, nor pass it on again; a
        // guard confirms; a leader may pass it on.
        assert_eq!(k1.actions.confirm, None);
        assert!(k1.actions.hand_over_from.is_empty());
        let g = build(&d, &guard(4_000), 4_000);
        assert_eq!(row(&g, "k1").actions.confirm.as_deref(), Some("h1"));
        assert!(row(&g, "k1").actions.hand_over_from.is_empty());
        assert_eq!(
            row(&build(&d, &leader(4_000), 4_000), "k1")
                .actions
                .hand_over_from,
            vec![security()]
        );
        // Unconfirmed for too long: an alert.
        assert!(g.alerts.is_empty());
        let late = build(&d, &guard(0), 3_000 + WAIT + 60_000);
        assert_eq!(late.alerts.len(), 1);
        assert_eq!(late.alerts[0].kind, "unconfirmed");
        assert!(
            late.alerts[0].text.contains("安管岗"),
            "{}",
            late.alerts[0].text
        );

        key_register::confirm(&mut d, "k1", "h1", &guard(5_000)).unwrap();
        let v = build(&d, &guard(6_000), 6_000);
        let k1 = row(&v, "k1");
        assert_eq!(k1.state, KeyStateKind::InUse);
        assert_eq!(k1.detail, vec!["持有人:安管岗".to_owned()]);
        let texts: Vec<&str> = k1.history.iter().map(|h| h.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "登记 · 持有人 王芳",
                "交出 王芳 → 安管岗",
                "安管岗 确认收到"
            ]
        );
        assert_eq!(k1.history[2].who, "陈刚(员工)");
        assert_eq!(k1.history[2].device, "chen-tablet");
        // Anyone may hand over from a post.
        assert_eq!(k1.actions.hand_over_from, vec![security()]);
    }

    #[test]
    fn a_lost_key_is_red_and_escalated_until_the_lock_is_changed() {
        let mut d = doc();
        key_register::report_lost(&mut d, "k2", "巡查时发现不见了", &wang(2_000)).unwrap();
        let v = build(&d, &leader(3_000), 3_000);
        assert_eq!(v.alerts.len(), 1);
        assert_eq!(v.alerts[0].kind, "lost");
        assert!(v.alerts[0].text.contains("入户门 k2") && v.alerts[0].text.contains("王芳 t2000"));
        assert_eq!(v.rows[0].id, "k2", "lost keys come first");
        let k2 = row(&v, "k2");
        assert_eq!(k2.state, KeyStateKind::Lost);
        assert_eq!(
            k2.detail,
            vec!["王芳 于 t2000 在 wang-tablet 报失:巡查时发现不见了".to_owned()]
        );
        assert!(k2.actions.found && k2.actions.change_lock);
        assert!(
            !k2.actions.withdraw && !k2.actions.report_lost && k2.actions.hand_over_from.is_empty()
        );
        // Staff see it but may only add notes.
        let s = row(&build(&d, &wang(3_000), 3_000), "k2").actions.clone();
        assert_eq!(s, KeyActions::default());
        assert_eq!(v.locks.len(), 1);

        key_register::change_lock(&mut d, "lock-1", "工程部已换锁芯", &leader(4_000)).unwrap();
        let v = build(&d, &leader(5_000), 5_000);
        assert!(v.alerts.is_empty());
        assert!(v.rows.iter().all(|r| r.state == KeyStateKind::Withdrawn));
        assert!(v.locks.is_empty(), "no key of the old lock is in use");
        let k2 = row(&v, "k2");
        assert_eq!(k2.state_text, "已收回");
        assert!(
            k2.detail[0].starts_with("换锁 · 本锁钥匙作废:工程部已换锁芯"),
            "{:?}",
            k2.detail
        );
        assert_eq!(k2.actions, KeyActions::default());
    }

    #[test]
    fn a_dispute_lists_both_claims_with_who_wrote_them() {
        let base = doc();
        let mut a = base.fork().with_actor(ActorId::from(vec![1; 16]));
        let mut b = base.fork().with_actor(ActorId::from(vec![2; 16]));
        let from = Holder::person("wang", "王芳");
        key_register::hand_over(&mut a, "k1", "ha", &from, &security(), &wang(2_000)).unwrap();
        key_register::hand_over(
            &mut b,
            "k1",
            "hb",
            &from,
            &Holder::person("li", "李娜"),
            &leader(2_100),
        )
        .unwrap();
        a.merge(&mut b).unwrap();
        let v = build(&a, &leader(3_000), 3_000);
        let k1 = row(&v, "k1");
        assert_eq!(k1.state, KeyStateKind::Disputed);
        assert_eq!(k1.detail.len(), 2);
        assert!(
            k1.detail
                .iter()
                .any(|l| l.contains("安管岗") && l.contains("王芳 于 t2000"))
        );
        assert!(
            k1.detail
                .contains(&"王芳 → 李娜(待确认) —— 李娜 于 t2100 在 li-tablet 记录".to_owned()),
            "{:?}",
            k1.detail
        );
        assert!(k1.actions.found);
        assert_eq!(
            k1.actions.hand_over_from.len(),
            2,
            "a leader may hand over from either"
        );
        assert!(v.alerts.iter().any(|a| a.kind == "disputed"));
        let en = KeysView::build(
            &read_keys(&a).unwrap(),
            None,
            &[],
            Lang::En,
            (3_000, WAIT),
            &time,
        );
        assert_eq!(row(&en, "k1").state_text, "Holders disagree");
        assert_eq!(
            row(&en, "k1").actions,
            KeyActions::default(),
            "nobody signed in: no actions"
        );
    }

    #[test]
    fn holders_are_the_active_people_then_the_security_post_and_other_posts() {
        let member = |id: &str, posts: &[&str], active: bool| StaffMember {
            id: id.into(),
            name: format!("name-{id}"),
            role: Role::Staff,
            posts: posts.iter().map(|p| (*p).to_owned()).collect(),
            pin: None,
            active,
        };
        let options = holder_options(&[
            member("wang", &["show-flat"], true),
            member("gone", &["garage"], false),
            member("zhang", &["lobby", "bad post"], true),
        ]);
        let values: Vec<String> = options.iter().map(holder_value).collect();
        assert_eq!(
            values,
            [
                "person:wang",
                "person:zhang",
                "post:security",
                "post:lobby",
                "post:show-flat"
            ]
        );
        assert_eq!(options[2].name, "安管岗");
        assert_eq!(
            holder_from_value(&options, "post:lobby"),
            Some(options[3].clone())
        );
        assert_eq!(holder_from_value(&options, "post:garage"), None);
        assert_eq!(holder_name(Lang::En, &options[2]), "Security");
        assert_eq!(
            holder_name(Lang::En, &Holder::post("p-005", "安管部005岗")),
            "安管部005岗"
        );
    }
}
