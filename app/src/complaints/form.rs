//! The forms of the complaint screens as plain data: taking a complaint
//! (《业主投诉登记表》's header — received time, channel, kind, owner, unit,
//! contact, content, serious, difficulty) and the search / filter of the
//! register (a day or a range of days, unit, person, status, kind, post,
//! words). Each turns what was typed into what the model takes, or says
//! in words what is wrong; unit-tested.

use crate::complaints::words::Words;
use crate::words::i18n::Msg;
use shiftbook_model::Lang;
use shiftbook_model::complaint::{
    Channel, Complaint, Difficulty, Filter, Kind, NewComplaint, Step,
};
use shiftbook_model::schedule::{Date, LocalDateTime};

/// What the person taking a complaint has typed and tapped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TakeForm {
    /// When it came in, `YYYY-MM-DDTHH:MM` (a `datetime-local` field):
    /// now, or earlier when the call came in before it was typed.
    pub received: String,
    /// How it came in.
    pub channel: Channel,
    /// Request or complaint.
    pub kind: Kind,
    /// The owner's name.
    pub owner: String,
    /// The unit.
    pub unit: String,
    /// How to reach the owner.
    pub contact: String,
    /// What it is about.
    pub content: String,
    /// Serious: escalate to the manager at once.
    pub serious: bool,
    /// The difficulty, if already judged.
    pub difficulty: Option<Difficulty>,
    /// The earlier complaint this one follows up (the owner came back
    /// about a closed one), by id.
    pub related: Option<String>,
}

/// The `datetime-local` value of a local time.
pub fn input_value(t: LocalDateTime) -> String {
    format!("{}T{}", t.date, t.minute)
}

impl TakeForm {
    /// An empty form received `now`: by phone, a complaint.
    pub fn new(now: LocalDateTime) -> Self {
        Self {
            received: input_value(now),
            channel: Channel::Phone,
            kind: Kind::Complaint,
            owner: String::new(),
            unit: String::new(),
            contact: String::new(),
            content: String::new(),
            serious: false,
            difficulty: None,
            related: None,
        }
    }

    /// A form received `now` for an owner who came back about `earlier`
    /// (closed complaints are never reopened): the same owner, unit,
    /// contact, kind and channel, linked to it; what it is about this time
    /// is typed afresh.
    pub fn again(earlier: &Complaint, now: LocalDateTime) -> Self {
        let d = &earlier.details;
        Self {
            channel: d.channel,
            kind: d.kind,
            owner: d.owner.clone(),
            unit: d.unit.clone(),
            contact: d.contact.clone().unwrap_or_default(),
            related: Some(earlier.id.clone()),
            ..Self::new(now)
        }
    }

    /// The complaint to register as `id` at `post`, checked against `now`
    /// (it cannot have come in later than now). The model checks the
    /// texts (required, lengths, never a full ID number).
    pub fn to_new(
        &self,
        id: &str,
        post: &str,
        now: LocalDateTime,
        lang: Lang,
    ) -> Result<NewComplaint, String> {
        let received = LocalDateTime::parse(self.received.trim())
            .map_err(|_| Words::CpBadReceived.text(lang).to_owned())?;
        if received > now {
            return Err(Words::CpReceivedInFuture.text(lang).to_owned());
        }
        Ok(NewComplaint {
            id: id.to_owned(),
            kind: self.kind,
            received,
            channel: self.channel,
            owner: self.owner.clone(),
            unit: self.unit.clone(),
            contact: self.contact.clone(),
            content: self.content.clone(),
            serious: self.serious,
            difficulty: self.difficulty,
            post: post.to_owned(),
            related: self.related.clone(),
        })
    }
}

/// The status choices of the filter: any, open, closed, or one step.
pub fn status_choices() -> Vec<&'static str> {
    let mut out = vec!["", "open", "closed"];
    out.extend(Step::ALL.into_iter().map(Step::as_str));
    out
}

/// The search and filter fields, as typed (`YYYY-MM-DD` dates).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FilterForm {
    /// Received on this day, or from this day with `to`.
    pub from: String,
    /// Received up to this day.
    pub to: String,
    /// The unit.
    pub unit: String,
    /// Someone who took a step (name or roster id).
    pub person: String,
    /// One of [`status_choices`].
    pub status: String,
    /// `request`, `complaint` or empty.
    pub kind: String,
    /// The post that received it.
    pub post: String,
    /// Words anywhere in it.
    pub text: String,
}

fn date(s: &str, lang: Lang) -> Result<Option<Date>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    Date::parse(s)
        .map(Some)
        .map_err(|_| format!("{}: {s}", Msg::CpBadDate.text(lang)))
}

