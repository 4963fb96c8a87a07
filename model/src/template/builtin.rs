//! The built-in templates: the patrol forms of the seed procedures, in
//! Chinese and English, each with its post and schedule. A new site starts
//! with these (the demo site gets them written into its templates
//! document); supervisors change them from there.

use super::{Bilingual, Template, TemplateItem};
use crate::followup::Department;
use crate::schedule::{MinuteOfDay, Schedule, Weekdays};

/// The ids of the built-in templates, in the order they are listed.
pub const BUILTIN_IDS: [&str; 8] = [
    "lobby-opening",
    "show-flat-night",
    "show-flat-fire",
    "supervisor-show-flat",
    "public-area",
    "after-construction",
    "show-flat-opening",
    "show-flat-closing",
];

/// One item: (id, area, label, × needs a note, department).
type ItemSpec = (
    &'static str,
    (&'static str, &'static str),
    (&'static str, &'static str),
    bool,
    Department,
);

fn template(
    id: &str,
    title: (&str, &str),
    source: &str,
    post: &str,
    schedule: Option<Schedule>,
    items: &[ItemSpec],
) -> Template {
    Template {
        id: id.to_owned(),
        title: Bilingual::new(title.0, title.1),
        source: source.to_owned(),
        post: post.to_owned(),
        schedule,
        items: items
            .iter()
            .map(
                |(id, area, label, note_required, department)| TemplateItem {
                    id: (*id).to_owned(),
                    area: Bilingual::new(area.0, area.1),
                    label: Bilingual::new(label.0, label.1),
                    note_required: *note_required,
                    department: *department,
                    scan_within_min: None,
                },
            )
            .collect(),
        active: true,
        min_walk_s: None,
    }
}

/// A time of day written as a literal; the literals below are valid.
fn at(h: u8, m: u8) -> MinuteOfDay {
    MinuteOfDay::new(h, m).unwrap_or(MinuteOfDay::MIDNIGHT)
}

use Department::{Cleaning, CustomerService, Engineering, Security};

/// The lobby opening inspection, 大堂开班巡查 (seed 004 §2C, §2E): once a
/// day at 08:30.
pub fn lobby_opening() -> Template {
    const ENTRANCE: (&str, &str) = ("出入口与扶梯", "Entrance and escalators");
    const FACILITIES: (&str, &str) = ("设施", "Facilities");
    const HYGIENE: (&str, &str) = ("环境卫生", "Cleanliness");
    const LIFTS: (&str, &str) = ("电梯与水牌", "Lifts and signboards");
    template(
        "lobby-opening",
        ("大堂开班巡查", "Lobby opening inspection"),
        "004 §2C",
        "lobby",
        Schedule::fixed([at(8, 30)]).ok(),
        &[
            (
                "doors",
                ENTRANCE,
                ("大门开关正常", "Doors open and close normally"),
                true,
                Engineering,
            ),
            (
                "escalators",
                ENTRANCE,
                ("自动扶梯运作正常", "Escalators running normally"),
                true,
                Engineering,
            ),
            (
                "lighting",
                FACILITIES,
                ("照明设施完好", "Lighting fixtures undamaged"),
                false,
                Engineering,
            ),
            (
                "decoration",
                FACILITIES,
                ("装修材料无损坏", "Decoration materials undamaged"),
                false,
                Engineering,
            ),
            (
                "fire-equipment",
                FACILITIES,
                ("消防器材齐全完好", "Fire equipment present and undamaged"),
                true,
                Security,
            ),
            (
                "light-level",
                FACILITIES,
                (
                    "大堂光线适中(过暗或过亮通知工程部)",
                    "Lobby light level right (too dark or bright: call engineering)",
                ),
                false,
                Engineering,
            ),
            (
                "floor-walls",
                HYGIENE,
                ("地面、墙面、天花清洁", "Floor, walls and ceiling clean"),
                false,
                Cleaning,
            ),
            (
                "toilets",
                HYGIENE,
                ("卫生间清洁", "Toilets clean"),
                false,
                Cleaning,
            ),
            (
                "plants",
                HYGIENE,
                ("植物无干枯、叶面无尘土", "Plants not dry, leaves not dusty"),
                false,
                Cleaning,
            ),
            (
                "lifts",
                LIFTS,
                ("客梯运作正常", "Passenger lifts working"),
                true,
                Engineering,
            ),
            (
                "signboards",
                LIFTS,
                ("水牌内容正确且完好", "Signboards correct and undamaged"),
                false,
                CustomerService,
            ),
        ],
    )
}

