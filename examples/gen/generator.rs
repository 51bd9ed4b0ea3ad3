//! The synthetic registry: its shape, and writers for YAML and BODS 0.4.
//!
//! Shape (N organisations, M stakes, V vendor relationships):
//!
//! - one customer (`northwind`, the registry's `default_org`), a few competitor groups (`rival-1`,
//!   ...: half major, half minor) declared from the customer's point of view and from each
//!   other's;
//! - about a fifth of the organisations are people, 2% funds, 0.1% governments; these are the
//!   ultimate owners and own nothing themselves;
//! - companies sit on holding levels 1 to 20 (each level about 0.72 times the one above). A
//!   company at level L usually has a parent at level L-1 holding a majority or all of it, so
//!   there are holding chains up to 20 deep; one explicit chain runs 20 levels from the first
//!   major competitor down to a vendor;
//! - minority stakes fill the rest, with heavy tails: owners are drawn with a strong bias towards
//!   a few people and funds (fan-out in the thousands) and owned companies with a bias towards a
//!   few widely held ones (fan-in up to 250);
//! - small cross-holding cycles of 2 to 4 companies at 5-40% per link (never 100%);
//! - shares are exact, bands (`{min: 25, max: 50, min_exclusive: true}`) or `unknown`; some
//!   stakes state a separate voting share, some carry board control, a third are dated and a
//!   few have ended;
//! - the known minimum shares of each company's owners never add up to more than 100%, whatever
//!   the date, so the registry is valid;
//! - V vendors of the customer, each with services, data shared, spend, a status, a review date
//!   and attestations; about 2% have a competitor stake (some above the policies' thresholds,
//!   some bands that straddle them); a few have key people who moved to a competitor.
//!
//! Everything is drawn from one seeded xorshift generator, and attributes that are only needed
//! when writing (names, countries, identifiers, revenue) from a generator seeded by the seed and
//! the organisation's index, so that the same parameters give byte-identical files.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// The point of view of the generated registry.
pub const CUSTOMER_ID: &str = "northwind";
const CUSTOMER_NAME: &str = "Northwind AI";
/// The deepest holding level.
pub const MAX_LEVEL: usize = 20;
/// The most owners a company gets from minority stakes.
const MAX_FAN_IN: u16 = 250;
/// Shares are kept in tenths of a percent.
const FULL: u16 = 1000;

pub struct Params {
    pub orgs: usize,
    pub stakes: usize,
    pub vendors: usize,
    pub seed: u64,
    pub shape: Shape,
}

/// Which register to draw.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Shape {
    /// The shape described above: a few competitor groups, 2% of vendors with a competitor
    /// stake.
    #[default]
    Classic,
    /// The register of the scale benchmarks: ten major competitors that are also the largest
    /// holders (12% of the minority stakes, from themselves or the heads of their groups), each
    /// heading a large controlled group (a twentieth of the level-1 companies and what they
    /// hold down the levels); companies on higher levels hold most of the other minority stakes
    /// (64%), and 70% of minority stakes go to companies drawn uniformly rather than among the
    /// widely held, from owners on the three levels just above, so ancestries are wide and
    /// deep; fan-in up to 1,000 owners;
    /// a cross-holding ring of 2 to 4 companies per 1,000 organisations; every vendor
    /// relationship buys a data service and shares data. The organisations' ownership does not
    /// depend on the number of vendors.
    Conglomerates,
}

/// xorshift64*, seeded through splitmix64.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        Rng(if z == 0 { 0x2545_F491_4F6C_DD1D } else { z })
    }

    /// A generator for one item, independent of the order in which items are drawn.
    fn keyed(seed: u64, tag: u64, index: usize) -> Rng {
        Rng::new(seed ^ tag.wrapping_mul(0xA24B_AED4_963E_E407) ^ (index as u64).rotate_left(29))
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn between(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below((hi - lo + 1) as usize) as u32
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// An index in `0..n` biased towards 0: `n * u^power` (a power law with a heavy head).
    /// Integer powers only, so results do not depend on the platform's `pow`.
    fn skewed(&mut self, n: usize, power: u32) -> usize {
        let u = self.unit();
        let mut x = u;
        for _ in 1..power {
            x *= u;
        }
        ((n as f64 * x) as usize).min(n - 1)
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Company,
    Person,
    Fund,
    Government,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Company => "company",
            Kind::Person => "person",
            Kind::Fund => "fund",
            Kind::Government => "government",
        }
    }
}

/// A share in tenths of a percent.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Share {
    Exact(u16),
    Band {
        min: u16,
        max: u16,
        min_exclusive: bool,
    },
    Unknown,
}

impl Share {
    /// What the share adds to its company's known minimum total.
    fn min(self) -> u16 {
        match self {
            Share::Exact(t) => t,
            Share::Band { min, .. } => min,
            Share::Unknown => 0,
        }
    }
}

#[derive(Clone, Debug)]
struct Stake {
    owner: u32,
    owned: u32,
    economic: Share,
    voting: Option<Share>,
    start: Option<i32>,
    end: Option<i32>,
    board: bool,
    /// Millions of USD paid.
    consideration: Option<u32>,
    source: u8,
}

struct Spend {
    year: i32,
    /// Thousands.
    amount: u32,
    currency: &'static str,
    planned: bool,
}

