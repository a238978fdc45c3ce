//! Explainable red flags: phrases that scam scripts use, matched on whole folded words
//! so that they hold for accented, unaccented and teencode text alike.
//!
//! A flag is a fact shown to the reader with its span; it is also a feature of the
//! trained model, which learns how much each flag weighs. A request for a one-time
//! code preceded by "không" / "đừng" / "tuyệt đối không" is the bank's own warning,
//! not a request: such negated phrases raise no flag (they become the `safety_advice`
//! feature instead).

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use once_cell::sync::Lazy;

use super::normalize::Token;

/// What a red flag is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Flag {
    /// Asks for a one-time code, password or card number.
    CredentialRequest,
    /// Asks to send or pay money.
    MoneyRequest,
    /// Pressure of time.
    Urgency,
    /// Threatens a lock, a cut, an arrest or a fine.
    Threat,
    /// Promises a prize, gift, refund or subsidy.
    PrizeLure,
    /// Promises easy money: commissions, tasks, guaranteed profits.
    EasyMoney,
    /// Claims to be the police, a court, the tax office.
    AuthorityClaim,
    /// Moves the talk to a private chat.
    MoveToChat,
    /// Asks to install an app.
    AppInstall,
    /// Asks to keep it secret.
    Secrecy,
    /// Links to a site that imitates a protected brand.
    LookalikeLink,
    /// Links through a shortener, a bare IP address or a cheap top-level domain.
    RiskyLink,
    /// Contains an identifier that the public has reported.
    ReportedIdentifier,
    /// Letters written apart, invisible characters, look-alike letters.
    FilterEvasion,
    /// A personal or foreign number that claims to be a bank, a carrier or an authority.
    SenderImpersonation,
    /// Asks to log in, enter or update details (banks' own notices say so too).
    LoginRequest,
    /// Says you have won a prize (a car, a phone, a lucky draw).
    PrizeWin,
    /// Advertises gambling, betting or sex services (illegal in Vietnam, and the
    /// bait of the commonest spam with short links).
    IllicitService,
}

impl Flag {
    /// Every flag.
    pub const ALL: [Flag; 18] = [
        Flag::CredentialRequest,
        Flag::MoneyRequest,
        Flag::Urgency,
        Flag::Threat,
        Flag::PrizeLure,
        Flag::EasyMoney,
        Flag::AuthorityClaim,
        Flag::MoveToChat,
        Flag::AppInstall,
        Flag::Secrecy,
        Flag::LookalikeLink,
        Flag::RiskyLink,
        Flag::ReportedIdentifier,
        Flag::FilterEvasion,
        Flag::SenderImpersonation,
        Flag::LoginRequest,
        Flag::PrizeWin,
        Flag::IllicitService,
    ];

    /// Whether phrases of the text raise this flag (the others come from links,
    /// identifiers, the sender or the way the text is written).
    pub fn is_phrase(self) -> bool {
        PHRASES.iter().any(|(flag, _, _)| *flag == self)
    }