/// The show-flat night round, 样板房夜间巡查: after the flat closes, the
/// lobby post checks it every 30 minutes, 18:00–08:00 (seed 001
/// §6.2.12.2); anything abnormal goes to the duty security leader at once.
pub fn show_flat_night_round() -> Template {
    const OUTSIDE: (&str, &str) = ("门窗", "Doors and windows");
    const INSIDE: (&str, &str) = ("室内", "Inside");
    const SAFETY: (&str, &str) = ("安全", "Safety");
    template(
        "show-flat-night",
        ("样板房夜间巡查", "Show-flat night round"),
        "001 §6.2.12.2",
        "lobby",
        Schedule::every(30, at(18, 0), at(8, 0)).ok(),
        &[
            (
                "doors-locked",
                OUTSIDE,
                ("入户门已关闭上锁", "Entrance door closed and locked"),
                true,
                Security,
            ),
            (
                "windows-closed",
                OUTSIDE,
                ("门窗完好、已关闭", "Windows intact and closed"),
                true,
                Security,
            ),
            (
                "nobody-inside",
                INSIDE,
                ("室内无人员滞留", "Nobody left inside"),
                true,
                Security,
            ),
            (
                "power-off",
                INSIDE,
                (
                    "灯光、空调、音响、总电源已关闭",
                    "Lights, AC, audio and mains off",
                ),
                true,
                Engineering,
            ),
            (
                "items-in-place",
                INSIDE,
                ("物品无移动、无缺失", "No items moved or missing"),
                true,
                CustomerService,
            ),
            (
                "no-leaks",
                SAFETY,
                ("无漏水、异味、烟雾", "No leaks, smells or smoke"),
                true,
                Engineering,
            ),
            (
                "fire-equipment",
                SAFETY,
                ("消防器材在位", "Fire equipment in place"),
                true,
                Security,
            ),
        ],
    )
}

/// The show-flat fire-safety check, 样板房消防安全检查 (seed 001 §5.8, the
/// monthly fire equipment check of 000 and 002 §8.8): monthly, on the
/// first, recorded and reviewed by the manager.
pub fn show_flat_fire_safety() -> Template {
    const EQUIPMENT: (&str, &str) = ("消防器材", "Fire equipment");
    const ROUTES: (&str, &str) = ("疏散与电气", "Escape routes and wiring");
    template(
        "show-flat-fire",
        ("样板房消防安全检查", "Show-flat fire-safety check"),
        "001 §5.8",
        "security",
        Schedule::monthly(1, at(9, 0)).ok(),
        &[
            (
                "extinguishers",
                EQUIPMENT,
                (
                    "灭火器压力正常、在有效期内",
                    "Extinguishers charged and in date",
                ),
                true,
                Security,
            ),
            (
                "hydrants",
                EQUIPMENT,
                (
                    "消火栓箱完好、配件齐全",
                    "Hydrant cabinets intact and complete",
                ),
                true,
                Security,
            ),
            (
                "detectors",
                EQUIPMENT,
                (
                    "烟感、喷淋无遮挡",
                    "Smoke detectors and sprinklers unobstructed",
                ),
                true,
                Engineering,
            ),
            (
                "emergency-lights",
                ROUTES,
                (
                    "应急照明、疏散指示灯正常",
                    "Emergency lights and exit signs working",
                ),
                true,
                Engineering,
            ),
            (
                "escape-routes",
                ROUTES,
                ("疏散通道畅通、无杂物", "Escape routes clear"),
                true,
                Security,
            ),
            (
                "wiring",
                ROUTES,
                ("电气线路无私拉乱接", "No improvised wiring"),
                true,
                Engineering,
            ),
        ],
    )
}