struct Vendor {
    org: u32,
    services: Vec<&'static str>,
    data_shared: Vec<&'static str>,
    spend: Vec<Spend>,
    status: &'static str,
    status_date: Option<i32>,
    last_review: Option<i32>,
    attestations: Vec<(&'static str, i32)>,
    source: u8,
}

struct Role {
    person: u32,
    org: u32,
    role: &'static str,
    start: i32,
    end: Option<i32>,
}

struct Move {
    person: u32,
    from: u32,
    to: u32,
    date: i32,
    role: &'static str,
}

struct Competitor {
    of: u32,
    competitor: u32,
    major: bool,
}

const SOURCES: &[(&str, &str, &str, bool)] = &[
    (
        "companies-register-2025",
        "Companies register extract, June 2025",
        "Companies House",
        false,
    ),
    (
        "annual-reports-2024",
        "Annual reports and accounts for 2024",
        "The companies",
        false,
    ),
    (
        "press-2025",
        "Press coverage of deals and appointments, 2025",
        "Various",
        true,
    ),
    (
        "vendor-questionnaire-2025",
        "Vendor due-diligence questionnaires, 2025",
        "Northwind AI procurement",
        false,
    ),
    (
        "procurement-system",
        "Contracts and spend from the procurement system",
        "Northwind AI procurement",
        false,
    ),
    (
        "analyst-notes",
        "Analyst notes on ownership structures",
        "Northwind AI risk team",
        true,
    ),
];
const REGISTER: u8 = 0;
const ANNUAL: u8 = 1;
const PRESS: u8 = 2;
const QUESTIONNAIRE: u8 = 3;
const PROCUREMENT: u8 = 4;

const DATA_SERVICES: &[&str] = &["data-labelling", "annotation", "rlhf", "training-data"];
const OTHER_SERVICES: &[&str] = &[
    "evaluation",
    "cloud-hosting",
    "payroll",
    "legal",
    "marketing",
    "security-audit",
    "analytics",
    "customer-support",
    "recruiting",
    "office-supplies",
    "consulting",
    "translation",
];
const DATA_KINDS: &[&str] = &[
    "proprietary-training-data",
    "prototype-products",
    "proprietary-data",
    "customer-pii",
    "employee-data",
    "financial-data",
];
const ATTESTATIONS: &[&str] = &["soc2-type2", "iso-27001", "pci-dss", "iso-27701"];
const ROLES: &[&str] = &[
    "ceo",
    "cto",
    "cfo",
    "founder",
    "director",
    "chief-scientist",
];
const MOVE_ROLES: &[&str] = &[
    "vp-engineering",
    "head-of-data",
    "chief-ai-officer",
    "director",
];
const MARKETS: &[&str] = &[
    "frontier-ai-models",
    "cloud-ai",
    "enterprise-assistants",
    "ai-chips",
];
const COUNTRIES: &[(&str, &str)] = &[
    ("US", "United States"),
    ("US", "United States"),
    ("US", "United States"),
    ("GB", "United Kingdom"),
    ("GB", "United Kingdom"),
    ("DE", "Germany"),
    ("FR", "France"),
    ("NL", "Netherlands"),
    ("IE", "Ireland"),
    ("LU", "Luxembourg"),
    ("SG", "Singapore"),
    ("JP", "Japan"),
    ("CA", "Canada"),
    ("NO", "Norway"),
    ("CH", "Switzerland"),
    ("KY", "Cayman Islands"),
];
const SYLLABLES: &[&str] = &[
    "ar", "bel", "cor", "dan", "el", "fen", "gal", "hal", "is", "jor", "kel", "lin", "mar", "nor",
    "ol", "per", "quin", "ros", "sal", "tor", "ul", "ver", "wen", "xan", "yor", "zel", "ka", "mi",
    "ta", "ve", "lo", "ra",
];
const COMPANY_SUFFIXES: &[&str] = &[
    "Ltd",
    "Inc",
    "GmbH",
    "Holdings",
    "Group",
    "Labs",
    "Systems",
    "Partners",
    "SA",
    "BV",
    "Data",
    "Technologies",
];
const FUND_SUFFIXES: &[&str] = &[
    "Capital Partners",
    "Growth Fund II",
    "Ventures",
    "Pension Fund",
    "Investment Trust",
    "Sovereign Fund",
];
const FIRST_NAMES: &[&str] = &[
    "Ada", "Ben", "Chen", "Dara", "Eli", "Femi", "Grace", "Hugo", "Ines", "Jonas", "Kiran", "Lea",
    "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera", "Wei",
    "Yuki", "Zoe",
];
const LAST_NAMES: &[&str] = &[
    "Abe", "Berg", "Costa", "Diaz", "Eriksen", "Fischer", "Garcia", "Haas", "Ito", "Jensen",
    "Kowalski", "Larsen", "Moreau", "Nakamura", "Okafor", "Patel", "Rossi", "Schmidt", "Tanaka",
    "Usman", "Varga", "Weber", "Young", "Zhang",
];

/// Everything to write, drawn once.
pub struct Plan {
    seed: u64,
    kinds: Vec<Kind>,
    leaders: usize,
    majors: usize,
    vendor_flags: Vec<bool>,
    stakes: Vec<Stake>,
    competitors: Vec<Competitor>,
    vendors: Vec<Vendor>,
    roles: Vec<Role>,
    moves: Vec<Move>,
}

/// Index ranges of the kinds, in the order of the organisation list.
struct Layout {
    leaders: usize,
    persons: std::ops::Range<usize>,
    funds: std::ops::Range<usize>,
    governments: std::ops::Range<usize>,
    /// Companies of level L are `level_start[L]..level_start[L + 1]`, L in 1..=MAX_LEVEL.
    level_start: Vec<usize>,
}

impl Layout {
    fn companies(&self) -> std::ops::Range<usize> {
        self.level_start[1]..self.level_start[MAX_LEVEL + 1]
    }

    fn level(&self, level: usize) -> std::ops::Range<usize> {
        self.level_start[level]..self.level_start[level + 1]
    }

    fn level_of(&self, company: usize) -> usize {
        (1..=MAX_LEVEL)
            .find(|&l| self.level(l).contains(&company))
            .unwrap_or(0)
    }

    /// The company of the deep chain at `level`: the last of its level.
    fn chain(&self, level: usize) -> usize {
        self.level_start[level + 1] - 1
    }

    /// The companies of `level` other than the chain's.
    fn ordinary(&self, level: usize) -> std::ops::Range<usize> {
        self.level_start[level]..self.level_start[level + 1] - 1
    }
}

struct Builder {
    rng: Rng,
    used: Vec<u16>,
    fan_in: Vec<u16>,
    pairs: HashSet<u64>,
    stakes: Vec<Stake>,
}

impl Builder {
    fn has_pair(&self, owner: usize, owned: usize) -> bool {
        self.pairs
            .contains(&(((owner as u64) << 32) | owned as u64))
    }

    /// Room left under 100% for known minimum shares of `owned`.
    fn room(&self, owned: usize) -> u16 {
        FULL - self.used[owned]
    }

    fn add(&mut self, stake: Stake) -> bool {
        let (owner, owned) = (stake.owner as usize, stake.owned as usize);
        if owner == owned || self.has_pair(owner, owned) || stake.economic.min() > self.room(owned)
        {
            return false;
        }
        self.pairs.insert(((owner as u64) << 32) | owned as u64);
        self.used[owned] += stake.economic.min();
        self.fan_in[owned] = self.fan_in[owned].saturating_add(1);
        self.stakes.push(stake);
        true
    }

    fn dates(&mut self, dated: f64, ended: f64) -> (Option<i32>, Option<i32>) {
        let start = self
            .rng
            .chance(dated)
            .then(|| days(2000, 1, 1) + self.rng.below(9_496) as i32);
        let end = self.rng.chance(ended).then(|| match start {
            Some(s) => s + 30 + self.rng.below(3_000) as i32,
            None => days(2018, 1, 1) + self.rng.below(3_000) as i32,
        });
        (start, end)
    }

    fn stake(&mut self, owner: usize, owned: usize, economic: Share, source: u8) -> Stake {
        let (start, end) = self.dates(0.33, 0.03);
        Stake {
            owner: owner as u32,
            owned: owned as u32,
            economic,
            voting: None,
            start,
            end,
            board: false,
            consideration: None,
            source,
        }
    }

    /// A majority or whole holding by a parent.
    fn parent_share(&mut self) -> Share {
        let r = self.rng.unit();
        if r < 0.55 {
            Share::Exact(FULL)
        } else if r < 0.85 {
            Share::Exact(self.rng.between(51, 99) as u16 * 10)
        } else if r < 0.93 {
            Share::Exact(self.rng.between(20, 50) as u16 * 10)
        } else {
            Share::Band {
                min: 750,
                max: FULL,
                min_exclusive: true,
            }
        }
    }