    /// Stable key.
    pub fn key(self) -> &'static str {
        match self {
            Flag::CredentialRequest => "credential_request",
            Flag::MoneyRequest => "money_request",
            Flag::Urgency => "urgency",
            Flag::Threat => "threat",
            Flag::PrizeLure => "prize_lure",
            Flag::EasyMoney => "easy_money",
            Flag::AuthorityClaim => "authority_claim",
            Flag::MoveToChat => "move_to_chat",
            Flag::AppInstall => "app_install",
            Flag::Secrecy => "secrecy",
            Flag::LookalikeLink => "lookalike_link",
            Flag::RiskyLink => "risky_link",
            Flag::ReportedIdentifier => "reported_identifier",
            Flag::FilterEvasion => "filter_evasion",
            Flag::SenderImpersonation => "sender_impersonation",
            Flag::LoginRequest => "login_request",
            Flag::PrizeWin => "prize_win",
            Flag::IllicitService => "illicit_service",
        }
    }

    /// For people.
    pub fn label(self, lang: canhgiac_core::i18n::Lang) -> &'static str {
        use canhgiac_core::i18n::Lang::{En, Vi};
        match (self, lang) {
            (Flag::CredentialRequest, Vi) => "Đòi mã OTP, mật khẩu hoặc thông tin thẻ",
            (Flag::CredentialRequest, En) => "Asks for a one-time code, password or card details",
            (Flag::MoneyRequest, Vi) => "Yêu cầu chuyển tiền hoặc nộp phí",
            (Flag::MoneyRequest, En) => "Asks you to transfer money or pay a fee",
            (Flag::Urgency, Vi) => "Thúc ép thời gian",
            (Flag::Urgency, En) => "Time pressure",
            (Flag::Threat, Vi) => "Đe dọa khóa tài khoản, cắt dịch vụ, bắt giữ hoặc phạt",
            (Flag::Threat, En) => "Threatens a lock, a cut-off, an arrest or a fine",
            (Flag::PrizeLure, Vi) => "Hứa hẹn quà tặng, giải thưởng, hoàn tiền hoặc trợ cấp",
            (Flag::PrizeLure, En) => "Promises a gift, prize, refund or subsidy",
            (Flag::EasyMoney, Vi) => "Hứa hẹn tiền dễ kiếm: hoa hồng, nhiệm vụ, lợi nhuận cao",
            (Flag::EasyMoney, En) => "Promises easy money: commissions, tasks, high returns",
            (Flag::AuthorityClaim, Vi) => "Tự xưng là công an, tòa án, cơ quan thuế",
            (Flag::AuthorityClaim, En) => "Claims to be the police, a court or the tax office",
            (Flag::MoveToChat, Vi) => "Kéo sang nhắn tin riêng (Zalo, Telegram)",
            (Flag::MoveToChat, En) => "Moves the talk to a private chat (Zalo, Telegram)",
            (Flag::AppInstall, Vi) => "Yêu cầu cài đặt ứng dụng",
            (Flag::AppInstall, En) => "Asks you to install an app",
            (Flag::Secrecy, Vi) => "Yêu cầu giữ bí mật",
            (Flag::Secrecy, En) => "Asks you to keep it secret",
            (Flag::LookalikeLink, Vi) => "Đường link giả mạo trang web của một thương hiệu",
            (Flag::LookalikeLink, En) => "Link to a site imitating a brand",
            (Flag::RiskyLink, Vi) => "Đường link rút gọn, địa chỉ IP hoặc tên miền rẻ tiền",
            (Flag::RiskyLink, En) => "Shortened link, bare IP address or cheap domain",
            (Flag::ReportedIdentifier, Vi) => {
                "Chứa số điện thoại, tài khoản hoặc trang web đã bị báo cáo"
            }
            (Flag::ReportedIdentifier, En) => {
                "Contains a reported phone number, account or website"
            }
            (Flag::FilterEvasion, Vi) => {
                "Chữ bị tách rời, ký tự ẩn hoặc chữ giả dạng để lách bộ lọc"
            }
            (Flag::FilterEvasion, En) => {
                "Letters spaced out, hidden or disguised to slip past filters"
            }
            (Flag::SenderImpersonation, Vi) => {
                "Số điện thoại cá nhân hoặc số nước ngoài nhưng tự xưng là ngân hàng, nhà mạng hay cơ quan chức năng"
            }
            (Flag::PrizeWin, Vi) => "Báo bạn trúng thưởng, trúng xe, trúng điện thoại",
            (Flag::PrizeWin, En) => "Says you have won a prize, a car or a phone",
            (Flag::IllicitService, Vi) => "Quảng cáo cờ bạc, cá độ hoặc dịch vụ mại dâm",
            (Flag::IllicitService, En) => "Advertises gambling, betting or sex services",
            (Flag::LoginRequest, Vi) => "Yêu cầu đăng nhập, nhập hoặc cập nhật thông tin",
            (Flag::LoginRequest, En) => "Asks you to log in, enter or update your details",
            (Flag::SenderImpersonation, En) => {
                "A personal or foreign number that claims to be a bank, a carrier or an authority"
            }
        }
    }
}