fn words(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

impl FilterForm {
    /// The model's filter: one day when only `from` is given, the range
    /// when both are.
    pub fn filter(&self, lang: Lang) -> Result<Filter, String> {
        let from = date(&self.from, lang)?;
        let to = date(&self.to, lang)?.or(from);
        if let (Some(a), Some(b)) = (from, to)
            && b < a
        {
            return Err(Words::CpBadRange.text(lang).to_owned());
        }
        let (statuses, open) = match self.status.as_str() {
            "" => (Vec::new(), None),
            "open" => (Vec::new(), Some(true)),
            "closed" => (Vec::new(), Some(false)),
            s => (
                Step::ALL.into_iter().filter(|x| x.as_str() == s).collect(),
                None,
            ),
        };
        Ok(Filter {
            from,
            to,
            post: words(&self.post),
            unit: words(&self.unit),
            person: words(&self.person),
            statuses,
            open,
            kind: Kind::ALL.into_iter().find(|k| k.as_str() == self.kind),
            serious: None,
            department: None,
            text: words(&self.text),
        })
    }

    /// The boards (`YYYY-MM`) the filter's days need besides those a
    /// device loads anyway: every month from `from` to `to`, at most the
    /// 24 latest.
    pub fn months(&self, lang: Lang) -> Vec<String> {
        let Ok(filter) = self.filter(lang) else {
            return Vec::new();
        };
        let (Some(from), Some(to)) = (filter.from, filter.to) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let (mut y, mut m) = (to.year(), to.month());
        while out.len() < 24 && (y, m) >= (from.year(), from.month()) {
            out.push(format!("{y:04}-{m:02}"));
            if m == 1 {
                if y == 0 {
                    break;
                }
                (y, m) = (y - 1, 12);
            } else {
                m -= 1;
            }
        }
        out.reverse();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> LocalDateTime {
        LocalDateTime::parse(s).unwrap()
    }

    #[test]
    fn a_complaint_is_received_now_or_earlier_never_later() {
        let now = t("2026-11-23 10:15");
        let mut form = TakeForm::new(now);
        assert_eq!(form.received, "2026-11-23T10:15");
        form.owner = "王女士".into();
        form.unit = "3栋1201".into();
        form.content = "楼上漏水".into();
        form.received = "2026-11-23T09:50".into();
        let new = form.to_new("c-1", "lobby", now, Lang::Zh).unwrap();
        assert_eq!(new.received, t("2026-11-23 09:50"));
        assert_eq!((new.channel, new.kind), (Channel::Phone, Kind::Complaint));
        form.received = "2026-11-23T10:16".into();
        assert_eq!(
            form.to_new("c-1", "lobby", now, Lang::Zh),
            Err("受理时间不能晚于现在".to_owned())
        );
        form.received = "昨天".into();
        assert!(form.to_new("c-1", "lobby", now, Lang::En).is_err());
    }

    #[test]
    fn an_owner_coming_back_is_a_new_complaint_linked_to_the_old_one() {
        use shiftbook_model::attribution::Attribution;
        use shiftbook_model::complaint::{self, genesis, index_genesis};
        use shiftbook_model::roster::Role;
        let mut board = genesis("demo", "2026-11").unwrap();
        let mut index = index_genesis("demo").unwrap();
        let mut first = TakeForm::new(t("2026-11-20 09:00"));
        first.channel = Channel::Visit;
        first.owner = "王女士".into();
        first.unit = "3栋1201".into();
        first.contact = "138 0000 0000".into();
        first.content = "楼上漏水".into();
        let by = Attribution {
            person_id: "p1".into(),
            person: "张伟".into(),
            role: Role::Staff,
            device: "大堂平板1".into(),
            at_ms: 0,
        };
        let new = first
            .to_new("c-1", "lobby", t("2026-11-20 09:00"), Lang::Zh)
            .unwrap();
        assert_eq!(new.related, None);
        complaint::receive(&mut board, &mut index, &new, &by).unwrap();
        let earlier = complaint::complaint(&board, "c-1").unwrap().unwrap();

        let now = t("2026-11-28 18:30");
        let again = TakeForm::again(&earlier, now);
        assert_eq!(again.received, "2026-11-28T18:30");
        assert_eq!(
            (
                again.channel,
                again.kind,
                again.owner.as_str(),
                again.unit.as_str()
            ),
            (Channel::Visit, Kind::Complaint, "王女士", "3栋1201")
        );
        assert_eq!(again.contact, "138 0000 0000");
        assert_eq!(again.content, "", "what it is about now is typed afresh");
        assert!(!again.serious);
        let mut again = again;
        again.content = "漏水又出现了".into();
        let new = again.to_new("c-2", "lobby", now, Lang::Zh).unwrap();
        assert_eq!(new.related.as_deref(), Some("c-1"));
    }

    #[test]
    fn filters_take_a_day_or_a_range_and_need_its_months() {
        let day = FilterForm {
            from: "2026-11-23".into(),
            unit: " 3栋1201 ".into(),
            status: "open".into(),
            kind: "complaint".into(),
            ..FilterForm::default()
        };
        let f = day.filter(Lang::Zh).unwrap();
        assert_eq!(f.from, f.to);
        assert_eq!(f.unit.as_deref(), Some("3栋1201"));
        assert_eq!((f.open, f.kind), (Some(true), Some(Kind::Complaint)));
        assert_eq!(day.months(Lang::Zh), vec!["2026-11"]);
        let range = FilterForm {
            from: "2025-12-30".into(),
            to: "2026-02-01".into(),
            status: "forwarded".into(),
            ..FilterForm::default()
        };
        assert_eq!(
            range.filter(Lang::Zh).unwrap().statuses,
            vec![Step::Forwarded]
        );
        assert_eq!(
            range.months(Lang::Zh),
            vec!["2025-12", "2026-01", "2026-02"]
        );
        let backwards = FilterForm {
            from: "2026-02-01".into(),
            to: "2026-01-01".into(),
            ..FilterForm::default()
        };
        assert!(backwards.filter(Lang::Zh).is_err());
        assert!(backwards.months(Lang::Zh).is_empty());
        assert!(
            FilterForm {
                from: "2026-13-01".into(),
                ..FilterForm::default()
            }
            .filter(Lang::En)
            .is_err()
        );
        assert_eq!(
            FilterForm::default().filter(Lang::Zh).unwrap(),
            Filter::default()
        );
        assert_eq!(status_choices().len(), 3 + Step::ALL.len());
    }
}