    /// A minority share that fits in `room`.
    fn minority_share(&mut self, room: u16) -> Share {
        if room < 5 {
            return Share::Unknown;
        }
        let r = self.rng.unit();
        if r < 0.70 {
            let cap = room.min(300) as u32;
            let tenths = self.rng.between(5, cap.max(5));
            if self.rng.chance(0.6) && tenths >= 10 {
                Share::Exact((tenths / 10 * 10) as u16)
            } else {
                Share::Exact(tenths as u16)
            }
        } else if r < 0.86 {
            const BANDS: &[(u16, u16, bool)] = &[
                (0, 50, true),
                (50, 100, false),
                (100, 250, false),
                (250, 500, true),
                (500, 750, true),
            ];
            let fitting: Vec<_> = BANDS.iter().filter(|b| b.0 <= room).collect();
            let &(min, max, min_exclusive) = self.rng.pick(&fitting);
            Share::Band {
                min,
                max,
                min_exclusive,
            }
        } else {
            Share::Unknown
        }
    }
}

impl Plan {
    pub fn new(params: &Params) -> Result<Plan, String> {
        match params.shape {
            Shape::Classic => Plan::classic(params),
            Shape::Conglomerates => Plan::conglomerates(params),
        }
    }

    fn classic(params: &Params) -> Result<Plan, String> {
        let n = params.orgs;
        if n < 100 {
            return Err("--orgs must be at least 100".into());
        }
        let (majors, minors) = if n >= 1000 { (4, 4) } else { (2, 1) };
        let (layout, kinds) = Layout::new(n, majors + minors);
        let leaders = layout.leaders;
        let company_count = layout.companies().len();
        if params.vendors == 0 || params.vendors > company_count / 2 {
            return Err(format!(
                "--vendors must be between 1 and {} for {n} organisations",
                company_count / 2
            ));
        }
        let org_count = kinds.len();
        let mut b = Builder::new(params.seed, org_count, params.stakes);
        b.deep_chain(&layout);

        // Parents: the customer and the competitors head a few groups at level 1; below,
        // most companies have a parent on the level above, with a bias towards a few large
        // holding companies.
        let subsidiaries = b.groups(&layout, 0.003, 0.015);
        b.parents(&layout, params.stakes);
        b.cycles(&layout, (n / 2000).max(1));

        // Vendors: the end of the deep chain, then distinct companies at random.
        let chosen = choose_vendors(&mut b.rng, &layout, params.vendors);
        let mut vendor_flags = vec![false; org_count];
        for &v in &chosen {
            vendor_flags[v as usize] = true;
        }

        // Competitor stakes in about 2% of the vendors, from a competitor or one of its
        // subsidiaries: below, above and straddling the policies' thresholds.
        for &vendor in &chosen[1..] {
            if !b.rng.chance(0.02) {
                continue;
            }
            let leader = 1 + b.rng.skewed(leaders, 2);
            let owner = if b.rng.chance(0.35) && !subsidiaries[leader].is_empty() {
                b.rng.pick(&subsidiaries[leader])
            } else {
                leader
            };
            let room = b.room(vendor as usize);
            let r = b.rng.unit();
            let economic = if room < 10 {
                Share::Unknown
            } else if r < 0.4 {
                Share::Exact(b.rng.between(10, 49).min(room as u32) as u16)
            } else if r < 0.7 {
                Share::Exact(b.rng.between(50, 199).min(room as u32) as u16)
            } else if r < 0.9 {
                Share::Exact(b.rng.between(200, 490).min(room as u32) as u16)
            } else if room >= 100 {
                Share::Band {
                    min: 100,
                    max: 300,
                    min_exclusive: false,
                }
            } else {
                Share::Unknown
            };
            let mut stake = b.stake(owner, vendor as usize, economic, PRESS);
            if b.rng.chance(0.3) {
                stake.voting = Some(Share::Exact(0));
            }
            stake.start = Some(days(2019, 1, 1) + b.rng.below(2_370) as i32);
            stake.end = None;
            b.add(stake);
        }

        let holders = Holders {
            leaders: 0.0,
            subsidiaries: &subsidiaries,
            max_fan_in: MAX_FAN_IN,
            cumulative: [0.62, 0.84, 0.85],
            spread: 0.0,
        };
        b.minority_stakes(&layout, params.stakes, &holders);
        if b.stakes.len() < params.stakes {
            return Err(too_many_stakes(&b, params));
        }

        let relationships = Relationships::draw(&mut b.rng, &chosen, &layout, false);
        Ok(Plan {
            seed: params.seed,
            kinds,
            leaders,
            majors,
            vendor_flags,
            stakes: b.stakes,
            competitors: competitor_declarations(leaders, majors),
            vendors: relationships.vendors,
            roles: relationships.roles,
            moves: relationships.moves,
        })
    }

    /// The register of the scale benchmarks: ten major competitors that are the largest
    /// holders of the register, each heading a large controlled group, and a customer whose
    /// vendors are all data vendors. Ownership is drawn before, and independently of, the
    /// vendor list: the same seed, organisation and stake counts give the same organisations
    /// and stakes for any number of vendors, so checks with 1 and with 100,000 vendors read
    /// the same register.
    fn conglomerates(params: &Params) -> Result<Plan, String> {
        let n = params.orgs;
        if n < 1000 {
            return Err("--orgs must be at least 1000 for --shape conglomerates".into());
        }
        let majors = 10;
        let (layout, kinds) = Layout::new(n, majors);
        let company_count = layout.companies().len();
        if params.vendors == 0 || params.vendors > company_count {
            return Err(format!(
                "--vendors must be between 1 and {company_count} for {n} organisations"
            ));
        }
        let org_count = kinds.len();
        let mut b = Builder::new(params.seed, org_count, params.stakes);
        b.deep_chain(&layout);
        // One level-1 company in twenty heads a competitor's subsidiary tree, which the
        // parents below extend down the levels: groups of thousands at 100,000 organisations.
        let subsidiaries = b.groups(&layout, 0.0, 0.05);
        b.parents(&layout, params.stakes);
        b.cycles(&layout, (n / 1000).max(1));
        let holders = Holders {
            leaders: 0.12,
            subsidiaries: &subsidiaries,
            max_fan_in: 1_000,
            cumulative: [0.25, 0.35, 0.36],
            spread: 0.7,
        };
        b.minority_stakes(&layout, params.stakes, &holders);
        if b.stakes.len() < params.stakes {
            return Err(too_many_stakes(&b, params));
        }

        let mut rng = Rng::keyed(params.seed, 6, 0);
        let chosen = choose_vendors(&mut rng, &layout, params.vendors);
        let mut vendor_flags = vec![false; org_count];
        for &v in &chosen {
            vendor_flags[v as usize] = true;
        }
        let relationships = Relationships::draw(&mut rng, &chosen, &layout, true);
        Ok(Plan {
            seed: params.seed,
            kinds,
            leaders: layout.leaders,
            majors,
            vendor_flags,
            stakes: b.stakes,
            competitors: competitor_declarations(layout.leaders, majors),
            vendors: relationships.vendors,
            roles: relationships.roles,
            moves: relationships.moves,
        })
    }