/// Phrases per flag, in folded words. `true`: the phrase can be negated.
const PHRASES: &[(Flag, bool, &[&str])] = &[
    (
        Flag::CredentialRequest,
        true,
        &[
            "cung cap ma",
            "cung cap otp",
            "cung cap mat khau",
            "doc ma",
            "doc lai ma",
            "doc otp",
            "gui ma",
            "gui lai ma",
            "gui otp",
            "ma otp vua nhan",
            "ma xac nhan vua nhan",
            "ma vua nhan",
            "so vua nhan",
            "ma cvv",
            "cvv",
            "ngay het han the",
        ],
    ),
    (
        // A bank's own one-time-code message says "nhập mã OTP" and its device
        // notice says "đăng nhập": a fact to show, not proof.
        Flag::LoginRequest,
        true,
        &[
            "nhap ma otp",
            "nhap otp",
            "nhap mat khau",
            "thong tin the",
            "so the",
            "mat khau dang nhap",
            "ten dang nhap",
            "dang nhap",
            "xac thuc thong tin",
            "cap nhat thong tin",
            "nhap thong tin",
        ],
    ),
    (
        Flag::MoneyRequest,
        false,
        &[
            "chuyen khoan vao",
            "chuyen tien vao",
            "chuyen gap",
            "chuyen giup",
            "chuyen lai",
            "nap tien",
            "nop phi",
            "dong phi",
            "phi nhan",
            "phi mo khoa",
            "phi thong quan",
            "phi luu kho",
            "phi ho so",
            "coc",
            "dat coc",
            "nop phat",
            "cho muon",
            "muon tien",
            "tam giu",
            "chuyen toan bo",
            "thanh toan phi",
            "thanh toan ngay",
            "chuyen truoc",
            "chuyen khoan truoc",
            "vao so tai khoan",
            "vao tai khoan",
            "chuyen nham",
        ],
    ),
    (
        Flag::Urgency,
        false,
        &[
            "gap",
            "khan cap",
            "ngay lap tuc",
            "xac thuc ngay",
            "ngay hom nay",
            "trong 24h",
            "trong 24 gio",
            "sau 24h",
            "sau 24 gio",
            "trong 2 gio",
            "sau 2 gio",
            "sau hai gio",
            "trong 12 gio",
            "trong 48 gio",
            "het han",
            "truoc khi het han",
            "cang som cang tot",
            "so luong co han",
            "co hoi cuoi",
        ],
    ),
    (
        Flag::Threat,
        false,
        &[
            "bi khoa",
            "tam khoa",
            "khoa tai khoan",
            "khoa thue bao",
            "khoa sim",
            "khoa vinh vien",
            "thu hoi",
            "cat dien",
            "cat nuoc",
            "lenh bat",
            "truy na",
            "tam giam",
            "cuong che",
            "tuoc bang",
            "no xau",
            "xu ly hinh su",
            "tam dung giao dich",
            "bi phat",
            "phat nguoi",
            "vi pham",
            "rua tien",
            "bi gian doan",
            "khoa 2 chieu",
            "bi thu hoi",
        ],
    ),
    (
        Flag::PrizeWin,
        false,
        &[
            "trung thuong",
            "da trung giai",
            "trung giai",
            "trung xe",
            "trung 1 xe",
            "trung mot xe",
            "trung iphone",
            "trung dien thoai",
            "trung sh",
            "khach hang may man",
            "may man trung",
            "chu nhan cua giai thuong",
        ],
    ),
    (
        // Illegal services: a police warning says "không tham gia cá độ", so negatable.
        Flag::IllicitService,
        true,
        &[
            // Folded words: no "lô đề" ("lo để"), "đánh đề" ("dành để"), "nạp đầu"
            // ("nạp đầu tiên" in carrier promotions), "đổi thưởng" (loyalty points)
            // or "cờ bạc" (police campaigns against it).
            "nha cai",
            "ca cuoc",
            "ca do bong da",
            "ca do online",
            "no hu",
            "tai xiu",
            "casino",
            "soi cau",
            "ban ca doi thuong",
            "game bai doi thuong",
            "cong game",
            "xoc dia",
            "da ga",
            "baccarat",
            "keo bong",
            "soi keo",
            "gai goi",
            "gai xinh",
            "gai dich vu",
            "phuc vu tan tinh",
            "chat sex",
            "kich duc",
            "tim ban tinh",
            "tinh mot dem",
            "sugar baby",
            "bao nuoi",
            "clip nong",
        ],
    ),
    (
        Flag::PrizeLure,
        false,
        &[
            "nhan qua",
            "qua tang",
            "tri an",
            "voucher",
            "doi qua",
            "diem thuong",
            "hoan tien",
            "hoan thue",
            "tro cap",
            "nhan ngay",
            "giai thuong",
            "phan thuong",
            "may man",
            "mien phi",
            "tang 100",
            "nhan thuong",
        ],
    ),
    (
        Flag::EasyMoney,
        false,
        &[
            "viec nhe luong cao",
            "hoa hong",
            "lam nhiem vu",
            "nhiem vu",
            "loi nhuan",
            "cam ket",
            "bao lai",
            "thu nhap",
            "lam tai nha",
            "khong can kinh nghiem",
            "lai moi ngay",
            "hoan von",
            "giai ngan",
            "khong tham dinh",
            "lai 0",
        ],
    ),
    (
        Flag::AuthorityClaim,
        false,
        &[
            "cong an",
            "vien kiem sat",
            "toa an",
            "canh sat",
            "csgt",
            "co quan dieu tra",
            "dieu tra vien",
            "can bo thu ly",
            "cuc thue",
            "co quan thue",
            "bo cong an",
            "bao hiem xa hoi",
            "chinh phu",
        ],
    ),
    (
        Flag::MoveToChat,
        false,
        &[
            "ket ban zalo",
            "zalo",
            "telegram",
            "inbox",
            "nhom vip",
            "vao nhom",
            "lien he zalo",
        ],
    ),
    (
        Flag::AppInstall,
        false,
        &[
            "cai dat ung dung",
            "cai ung dung",
            "apk",
            "cai app",
            "cai dat app",
            // not "tai ung dung" / "tai app": unaccented, "tại ứng dụng" (in the
            // app) reads the same as "tải ứng dụng" (download the app)
            "tai ve ung dung",
            "tai va cai",
        ],
    ),
    (
        Flag::Secrecy,
        false,
        &[
            "khong duoc tiet lo",
            "dung noi",
            "giu bi mat",
            "khong noi voi ai",
            "dung noi voi ai",
        ],
    ),
];