/// The supervisor's show-flat inspection, 主管样板房巡查 (seed 001 §8.1): at
/// least twice a day, each problem gets a rectification notice.
pub fn supervisor_show_flat() -> Template {
    const SERVICE: (&str, &str) = ("接待服务", "Reception");
    const FLAT: (&str, &str) = ("样板房", "The flat");
    template(
        "supervisor-show-flat",
        ("主管样板房巡查", "Supervisor show-flat inspection"),
        "001 §8.1",
        "supervisor",
        Schedule::times_per_day(2, at(9, 0), at(18, 0)).ok(),
        &[
            (
                "receptionist",
                SERVICE,
                (
                    "接待员在岗、仪容仪表规范",
                    "Receptionist on post and in uniform",
                ),
                true,
                CustomerService,
            ),
            (
                "shoe-covers",
                SERVICE,
                ("鞋套、雨具备齐", "Shoe covers and rain kit stocked"),
                false,
                CustomerService,
            ),
            (
                "feedback",
                SERVICE,
                ("宾客意见已记录", "Guest feedback recorded"),
                false,
                CustomerService,
            ),
            (
                "clean",
                FLAT,
                ("样板房整洁", "Flat clean and tidy"),
                true,
                Cleaning,
            ),
            (
                "air-conditioning",
                FLAT,
                ("空调温度设定正确(23°C)", "AC set right (23 °C)"),
                false,
                Engineering,
            ),
            (
                "items-counted",
                FLAT,
                ("物品与清点表一致", "Items match the count form"),
                true,
                CustomerService,
            ),
            (
                "quality",
                FLAT,
                (
                    "无施工质量或使用功能问题",
                    "No construction or function problems",
                ),
                true,
                Engineering,
            ),
        ],
    )
}

/// The public-area patrol, 公共区域巡视 (seed 002 quality table): twice per
/// working day.
pub fn public_area_patrol() -> Template {
    const AREAS: (&str, &str) = ("公共区域", "Public areas");
    const FACILITIES: (&str, &str) = ("设施与标识", "Facilities and signs");
    let schedule = Schedule::times_per_day(2, at(8, 0), at(18, 0))
        .and_then(|s| s.with_days(Weekdays::MONDAY_TO_FRIDAY))
        .ok();
    template(
        "public-area",
        ("公共区域巡视", "Public-area patrol"),
        "002 §3",
        "customer-service",
        schedule,
        &[
            (
                "hygiene",
                AREAS,
                ("环境卫生整洁", "Clean and tidy"),
                false,
                Cleaning,
            ),
            (
                "greenery",
                AREAS,
                ("绿化养护良好", "Planting looked after"),
                false,
                Cleaning,
            ),
            (
                "passages",
                AREAS,
                ("通道畅通、无占用", "Passages clear, not occupied"),
                true,
                Security,
            ),
            (
                "proper-use",
                AREAS,
                ("公共场地无不规范使用", "No improper use of public space"),
                true,
                CustomerService,
            ),
            (
                "facilities",
                FACILITIES,
                ("公共设施设备完好", "Public facilities working"),
                true,
                Engineering,
            ),
            (
                "signs",
                FACILITIES,
                ("标识标牌完好", "Signs intact"),
                false,
                CustomerService,
            ),
        ],
    )
}

/// The sweep after construction work, 施工后清场检查 (seed 001 §5.7(4)):
/// started when the work ends; every area checked, workers, tools and
/// materials checked out before they are let go.
pub fn after_construction_sweep() -> Template {
    const SITE: (&str, &str) = ("施工现场", "Work site");
    const LEAVING: (&str, &str) = ("离场检查", "Leaving");
    template(
        "after-construction",
        ("施工后清场检查", "After-construction sweep"),
        "001 §5.7(4)",
        "security",
        None,
        &[
            (
                "areas-checked",
                SITE,
                ("现场各区域逐一排查", "Every area checked"),
                true,
                Security,
            ),
            (
                "debris",
                SITE,
                ("材料、垃圾已清理", "Materials and waste cleared"),
                false,
                Cleaning,
            ),
            (
                "utilities",
                SITE,
                ("水电已关闭", "Water and power off"),
                true,
                Engineering,
            ),
            (
                "workers-left",
                LEAVING,
                ("施工人员已全部离场", "All workers have left"),
                true,
                Security,
            ),
            (
                "items-out",
                LEAVING,
                ("携出物品已检查", "Items carried out checked"),
                true,
                Security,
            ),
            (
                "tools-out",
                LEAVING,
                ("施工工具已清点带离", "Tools counted and removed"),
                false,
                Security,
            ),
            (
                "logged",
                LEAVING,
                ("已登记值班日记", "Entered in the duty log"),
                false,
                Security,
            ),
        ],
    )
}