    pub fn org_count(&self) -> usize {
        self.kinds.len()
    }

    pub fn stake_count(&self) -> usize {
        self.stakes.len()
    }

    pub fn vendor_count(&self) -> usize {
        self.vendors.len()
    }

    /// The ids of the customer's vendors, in the order they were drawn: with the conglomerates
    /// shape, the first N of a plan with more vendors are the vendors of a plan with N.
    pub fn vendor_ids(&self) -> Vec<String> {
        self.vendors
            .iter()
            .map(|v| self.id(v.org as usize))
            .collect()
    }

    /// The id of the vendor at the end of the 20-level chain under the first major competitor.
    pub fn deep_chain_vendor(&self) -> String {
        self.id(self.vendors[0].org as usize)
    }

    fn id(&self, index: usize) -> String {
        if index == 0 {
            return CUSTOMER_ID.to_string();
        }
        if index <= self.leaders {
            return format!("rival-{index}");
        }
        let prefix = match self.kinds[index] {
            Kind::Company => "co",
            Kind::Person => "pe",
            Kind::Fund => "fu",
            Kind::Government => "gov",
        };
        format!("{prefix}-{index:07}")
    }

    fn name(&self, index: usize) -> String {
        if index == 0 {
            return CUSTOMER_NAME.to_string();
        }
        let mut rng = Rng::keyed(self.seed, 1, index);
        if index <= self.leaders {
            let tier = if index <= self.majors { "" } else { " Minor" };
            return format!("{}{tier} Rival {index}", word(&mut rng));
        }
        match self.kinds[index] {
            Kind::Company => format!("{} {}", word(&mut rng), rng.pick(COMPANY_SUFFIXES)),
            Kind::Person => format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES)),
            Kind::Fund => format!("{} {}", word(&mut rng), rng.pick(FUND_SUFFIXES)),
            Kind::Government => format!("Government of {}", country(self.seed, index).1),
        }
    }

    /// Writes the YAML registry: sources, organisations, stakes, competitors, vendors, people.
    pub fn write_yaml(&self, dir: &Path) -> io::Result<Vec<String>> {
        fs::create_dir_all(dir)?;
        let mut files = Vec::new();
        let mut out = create(dir, "sources.yaml", &mut files)?;
        self.write_sources(&mut out)?;
        out.flush()?;

        let mut out = create(dir, "organisations.yaml", &mut files)?;
        writeln!(out, "{}", header("organisations"))?;
        writeln!(
            out,
            "version: 1\ndefault_org: {CUSTOMER_ID}\n\norganisations:"
        )?;
        for index in 0..self.kinds.len() {
            self.write_org(&mut out, index)?;
        }
        out.flush()?;

        let mut out = create(dir, "stakes.yaml", &mut files)?;
        writeln!(out, "{}", header("stakes"))?;
        writeln!(out, "stakes:")?;
        for (i, s) in self.stakes.iter().enumerate() {
            write!(
                out,
                "  - {{owner: {}, owned: {}, economic: {}",
                self.id(s.owner as usize),
                self.id(s.owned as usize),
                share_yaml(s.economic, i)
            )?;
            if let Some(v) = s.voting {
                write!(out, ", voting: {}", share_yaml(v, i))?;
            }
            if let Some(d) = s.start {
                write!(out, ", start: {}", date(d))?;
            }
            if let Some(d) = s.end {
                write!(out, ", end: {}", date(d))?;
            }
            if s.board {
                write!(out, ", board: true")?;
            }
            if let Some(m) = s.consideration {
                write!(out, ", consideration: {m}M USD")?;
            }
            writeln!(out, ", source: {}}}", SOURCES[s.source as usize].0)?;
        }
        out.flush()?;

        let mut out = create(dir, "competitors.yaml", &mut files)?;
        self.write_competitors(&mut out)?;
        out.flush()?;
        let mut out = create(dir, "vendors.yaml", &mut files)?;
        self.write_vendors(&mut out)?;
        out.flush()?;
        let mut out = create(dir, "people.yaml", &mut files)?;
        self.write_people(&mut out)?;
        out.flush()?;
        Ok(files)
    }

    /// Writes the organisations and stakes as BODS 0.4 JSON Lines (`ownership.jsonl`: entity and
    /// person records, then relationship records) and the rest as YAML, with record ids equal to
    /// the registry ids.
    pub fn write_bods(&self, dir: &Path) -> io::Result<Vec<String>> {
        fs::create_dir_all(dir)?;
        let mut files = Vec::new();
        let mut out = create(dir, "sources.yaml", &mut files)?;
        self.write_sources(&mut out)?;
        writeln!(out, "\ndefault_org: {CUSTOMER_ID}")?;
        out.flush()?;

        let mut out = create(dir, "ownership.jsonl", &mut files)?;
        for index in 0..self.kinds.len() {
            self.write_bods_party(&mut out, index)?;
        }
        for (i, s) in self.stakes.iter().enumerate() {
            self.write_bods_relationship(&mut out, i, s)?;
        }
        out.flush()?;

        let mut out = create(dir, "competitors.yaml", &mut files)?;
        self.write_competitors(&mut out)?;
        out.flush()?;
        let mut out = create(dir, "vendors.yaml", &mut files)?;
        self.write_vendors(&mut out)?;
        out.flush()?;
        let mut out = create(dir, "people.yaml", &mut files)?;
        self.write_people(&mut out)?;
        out.flush()?;
        Ok(files)
    }

    fn write_sources(&self, out: &mut impl Write) -> io::Result<()> {
        writeln!(out, "{}", header("sources"))?;
        writeln!(out, "sources:")?;
        for (id, title, publisher, secondary) in SOURCES {
            writeln!(
                out,
                "  - {{id: {id}, title: \"{title}\", publisher: \"{publisher}\", secondary: {secondary}}}"
            )?;
        }
        Ok(())
    }

    fn write_org(&self, out: &mut impl Write, index: usize) -> io::Result<()> {
        let kind = self.kinds[index];
        let mut rng = Rng::keyed(self.seed, 2, index);
        let (code, _) = country(self.seed, index);
        let identifier =
            (kind == Kind::Company && rng.chance(0.4)).then(|| identifier(&mut rng, code));
        let alias = (kind == Kind::Company && rng.chance(0.05)).then(|| {
            let name = self.name(index);
            name.split(' ').next().unwrap_or_default().to_string()
        });
        let revenue = (self.vendor_flags[index] && rng.chance(0.6))
            || (kind == Kind::Company && rng.chance(0.02));
        let source = if rng.chance(0.8) { REGISTER } else { ANNUAL };
        let id = self.id(index);
        let name = self.name(index);
        if identifier.is_none() && alias.is_none() && !revenue {
            let country = match kind {
                Kind::Person => String::new(),
                _ => format!(", country: {code}"),
            };
            return writeln!(
                out,
                "  - {{id: {id}, name: \"{name}\", kind: {}{country}, source: {}}}",
                kind.name(),
                SOURCES[source as usize].0
            );
        }
        writeln!(out, "  - id: {id}")?;
        writeln!(out, "    name: \"{name}\"")?;
        writeln!(out, "    kind: {}", kind.name())?;
        if let Some(alias) = alias {
            writeln!(out, "    aliases: [\"{alias}\"]")?;
        }
        writeln!(out, "    country: {code}")?;
        if let Some((scheme, value)) = identifier {
            writeln!(
                out,
                "    identifiers:\n      - {{scheme: {scheme}, id: \"{value}\"}}"
            )?;
        }
        if revenue {
            writeln!(out, "    revenue:")?;
            let millions = 1 + rng.skewed(5_000, 3) as u32;
            for (year, growth) in [(2023, 100), (2024, 100 + rng.below(40) as u32)] {
                writeln!(
                    out,
                    "      - {{year: {year}, amount: {}M USD, source: annual-reports-2024}}",
                    millions * growth / 100
                )?;
            }
        }
        writeln!(out, "    source: {}", SOURCES[source as usize].0)
    }

    fn write_competitors(&self, out: &mut impl Write) -> io::Result<()> {
        writeln!(out, "{}", header("competitors"))?;
        writeln!(out, "competitors:")?;
        for (i, c) in self.competitors.iter().enumerate() {
            let markets = if c.major {
                format!("[{}, {}]", MARKETS[0], MARKETS[1 + i % 3])
            } else {
                format!("[{}]", MARKETS[1 + i % 3])
            };
            writeln!(
                out,
                "  - {{of: {}, competitor: {}, tier: {}, markets: {markets}, source: press-2025}}",
                self.id(c.of as usize),
                self.id(c.competitor as usize),
                if c.major { "major" } else { "minor" }
            )?;
        }
        Ok(())
    }

    fn write_vendors(&self, out: &mut impl Write) -> io::Result<()> {
        writeln!(out, "{}", header("vendor relationships"))?;
        writeln!(out, "vendors:")?;
        for v in &self.vendors {
            writeln!(out, "  - customer: {CUSTOMER_ID}")?;
            writeln!(out, "    vendor: {}", self.id(v.org as usize))?;
            writeln!(out, "    services: [{}]", v.services.join(", "))?;
            if !v.data_shared.is_empty() {
                writeln!(out, "    data_shared: [{}]", v.data_shared.join(", "))?;
            }
            if !v.spend.is_empty() {
                writeln!(out, "    spend:")?;
                for s in &v.spend {
                    writeln!(
                        out,
                        "      - {{year: {}, amount: {}, kind: {}}}",
                        s.year,
                        money(s.amount, s.currency),
                        if s.planned { "planned" } else { "actual" }
                    )?;
                }
            }
            writeln!(out, "    status: {}", v.status)?;
            if let Some(d) = v.status_date {
                writeln!(out, "    status_date: {}", date(d))?;
            }
            if let Some(d) = v.last_review {
                writeln!(out, "    last_review: {}", date(d))?;
            }
            if !v.attestations.is_empty() {
                writeln!(out, "    attestations:")?;
                for (kind, expires) in &v.attestations {
                    writeln!(out, "      - {{kind: {kind}, expires: {}}}", date(*expires))?;
                }
            }
            writeln!(out, "    source: {}", SOURCES[v.source as usize].0)?;
        }
        Ok(())
    }

    fn write_people(&self, out: &mut impl Write) -> io::Result<()> {
        writeln!(out, "{}", header("roles and moves"))?;
        // An empty `roles:` would be null, which the schema rejects.
        writeln!(
            out,
            "roles:{}",
            if self.roles.is_empty() { " []" } else { "" }
        )?;
        for r in &self.roles {
            write!(
                out,
                "  - {{person: {}, org: {}, role: {}, start: {}",
                self.id(r.person as usize),
                self.id(r.org as usize),
                r.role,
                date(r.start)
            )?;
            if let Some(end) = r.end {
                write!(out, ", end: {}", date(end))?;
            }
            writeln!(out, ", source: {}}}", SOURCES[QUESTIONNAIRE as usize].0)?;
        }
        writeln!(
            out,
            "\nmoves:{}",
            if self.moves.is_empty() { " []" } else { "" }
        )?;
        for m in &self.moves {
            writeln!(
                out,
                "  - {{person: {}, from: {}, to: {}, date: {}, role: {}, source: press-2025}}",
                self.id(m.person as usize),
                self.id(m.from as usize),
                self.id(m.to as usize),
                date(m.date),
                m.role
            )?;
        }
        Ok(())
    }

    fn statement_id(&self, tag: u64, index: usize) -> String {
        let mut rng = Rng::keyed(self.seed, tag, index);
        format!("{:016x}{:016x}", rng.next_u64(), rng.next_u64())
    }

    fn write_bods_party(&self, out: &mut impl Write, index: usize) -> io::Result<()> {
        let id = self.id(index);
        let name = json_string(&self.name(index));
        let (code, country_name) = country(self.seed, index);
        let kind = self.kinds[index];
        let mut rng = Rng::keyed(self.seed, 2, index);
        let identifier =
            (kind == Kind::Company && rng.chance(0.4)).then(|| identifier(&mut rng, code));
        let head = format!(
            "{{\"statementId\":\"{}\",\"statementDate\":\"2025-06-30\",\"publicationDetails\":{{\"publicationDate\":\"2025-06-30\",\"bodsVersion\":\"0.4\",\"publisher\":{{\"name\":\"vrisk synthetic registry\"}}}},\"declarationSubject\":\"{id}\",\"recordId\":\"{id}\",\"recordStatus\":\"new\"",
            self.statement_id(3, index)
        );
        if kind == Kind::Person {
            return writeln!(
                out,
                "{head},\"recordType\":\"person\",\"recordDetails\":{{\"isComponent\":false,\"personType\":\"knownPerson\",\"names\":[{{\"type\":\"legal\",\"fullName\":{name}}}],\"nationalities\":[{{\"name\":\"{country_name}\",\"code\":\"{code}\"}}]}}}}"
            );
        }
        let entity_type = match kind {
            Kind::Fund => "legalEntity",
            Kind::Government => "state",
            _ => "registeredEntity",
        };
        let identifiers = identifier
            .map(|(scheme, value)| {
                format!(",\"identifiers\":[{{\"scheme\":\"{scheme}\",\"id\":\"{value}\"}}]")
            })
            .unwrap_or_default();
        writeln!(
            out,
            "{head},\"recordType\":\"entity\",\"recordDetails\":{{\"isComponent\":false,\"entityType\":{{\"type\":\"{entity_type}\"}},\"name\":{name},\"jurisdiction\":{{\"name\":\"{country_name}\",\"code\":\"{code}\"}}{identifiers}}}}}"
        )
    }

    fn write_bods_relationship(&self, out: &mut impl Write, i: usize, s: &Stake) -> io::Result<()> {
        let subject = self.id(s.owned as usize);
        let party = self.id(s.owner as usize);
        let mut dates = String::new();
        if let Some(d) = s.start {
            dates.push_str(&format!(",\"startDate\":\"{}\"", date(d)));
        }
        if let Some(d) = s.end {
            // BODS: the date from which the interest ceased; vrisk: the last day it counts.
            dates.push_str(&format!(",\"endDate\":\"{}\"", date(d + 1)));
        }
        let mut interests = vec![interest("shareholding", s.economic, &dates)];
        if let Some(v) = s.voting {
            interests.push(interest("votingRights", v, &dates));
        }
        if s.board {
            interests.push(format!(
                "{{\"type\":\"appointmentOfBoard\",\"directOrIndirect\":\"direct\",\"beneficialOwnershipOrControl\":false{dates}}}"
            ));
        }
        writeln!(
            out,
            "{{\"statementId\":\"{}\",\"statementDate\":\"2025-06-30\",\"publicationDetails\":{{\"publicationDate\":\"2025-06-30\",\"bodsVersion\":\"0.4\",\"publisher\":{{\"name\":\"vrisk synthetic registry\"}}}},\"source\":{{\"type\":[\"officialRegister\"],\"description\":\"{}\"}},\"declarationSubject\":\"{subject}\",\"recordId\":\"rel-{i:08}\",\"recordStatus\":\"new\",\"recordType\":\"relationship\",\"recordDetails\":{{\"isComponent\":false,\"subject\":\"{subject}\",\"interestedParty\":\"{party}\",\"interests\":[{}]}}}}",
            self.statement_id(4, i),
            SOURCES[s.source as usize].1,
            interests.join(",")
        )
    }
}

