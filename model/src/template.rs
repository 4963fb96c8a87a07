//! Checklist templates: which items a round checks, grouped by area, in
//! Chinese and English. The walking skeleton ships one built-in template,
//! the lobby opening inspection of seed 004 §2C (大堂开班巡查).

use autosurgeon::{Hydrate, Reconcile};

/// A text in the two UI languages.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct Bilingual {
    /// Simplified Chinese, the staff's language.
    pub zh: String,
    /// English.
    pub en: String,
}

impl Bilingual {
    /// Build from two literals.
    pub fn new(zh: &str, en: &str) -> Self {
        Self {
            zh: zh.to_owned(),
            en: en.to_owned(),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: crate::Lang) -> &str {
        match lang {
            crate::Lang::Zh => &self.zh,
            crate::Lang::En => &self.en,
        }
    }
}

/// One thing to check.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct TemplateItem {
    /// Stable id, unique within the template; marks are keyed by it.
    #[key]
    pub id: String,
    /// The area the item belongs to, for grouping on screen.
    pub area: Bilingual,
    /// What to check.
    pub label: Bilingual,
}

/// A checklist template.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct Template {
    /// Stable id, part of derived document ids.
    pub id: String,
    /// Shown as the round's title.
    pub title: Bilingual,
    /// Where the template comes from in the site's procedures.
    pub source: String,
    /// The items, in walking order.
    pub items: Vec<TemplateItem>,
}

fn item(id: &str, area: (&str, &str), label: (&str, &str)) -> TemplateItem {
    TemplateItem {
        id: id.to_owned(),
        area: Bilingual::new(area.0, area.1),
        label: Bilingual::new(label.0, label.1),
    }
}

/// The lobby opening inspection, 大堂开班巡查 (seed 004 §2C, §2E).
pub fn lobby_opening() -> Template {
    const ENTRANCE: (&str, &str) = ("出入口与扶梯", "Entrance and escalators");
    const FACILITIES: (&str, &str) = ("设施", "Facilities");
    const HYGIENE: (&str, &str) = ("环境卫生", "Cleanliness");
    const LIFTS: (&str, &str) = ("电梯与水牌", "Lifts and signboards");
    Template {
        id: "lobby-opening".to_owned(),
        title: Bilingual::new("大堂开班巡查", "Lobby opening inspection"),
        source: "004 §2C".to_owned(),
        items: vec![
            item(
                "doors",
                ENTRANCE,
                ("大门开关正常", "Doors open and close normally"),
            ),
            item(
                "escalators",
                ENTRANCE,
                ("自动扶梯运作正常", "Escalators running normally"),
            ),
            item(
                "lighting",
                FACILITIES,
                ("照明设施完好", "Lighting fixtures undamaged"),
            ),
            item(
                "decoration",
                FACILITIES,
                ("装修材料无损坏", "Decoration materials undamaged"),
            ),
            item(
                "fire-equipment",
                FACILITIES,
                ("消防器材齐全完好", "Fire equipment present and undamaged"),
            ),
            item(
                "light-level",
                FACILITIES,
                (
                    "大堂光线适中(过暗或过亮通知工程部)",
                    "Lobby light level right (too dark or bright: call engineering)",
                ),
            ),
            item(
                "floor-walls",
                HYGIENE,
                ("地面、墙面、天花清洁", "Floor, walls and ceiling clean"),
            ),
            item("toilets", HYGIENE, ("卫生间清洁", "Toilets clean")),
            item(
                "plants",
                HYGIENE,
                ("植物无干枯、叶面无尘土", "Plants not dry, leaves not dusty"),
            ),
            item("lifts", LIFTS, ("客梯运作正常", "Passenger lifts working")),
            item(
                "signboards",
                LIFTS,
                ("水牌内容正确且完好", "Signboards correct and undamaged"),
            ),
        ],
    }
}

/// The built-in template with this id.
pub fn builtin(id: &str) -> Option<Template> {
    (id == "lobby-opening").then(lobby_opening)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn item_ids_are_unique_and_texts_filled() {
        let t = lobby_opening();
        let ids: HashSet<_> = t.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids.len(), t.items.len());
        for i in &t.items {
            assert!(!i.label.zh.is_empty() && !i.label.en.is_empty());
        }
        assert_eq!(builtin("lobby-opening"), Some(t));
        assert_eq!(builtin("nope"), None);
    }
}