/// Words that, shortly before a phrase, turn it into advice.
const NEGATORS: &[&str] = &["khong", "dung", "chang", "never", "not"];
/// How many words before a phrase a negator counts.
const NEGATION_WINDOW: usize = 6;

struct Matcher {
    automaton: AhoCorasick,
    /// Per pattern: flag and whether it can be negated.
    meta: Vec<(Flag, bool)>,
}

static MATCHER: Lazy<Matcher> = Lazy::new(|| {
    let mut patterns = Vec::new();
    let mut meta = Vec::new();
    for (flag, negatable, phrases) in PHRASES {
        for p in *phrases {
            patterns.push(format!(" {p} "));
            meta.push((*flag, *negatable));
        }
    }
    // Every pattern starts with a space, so a prefilter finds nothing to skip; a DFA
    // reads a message in one pass.
    let automaton = AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .kind(Some(AhoCorasickKind::DFA))
        .prefilter(false)
        .build(&patterns)
        .unwrap_or_else(|e| panic!("red-flag phrases are fixed and valid: {e}"));
    Matcher { automaton, meta }
});

/// A phrase found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// The flag.
    pub flag: Flag,
    /// First word.
    pub first: usize,
    /// One past the last word.
    pub last: usize,
}

/// Phrase hits, and whether advice phrases ("không cung cấp mã OTP") were seen.
#[derive(Debug, Default)]
pub struct PhraseHits {
    /// Red flags raised.
    pub hits: Vec<Hit>,
    /// A negated credential or money phrase: the sender's own warning.
    pub safety_advice: bool,
}