/// Who, besides people, funds, governments and companies higher up, holds minority stakes.
struct Holders<'a> {
    /// The share of minority stakes held by a competitor or one of its level-1 subsidiaries.
    leaders: f64,
    /// The level-1 subsidiaries of each competitor (index 0 is the customer).
    subsidiaries: &'a [Vec<usize>],
    /// The most owners a company gets from minority stakes.
    max_fan_in: u16,
    /// Of the other minority stakes, the cumulative shares held by people, then funds, then
    /// governments; companies on the levels above hold the rest.
    cumulative: [f64; 3],
    /// The share of minority stakes in a company drawn uniformly rather than among the widely
    /// held ones.
    spread: f64,
}

impl Layout {
    /// The organisation list: the customer, `leaders` competitors, a fifth people, 2% funds,
    /// 0.1% governments, and companies on levels 1 to 20 (each about 0.72 times the one
    /// above), with the kind of each organisation.
    fn new(n: usize, leaders: usize) -> (Layout, Vec<Kind>) {
        let persons = n / 5;
        let funds = (n / 50).max(1);
        let governments = (n / 1000).max(1);
        let company_count = n - 1 - leaders - persons - funds - governments;
        // Companies per level: geometric, at least two per level (one for the deep chain).
        let mut weights = [1.0f64; MAX_LEVEL];
        for l in 1..MAX_LEVEL {
            weights[l] = weights[l - 1] * 0.72;
        }
        let total: f64 = weights.iter().sum();
        let mut counts: Vec<usize> = weights
            .iter()
            .map(|w| ((company_count as f64 * w / total) as usize).max(2))
            .collect();
        let assigned: usize = counts.iter().sum();
        counts[0] = (counts[0] + company_count).saturating_sub(assigned).max(2);
        let first_company = 1 + leaders + persons + funds + governments;
        let mut level_start = vec![0usize; MAX_LEVEL + 2];
        level_start[1] = first_company;
        for l in 1..=MAX_LEVEL {
            level_start[l + 1] = level_start[l] + counts[l - 1];
        }
        let layout = Layout {
            leaders,
            persons: 1 + leaders..1 + leaders + persons,
            funds: 1 + leaders + persons..1 + leaders + persons + funds,
            governments: 1 + leaders + persons + funds..first_company,
            level_start,
        };
        let mut kinds = vec![Kind::Company; layout.level_start[MAX_LEVEL + 1]];
        for i in layout.persons.clone() {
            kinds[i] = Kind::Person;
        }
        for i in layout.funds.clone() {
            kinds[i] = Kind::Fund;
        }
        for i in layout.governments.clone() {
            kinds[i] = Kind::Government;
        }
        (layout, kinds)
    }
}

