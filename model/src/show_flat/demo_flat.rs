//! The demo site's show flat: a furnished three-bedroom model apartment
//! with the rooms and items a receptionist counts at opening and closing
//! (《样板房物品清点记录表》), in Chinese and English.

use super::{FlatItem, FlatItems, Room};
use crate::template::Bilingual;

/// The id of the demo show flat.
pub const DEMO_FLAT_ID: &str = "demo-flat-a";

/// One item: (id, (zh, en), expected, where it stands).
type ItemSpec = (
    &'static str,
    (&'static str, &'static str),
    u32,
    &'static str,
);

/// One room: (id, (zh, en), items).
type RoomSpec = (
    &'static str,
    (&'static str, &'static str),
    &'static [ItemSpec],
);

const ROOMS: &[RoomSpec] = &[
    (
        "living",
        ("客厅", "Living room"),
        &[
            ("sofa", ("三人位沙发", "Three-seat sofa"), 1, "面向电视墙"),
            ("armchairs", ("单人沙发椅", "Armchairs"), 2, "沙发两侧"),
            ("cushions", ("抱枕", "Cushions"), 6, "沙发及沙发椅上"),
            ("coffee-table", ("茶几", "Coffee table"), 1, "沙发前"),
            ("rug", ("地毯", "Rug"), 1, "茶几下"),
            ("tv", ("电视机", "TV"), 1, "电视墙"),
            (
                "tv-remote",
                ("电视遥控器", "TV remote control"),
                1,
                "电视柜左侧抽屉",
            ),
            ("tv-cabinet", ("电视柜", "TV cabinet"), 1, "电视墙下"),
            ("floor-lamp", ("落地灯", "Floor lamp"), 1, "沙发右侧"),
            (
                "vases-living",
                ("花瓶（含花艺）", "Vases with flowers"),
                2,
                "茶几、电视柜",
            ),
            ("paintings-living", ("装饰画", "Paintings"), 3, "沙发背景墙"),
            (
                "ornaments-living",
                ("装饰摆件", "Decorative ornaments"),
                4,
                "电视柜上",
            ),
            ("display-books", ("装饰书", "Display books"), 5, "茶几"),
        ],
    ),
    (
        "dining",
        ("餐厅", "Dining room"),
        &[
            ("dining-table", ("餐桌", "Dining table"), 1, ""),
            ("dining-chairs", ("餐椅", "Dining chairs"), 6, "餐桌四周"),
            (
                "place-settings",
                ("餐具套装（盘、碗）", "Place settings (plates, bowls)"),
                6,
                "餐桌每个座位",
            ),
            (
                "cutlery-sets",
                ("刀叉勺套装", "Cutlery sets"),
                6,
                "餐桌每个座位",
            ),
            (
                "wine-glasses",
                ("红酒杯", "Wine glasses"),
                6,
                "餐桌每个座位",
            ),
            (
                "napkins",
                ("餐巾（含餐巾环）", "Napkins with rings"),
                6,
                "餐盘上",
            ),
            (
                "centrepiece",
                ("餐桌花艺", "Table centrepiece"),
                1,
                "餐桌中央",
            ),
            ("sideboard", ("餐边柜", "Sideboard"), 1, "餐厅墙边"),
            (
                "wine-display",
                ("展示酒瓶", "Display wine bottles"),
                3,
                "餐边柜上",
            ),
        ],
    ),
    (
        "kitchen",
        ("厨房", "Kitchen"),
        &[
            ("fridge", ("冰箱", "Refrigerator"), 1, ""),
            ("range-hood", ("抽油烟机", "Range hood"), 1, "灶台上方"),
            ("hob", ("燃气灶", "Gas hob"), 1, ""),
            ("oven", ("嵌入式烤箱", "Built-in oven"), 1, "橱柜内"),
            ("microwave", ("微波炉", "Microwave oven"), 1, "橱柜内"),
            ("kettle", ("电水壶", "Electric kettle"), 1, "台面"),
            ("coffee-machine", ("咖啡机", "Coffee machine"), 1, "台面"),
            (
                "knife-block",
                ("刀具架（含刀）", "Knife block with knives"),
                1,
                "台面",
            ),
            ("cookware", ("锅具", "Pots and pans"), 3, "灶台"),
            ("spice-jars", ("调料瓶", "Spice jars"), 6, "调料架"),
        ],
    ),
    (
        "master-bedroom",
        ("主卧", "Master bedroom"),
        &[
            (
                "king-bed",
                ("双人床（1.8米）", "King-size bed (1.8 m)"),
                1,
                "",
            ),
            (
                "bedding-master",
                ("床上用品套件", "Bedding set"),
                1,
                "被套、床单、枕套",
            ),
            ("pillows-master", ("枕头", "Pillows"), 4, "床头"),
            ("bed-runner", ("床尾巾", "Bed runner"), 1, "床尾"),
            ("bedside-tables", ("床头柜", "Bedside tables"), 2, "床两侧"),
            (
                "bedside-lamps",
                ("床头台灯", "Bedside lamps"),
                2,
                "床头柜上",
            ),
            ("wardrobe", ("衣柜", "Wardrobe"), 1, ""),
            ("hangers", ("衣架", "Clothes hangers"), 10, "衣柜内"),
            (
                "dressing-table",
                ("梳妆台（含凳）", "Dressing table with stool"),
                1,
                "窗边",
            ),
            (
                "painting-master",
                ("床头装饰画", "Painting above the bed"),
                1,
                "床头背景墙",
            ),
            ("slippers-master", ("拖鞋", "Slippers"), 2, "床尾"),
        ],
    ),
    (
        "second-bedroom",
        ("次卧", "Second bedroom"),
        &[
            (
                "double-bed",
                ("双人床（1.5米）", "Double bed (1.5 m)"),
                1,
                "",
            ),
            ("bedding-second", ("床上用品套件", "Bedding set"), 1, ""),
            ("pillows-second", ("枕头", "Pillows"), 2, "床头"),
            (
                "bedside-table-second",
                ("床头柜", "Bedside table"),
                1,
                "床左侧",
            ),
            ("desk", ("书桌", "Desk"), 1, "窗边"),
            ("desk-chair", ("书桌椅", "Desk chair"), 1, "书桌前"),
        ],
    ),
    (
        "childrens-room",
        ("儿童房", "Children's room"),
        &[
            ("kids-bed", ("儿童床", "Child's bed"), 1, ""),
            ("kids-bedding", ("儿童床品", "Child's bedding"), 1, ""),
            ("plush-toys", ("毛绒玩具", "Plush toys"), 5, "床上及收纳柜"),
            ("toy-cabinet", ("玩具收纳柜", "Toy cabinet"), 1, ""),
            (
                "kids-desk-set",
                ("儿童书桌椅", "Child's desk and chair"),
                1,
                "窗边",
            ),
        ],
    ),
    (
        "master-bath",
        ("主卫", "Master bathroom"),
        &[
            ("bath-towels-master", ("浴巾", "Bath towels"), 2, "毛巾架"),
            ("hand-towels-master", ("面巾", "Hand towels"), 2, "毛巾架"),
            (
                "toiletries-master",
                ("洗护用品展示", "Toiletries display"),
                5,
                "洗手台",
            ),
            ("soap-dispenser", ("皂液器", "Soap dispenser"), 1, "洗手台"),
            ("bath-mat", ("浴室地垫", "Bath mat"), 1, "淋浴间外"),
            ("hair-dryer", ("吹风机", "Hair dryer"), 1, "洗手台下柜"),
        ],
    ),
    (
        "bathroom",
        ("次卫", "Bathroom"),
        &[
            ("towels-second", ("毛巾", "Towels"), 2, "毛巾架"),
            (
                "toiletries-second",
                ("洗护用品展示", "Toiletries display"),
                3,
                "洗手台",
            ),
            ("rinse-cups", ("漱口杯", "Rinse cups"), 2, "洗手台"),
        ],
    ),
    (
        "balcony",
        ("阳台", "Balcony"),
        &[
            ("lounge-chairs", ("休闲椅", "Lounge chairs"), 2, ""),
            (
                "balcony-table",
                ("小圆桌", "Small round table"),
                1,
                "休闲椅之间",
            ),
            (
                "potted-plants",
                ("盆栽绿植", "Potted plants"),
                3,
                "阳台栏杆边",
            ),
        ],
    ),
];

/// The demo site's show flat A: nine rooms (客厅, 餐厅, 厨房, 主卧, 次卧,
/// 儿童房, 主卫, 次卫, 阳台) and about sixty items with expected quantities
/// and where they stand.
pub fn demo_flat() -> FlatItems {
    FlatItems {
        flat_id: DEMO_FLAT_ID.to_owned(),
        name: Bilingual::new("样板房A（三室两厅）", "Show flat A (3 bedrooms)"),
        rooms: ROOMS
            .iter()
            .map(|(id, name, items)| Room {
                id: (*id).to_owned(),
                name: Bilingual::new(name.0, name.1),
                items: items
                    .iter()
                    .map(|(id, name, expected, location)| FlatItem {
                        id: (*id).to_owned(),
                        name: Bilingual::new(name.0, name.1),
                        expected: *expected,
                        location: (*location).to_owned(),
                    })
                    .collect(),
            })
            .collect(),
    }
}