/// Finds the phrases in the words of a message.
pub fn phrases(tokens: &[Token]) -> PhraseHits {
    // " w1 w2 w3 ": every word padded by one space, with the byte offset of each word.
    let mut haystack =
        String::with_capacity(tokens.iter().map(|t| t.text.len() + 1).sum::<usize>() + 1);
    let mut starts = Vec::with_capacity(tokens.len());
    haystack.push(' ');
    for t in tokens {
        starts.push(haystack.len());
        haystack.push_str(&t.text);
        haystack.push(' ');
    }
    let word_at = |byte: usize| starts.partition_point(|&s| s <= byte).saturating_sub(1);
    let mut out = PhraseHits::default();
    for m in MATCHER.automaton.find_overlapping_iter(&haystack) {
        let Some(&(flag, negatable)) = MATCHER.meta.get(m.pattern().as_usize()) else {
            continue;
        };
        let first = word_at(m.start() + 1);
        let last = word_at(m.end().saturating_sub(2)) + 1;
        if negatable {
            let from = first.saturating_sub(NEGATION_WINDOW);
            if tokens[from..first]
                .iter()
                .any(|t| NEGATORS.contains(&t.text.as_str()))
            {
                out.safety_advice = true;
                continue;
            }
        }
        out.hits.push(Hit { flag, first, last });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::normalize::normalize;

    fn flags(text: &str) -> Vec<&'static str> {
        let mut f: Vec<_> = phrases(&normalize(text).tokens)
            .hits
            .into_iter()
            .map(|h| h.flag.key())
            .collect();
        f.sort();
        f.dedup();
        f
    }

    #[test]
    fn scam_phrases_raise_flags_in_any_spelling() {
        assert_eq!(
            flags("Vui lòng đọc mã OTP vừa nhận"),
            ["credential_request"]
        );
        assert_eq!(
            flags("vui long doc ma OTP vua nhan"),
            ["credential_request"]
        );
        assert!(
            flags("ck gấp vào stk này").contains(&"money_request")
                || flags("ck gấp vào stk này").contains(&"urgency")
        );
        assert!(flags("Tài khoản sẽ bị khóa sau 24h").contains(&"threat"));
        assert!(flags("Tài khoản sẽ bị khóa sau 24h").contains(&"urgency"));
    }

    #[test]
    fn gambling_and_sex_services_are_flagged_but_not_look_alike_words() {
        assert_eq!(
            flags("Nhà cái uy tín, nổ hũ tặng 100k"),
            ["illicit_service"]
        );
        assert_eq!(flags("Gái xinh phục vụ tận tình 24/7"), ["illicit_service"]);
        assert!(flags("Tặng 50% cho lần nạp đầu tiên").is_empty());
        assert!(flags("Bố mẹ lo để dành tiền cho con").is_empty());
        assert!(flags("Đổi thưởng điểm tích lũy Viettel++").is_empty());
        assert!(flags("Tuyệt đối không tham gia cá độ bóng đá").is_empty());
    }

    #[test]
    fn a_bank_warning_is_advice_not_a_request() {
        let hits = phrases(&normalize("Tuyệt đối không cung cấp mã OTP cho bất kỳ ai").tokens);
        assert!(hits.hits.iter().all(|h| h.flag != Flag::CredentialRequest));
        assert!(hits.safety_advice);
    }

    #[test]
    fn spans_cover_the_phrase_words() {
        let n = normalize("Xin chào, hãy chuyển khoản vào số này");
        let hit = phrases(&n.tokens)
            .hits
            .into_iter()
            .find(|h| h.flag == Flag::MoneyRequest)
            .expect("money request");
        let words: Vec<&str> = n.tokens[hit.first..hit.last]
            .iter()
            .map(|t| t.text.as_str())
            .collect();
        assert_eq!(words, ["chuyen", "khoan", "vao"]);
    }
}

#[cfg(test)]
mod order {
    use super::Flag;

    #[test]
    fn all_lists_the_flags_in_declaration_order() {
        for (i, f) in Flag::ALL.iter().enumerate() {
            assert_eq!(*f as usize, i, "{}", f.key());
        }
    }
}