impl Builder {
    fn new(seed: u64, org_count: usize, stakes: usize) -> Builder {
        Builder {
            rng: Rng::new(seed),
            used: vec![0; org_count],
            fan_in: vec![0; org_count],
            pairs: HashSet::with_capacity(stakes),
            stakes: Vec::with_capacity(stakes),
        }
    }

    /// The deep chain: rival-1 -> level 1 -> ... -> level 20 (a vendor), majority links.
    fn deep_chain(&mut self, layout: &Layout) {
        let mut owner = 1;
        for l in 1..=MAX_LEVEL {
            let company = layout.chain(l);
            let economic = if l == 1 {
                Share::Exact(FULL)
            } else {
                Share::Exact(self.rng.pick(&[1000u16, 750, 600, 510]))
            };
            let mut stake = self.stake(owner, company, economic, REGISTER);
            stake.start = None;
            stake.end = None;
            stake.board = l % 5 == 0;
            self.add(stake);
            owner = company;
        }
    }

    /// Majority holdings of the customer (in a `customer` share of level-1 companies) and of
    /// the competitors (up to a cumulative `leader` share) in level-1 companies: the heads of
    /// their groups, listed per leader.
    fn groups(&mut self, layout: &Layout, customer: f64, leader: f64) -> Vec<Vec<usize>> {
        let leaders = layout.leaders;
        let mut subsidiaries: Vec<Vec<usize>> = vec![Vec::new(); leaders + 1];
        for company in layout.ordinary(1) {
            let r = self.rng.unit();
            let head = if r < customer {
                0
            } else if r < leader {
                1 + self.rng.skewed(leaders, 2)
            } else {
                continue;
            };
            let economic = Share::Exact(self.rng.between(51, 100) as u16 * 10);
            let mut stake = self.stake(head, company, economic, REGISTER);
            stake.board = self.rng.chance(0.3);
            if self.add(stake) {
                subsidiaries[head].push(company);
            }
        }
        subsidiaries
    }