/// The show flat's opening checks, 样板房开馆检查 (seed 001 §6.2.3.3,
/// §6.2.4.3): before visitors come, with the opening item count.
pub fn show_flat_opening() -> Template {
    const FLAT: (&str, &str) = ("样板房", "The flat");
    const GUESTS: (&str, &str) = ("迎客准备", "Ready for guests");
    template(
        "show-flat-opening",
        ("样板房开馆检查", "Show-flat opening checks"),
        "001 §6.2.3",
        "show-flat",
        Schedule::fixed([at(8, 30)]).ok(),
        &[
            (
                "clean",
                FLAT,
                ("室内清洁、无异味", "Clean, no smells"),
                true,
                Cleaning,
            ),
            (
                "air-conditioning",
                FLAT,
                (
                    "空调设为23°C(室外30°C以上或人多时23–24°C,雨季除湿)",
                    "AC at 23 °C (23–24 °C above 30 °C outside or when busy; dehumidify in the rainy season)",
                ),
                false,
                Engineering,
            ),
            (
                "lights",
                FLAT,
                ("灯光、音响正常", "Lights and audio working"),
                true,
                Engineering,
            ),
            (
                "counted",
                FLAT,
                ("开馆物品清点已完成", "Opening item count done"),
                true,
                CustomerService,
            ),
            (
                "shoe-covers",
                GUESTS,
                (
                    "鞋套备足(布鞋套每日,雨天或高峰用一次性)",
                    "Shoe covers stocked (cloth daily; disposable when busy or raining)",
                ),
                false,
                CustomerService,
            ),
            (
                "rain-kit",
                GUESTS,
                ("雨天备好雨伞套袋机", "Umbrella bagger out on rainy days"),
                false,
                CustomerService,
            ),
        ],
    )
}

/// The show flat's lock-up, 样板房闭馆检查 (seed 001 §6.2.11.4, §6.3.11):
/// after the closing count; keys go to the security post with a signature.
pub fn show_flat_closing() -> Template {
    const FLAT: (&str, &str) = ("样板房", "The flat");
    const HANDOVER: (&str, &str) = ("交接", "Hand-over");
    template(
        "show-flat-closing",
        ("样板房闭馆检查", "Show-flat lock-up"),
        "001 §6.2.11.4",
        "show-flat",
        Schedule::fixed([at(18, 0)]).ok(),
        &[
            (
                "counted",
                FLAT,
                ("闭馆物品清点已完成", "Closing item count done"),
                true,
                CustomerService,
            ),
            (
                "doors-windows",
                FLAT,
                ("门窗已关闭上锁", "Doors and windows locked"),
                true,
                Security,
            ),
            (
                "power",
                FLAT,
                (
                    "灯光、空调、音响、总电源已关闭",
                    "Lights, AC, audio and mains off",
                ),
                true,
                Engineering,
            ),
            (
                "keys",
                HANDOVER,
                (
                    "钥匙已交安管岗并签字",
                    "Keys handed to the security post, signed for",
                ),
                true,
                Security,
            ),
        ],
    )
}

/// Every built-in template, in [`BUILTIN_IDS`] order.
pub fn builtins() -> Vec<Template> {
    vec![
        lobby_opening(),
        show_flat_night_round(),
        show_flat_fire_safety(),
        supervisor_show_flat(),
        public_area_patrol(),
        after_construction_sweep(),
        show_flat_opening(),
        show_flat_closing(),
    ]
}

/// The built-in template with this id.
pub fn builtin(id: &str) -> Option<Template> {
    builtins().into_iter().find(|t| t.id == id)
}