    /// Below level 1, most companies have a parent on the level above, with a bias towards a
    /// few large holding companies.
    fn parents(&mut self, layout: &Layout, stakes: usize) {
        let company_count = layout.companies().len();
        let mandatory = self.stakes.len();
        let parent_chance =
            (0.85f64).min(stakes.saturating_sub(mandatory) as f64 * 0.45 / company_count as f64);
        for l in 2..=MAX_LEVEL {
            let above = layout.ordinary(l - 1);
            for company in layout.ordinary(l) {
                if !self.rng.chance(parent_chance) {
                    continue;
                }
                let parent = above.start + self.rng.skewed(above.len(), 2);
                let economic = self.parent_share();
                let mut stake = self.stake(parent, company, economic, REGISTER);
                stake.board = economic.min() >= 500 && self.rng.chance(0.1);
                if self.rng.chance(0.05) {
                    stake.consideration = Some(self.rng.between(1, 5_000));
                }
                self.add(stake);
            }
        }
    }

    /// `count` small cross-holding cycles of 2 to 4 companies, never at 100%.
    fn cycles(&mut self, layout: &Layout, count: usize) {
        let companies = layout.companies();
        for _ in 0..count {
            let k = 2 + self.rng.below(3);
            let mut ring: Vec<usize> = Vec::with_capacity(k);
            while ring.len() < k {
                let c = companies.start + self.rng.below(companies.len());
                if !ring.contains(&c) && layout.chain(layout.level_of(c)) != c {
                    ring.push(c);
                }
            }
            for i in 0..k {
                let (from, to) = (ring[i], ring[(i + 1) % k]);
                let share = (self.rng.between(5, 40) as u16 * 10).min(self.room(to) / 10 * 10);
                if share >= 10 {
                    let stake = self.stake(from, to, Share::Exact(share), ANNUAL);
                    self.add(stake);
                }
            }
        }
    }

    /// Minority stakes up to `wanted` stakes in all: owned companies drawn with a bias towards
    /// a few widely held ones, owners with a bias towards a few people and funds.
    fn minority_stakes(&mut self, layout: &Layout, wanted: usize, holders: &Holders) {
        let companies = layout.companies();
        let mut hubs: Vec<u32> = companies.clone().map(|c| c as u32).collect();
        for i in (1..hubs.len()).rev() {
            let j = self.rng.below(i + 1);
            hubs.swap(i, j);
        }
        let mut attempts = 0usize;
        while self.stakes.len() < wanted && attempts < wanted * 20 {
            attempts += 1;
            let spread = holders.spread > 0.0 && self.rng.chance(holders.spread);
            let mut owned = if spread {
                hubs[self.rng.below(hubs.len())] as usize
            } else {
                hubs[self.rng.skewed(hubs.len(), 2)] as usize
            };
            if self.fan_in[owned] >= holders.max_fan_in {
                owned = hubs[self.rng.below(hubs.len())] as usize;
            }
            let level = layout.level_of(owned);
            let owner = if holders.leaders > 0.0 && self.rng.chance(holders.leaders) {
                // A competitor, or a subsidiary at the head of its group (which owns downwards).
                let leader = 1 + self.rng.skewed(layout.leaders, 2);
                let heads = &holders.subsidiaries[leader];
                if level >= 2 && !heads.is_empty() && self.rng.chance(0.5) {
                    self.rng.pick(heads)
                } else {
                    leader
                }
            } else {
                let r = self.rng.unit();
                let [persons, funds, governments] = holders.cumulative;
                if r < persons {
                    layout.persons.start + self.rng.skewed(layout.persons.len(), 2)
                } else if r < funds || (r >= governments && level < 2) {
                    layout.funds.start + self.rng.skewed(layout.funds.len(), 3)
                } else if r < governments {
                    layout.governments.start + self.rng.below(layout.governments.len())
                } else {
                    // A company on a level above: owning runs downwards, apart from the cycles.
                    // Spread stakes come from the few levels just above, biased ones from the top.
                    if spread {
                        let from = level.saturating_sub(3).max(1);
                        let above = layout.level_start[from]..layout.level_start[level];
                        above.start + self.rng.below(above.len())
                    } else {
                        let above = layout.level_start[1]..layout.level_start[level];
                        above.start + self.rng.skewed(above.len(), 2)
                    }
                }
            };
            let room = self.room(owned);
            let economic = self.minority_share(room);
            let source = if self.rng.chance(0.7) {
                REGISTER
            } else {
                ANNUAL
            };
            let mut stake = self.stake(owner, owned, economic, source);
            if self.rng.chance(0.06) {
                stake.voting = Some(match economic {
                    Share::Exact(t) if self.rng.chance(0.5) => Share::Exact(t / 2),
                    _ => Share::Exact(0),
                });
            }
            stake.board = self.rng.chance(0.005);
            self.add(stake);
        }
    }
}

fn too_many_stakes(b: &Builder, params: &Params) -> String {
    format!(
        "could only place {} of {} stakes among {} organisations; ask for fewer stakes",
        b.stakes.len(),
        params.stakes,
        params.orgs
    )
}

/// The customer's vendors: the end of the deep chain, then distinct companies at random.
fn choose_vendors(rng: &mut Rng, layout: &Layout, count: usize) -> Vec<u32> {
    let chain_end = layout.chain(MAX_LEVEL);
    let mut pool: Vec<u32> = layout
        .companies()
        .filter(|&c| c != chain_end)
        .map(|c| c as u32)
        .collect();
    let mut chosen = vec![chain_end as u32];
    for i in 0..count - 1 {
        let j = i + rng.below(pool.len() - i);
        pool.swap(i, j);
        chosen.push(pool[i]);
    }
    chosen
}

/// Each rival from the customer's point of view, and the rivals among themselves.
fn competitor_declarations(leaders: usize, majors: usize) -> Vec<Competitor> {
    let mut competitors = Vec::new();
    for leader in 1..=leaders {
        competitors.push(Competitor {
            of: 0,
            competitor: leader as u32,
            major: leader <= majors,
        });
    }
    for leader in 1..=leaders {
        competitors.push(Competitor {
            of: leader as u32,
            competitor: 0,
            major: true,
        });
        if leader < leaders {
            competitors.push(Competitor {
                of: leader as u32,
                competitor: leader as u32 + 1,
                major: leader < majors,
            });
        }
    }
    competitors
}

/// The customer's vendor relationships, with the key people of some vendors and their moves.
struct Relationships {
    vendors: Vec<Vendor>,
    roles: Vec<Role>,
    moves: Vec<Move>,
}

impl Relationships {
    /// With `data_only`, every relationship buys a data service and shares data.
    fn draw(rng: &mut Rng, chosen: &[u32], layout: &Layout, data_only: bool) -> Relationships {
        let leaders = layout.leaders;
        let mut vendors = Vec::with_capacity(chosen.len());
        let mut roles = Vec::new();
        let mut moves = Vec::new();
        for (i, &org) in chosen.iter().enumerate() {
            let mut services: Vec<&'static str> = Vec::new();
            if i == 0 || data_only || rng.chance(0.25) {
                services.push(rng.pick(DATA_SERVICES));
            }
            for _ in 0..rng.below(3) {
                services.push(rng.pick(OTHER_SERVICES));
            }
            if services.is_empty() {
                services.push(rng.pick(OTHER_SERVICES));
            }
            services.sort_unstable();
            services.dedup();
            let mut data_shared: Vec<&'static str> = Vec::new();
            if i == 0 || data_only || rng.chance(0.55) {
                for _ in 0..1 + rng.below(2) {
                    data_shared.push(rng.pick(DATA_KINDS));
                }
            }
            data_shared.sort_unstable();
            data_shared.dedup();
            let mut spend = Vec::new();
            if rng.chance(0.7) {
                let currency = rng.pick(&["USD", "USD", "USD", "USD", "EUR", "GBP"]);
                let base = 10 + rng.skewed(20_000, 3) as u32;
                let first = 2022 + rng.below(3) as i32;
                for year in first..=2025 {
                    spend.push(Spend {
                        year,
                        amount: base + rng.below(base as usize / 2 + 1) as u32,
                        currency,
                        planned: year == 2025 && rng.chance(0.5),
                    });
                }
            }
            let r = rng.unit();
            let (status, status_date) = if r < 0.85 {
                ("active", None)
            } else if r < 0.95 {
                ("exiting", Some(days(2024, 1, 1) + rng.below(700) as i32))
            } else {
                ("ended", Some(days(2022, 1, 1) + rng.below(1_200) as i32))
            };
            let last_review = rng
                .chance(0.9)
                .then(|| days(2022, 1, 1) + rng.below(1_300) as i32);
            let attestations = (0..rng.below(3))
                .map(|_| {
                    (
                        rng.pick(ATTESTATIONS),
                        days(2024, 1, 1) + rng.below(1_100) as i32,
                    )
                })
                .collect::<Vec<_>>();
            let mut attestations = attestations;
            attestations.sort_unstable();
            attestations.dedup_by_key(|a| a.0);
            vendors.push(Vendor {
                org,
                services,
                data_shared,
                spend,
                status,
                status_date,
                last_review,
                attestations,
                source: if rng.chance(0.8) {
                    PROCUREMENT
                } else {
                    QUESTIONNAIRE
                },
            });
            if rng.chance(0.06) {
                for _ in 0..1 + rng.below(2) {
                    let person = (layout.persons.start + rng.below(layout.persons.len())) as u32;
                    let start = days(2010, 1, 1) + rng.below(5_000) as i32;
                    let role = rng.pick(ROLES);
                    if rng.chance(0.2) {
                        let date = days(2024, 7, 1) + rng.below(365) as i32;
                        let to = 1 + rng.below(leaders) as u32;
                        moves.push(Move {
                            person,
                            from: org,
                            to,
                            date,
                            role: rng.pick(MOVE_ROLES),
                        });
                        roles.push(Role {
                            person,
                            org,
                            role,
                            start,
                            end: Some(date),
                        });
                    } else {
                        roles.push(Role {
                            person,
                            org,
                            role,
                            start,
                            end: None,
                        });
                    }
                }
            }
        }
        Relationships {
            vendors,
            roles,
            moves,
        }
    }
}

fn interest(kind: &str, share: Share, dates: &str) -> String {
    let share = match share {
        Share::Exact(t) => format!(",\"share\":{{\"exact\":{}}}", tenths(t)),
        Share::Band {
            min,
            max,
            min_exclusive,
        } => {
            let lower = if min_exclusive {
                "exclusiveMinimum"
            } else {
                "minimum"
            };
            format!(
                ",\"share\":{{\"{lower}\":{},\"maximum\":{}}}",
                tenths(min),
                tenths(max)
            )
        }
        Share::Unknown => String::new(),
    };
    format!(
        "{{\"type\":\"{kind}\",\"directOrIndirect\":\"direct\",\"beneficialOwnershipOrControl\":false{share}{dates}}}"
    )
}

fn create(dir: &Path, name: &str, files: &mut Vec<String>) -> io::Result<BufWriter<File>> {
    files.push(name.to_string());
    Ok(BufWriter::with_capacity(
        1 << 20,
        File::create(dir.join(name))?,
    ))
}

fn header(what: &str) -> String {
    format!(
        "# yaml-language-server: $schema=https://vrisk.dev/schemas/registry.schema.json\n#\n# Synthetic registry ({what}), written by `cargo run --release --example gen`. Not real data."
    )
}

/// A made-up word of two or three syllables, capitalised.
fn word(rng: &mut Rng) -> String {
    let mut w = String::new();
    for _ in 0..2 + rng.below(2) {
        w.push_str(rng.pick(SYLLABLES));
    }
    let mut chars = w.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => w,
    }
}

fn country(seed: u64, index: usize) -> (&'static str, &'static str) {
    if index == 0 {
        return ("US", "United States");
    }
    Rng::keyed(seed, 5, index).pick(COUNTRIES)
}

fn identifier(rng: &mut Rng, country: &str) -> (&'static str, String) {
    match country {
        "GB" => ("GB-COH", format!("{:08}", rng.below(100_000_000))),
        "US" => (
            "US-EIN",
            format!("{:02}-{:07}", 10 + rng.below(89), rng.below(10_000_000)),
        ),
        _ => {
            const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
            let lei: String = (0..20)
                .map(|_| ALNUM[rng.below(ALNUM.len())] as char)
                .collect();
            ("XI-LEI", lei)
        }
    }
}

fn tenths(t: u16) -> String {
    if t.is_multiple_of(10) {
        format!("{}", t / 10)
    } else {
        format!("{}.{}", t / 10, t % 10)
    }
}

/// A share as the registry writes it; the form varies with the stake (`49%`, `49`, `12.5%`).
fn share_yaml(share: Share, i: usize) -> String {
    match share {
        Share::Exact(t) if t.is_multiple_of(10) && i % 7 == 3 => tenths(t),
        Share::Exact(t) => format!("{}%", tenths(t)),
        Share::Band {
            min,
            max,
            min_exclusive,
        } => {
            let open = if min_exclusive {
                ", min_exclusive: true"
            } else {
                ""
            };
            format!("{{min: {}, max: {}{open}}}", tenths(min), tenths(max))
        }
        Share::Unknown => "unknown".to_string(),
    }
}

/// `1.5M USD` for round amounts, else `1234K USD`.
fn money(thousands: u32, currency: &str) -> String {
    if thousands >= 1_000 && thousands.is_multiple_of(100) {
        format!("{}M {currency}", tenths((thousands / 100) as u16))
    } else {
        format!("{thousands}K {currency}")
    }
}

fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Days since 1970-01-01 of a civil date.
fn days(year: i32, month: u32, day: u32) -> i32 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = month as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `YYYY-MM-DD` of days since 1970-01-01.
fn date(days: i32) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + if month <= 2 { 1 } else { 0 };
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_round_trip() {
        use super::{date, days};
        assert_eq!(days(1970, 1, 1), 0);
        assert_eq!(date(days(2024, 2, 29)), "2024-02-29");
        assert_eq!(date(days(2025, 12, 31) + 1), "2026-01-01");
    }
}
