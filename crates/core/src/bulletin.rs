//! Bulletins: warnings about one or more scam methods, drafted for an audience and
//! for each channel agencies push them out on (SMS, Zalo Official Account, fanpage,
//! printed leaflet). The drafts are a starting point that an analyst edits.

pub mod edit;

use serde::{Deserialize, Serialize};

use crate::fold::unaccent;
use crate::methods::Method;
use crate::sms;

/// Whom a bulletin speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Industrial-park workers.
    Workers,
    /// Pupils and students.
    Students,
    /// Elderly people.
    Elderly,
    /// Officials and Party members.
    Officials,
    /// Everyone.
    Public,
}

impl Audience {
    /// Every audience, in menu order.
    pub const ALL: [Audience; 5] = [
        Audience::Public,
        Audience::Workers,
        Audience::Students,
        Audience::Elderly,
        Audience::Officials,
    ];

    /// Stable key.
    pub fn key(self) -> &'static str {
        match self {
            Audience::Workers => "workers",
            Audience::Students => "students",
            Audience::Elderly => "elderly",
            Audience::Officials => "officials",
            Audience::Public => "public",
        }
    }

    /// From its key.
    pub fn from_key(key: &str) -> Option<Audience> {
        Audience::ALL.into_iter().find(|a| a.key() == key)
    }

    /// Vietnamese name.
    pub fn label(self) -> &'static str {
        match self {
            Audience::Workers => "Công nhân khu công nghiệp",
            Audience::Students => "Học sinh, sinh viên",
            Audience::Elderly => "Người cao tuổi",
            Audience::Officials => "Cán bộ, đảng viên",
            Audience::Public => "Người dân",
        }
    }

    /// How a bulletin addresses them.
    fn greeting(self) -> &'static str {
        match self {
            Audience::Workers => "Anh chị em công nhân lưu ý",
            Audience::Students => "Các bạn học sinh, sinh viên lưu ý",
            Audience::Elderly => "Ông bà, cô chú lưu ý",
            Audience::Officials => "Cán bộ, đảng viên lưu ý",
            Audience::Public => "Bà con lưu ý",
        }
    }

    /// One line of why it concerns them.
    fn why(self) -> &'static str {
        match self {
            Audience::Workers => "Kẻ gian nhắm vào người đi làm xa nhà, cần việc thêm và cần vay tiền nhanh.",
            Audience::Students => "Kẻ gian nhắm vào người trẻ qua mạng xã hội, việc làm thêm, học bổng và trò chơi.",
            Audience::Elderly => "Kẻ gian hay gọi điện cho người lớn tuổi, dọa nạt hoặc giả làm con cháu, cơ quan nhà nước.",
            Audience::Officials => "Kẻ gian giả danh cơ quan, lãnh đạo và dùng tên tuổi cán bộ để lừa người khác; hãy làm gương và nhắc nhở người xung quanh.",
            Audience::Public => "Ai cũng có thể bị nhắm tới, nhất là khi đang vội hoặc đang lo lắng.",
        }
    }
}

/// A channel a bulletin goes out on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Text message.
    Sms,
    /// Zalo Official Account message.
    Zalo,
    /// Facebook fanpage post.
    Fanpage,
    /// Printed A5 leaflet.
    Leaflet,
}

impl Channel {
    /// Every channel.
    pub const ALL: [Channel; 4] = [
        Channel::Sms,
        Channel::Zalo,
        Channel::Fanpage,
        Channel::Leaflet,
    ];

    /// Stable key.
    pub fn key(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Zalo => "zalo",
            Channel::Fanpage => "fanpage",
            Channel::Leaflet => "leaflet",
        }
    }

    /// From its key.
    pub fn from_key(key: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.key() == key)
    }

    /// Vietnamese name.
    pub fn label(self) -> &'static str {
        match self {
            Channel::Sms => "Tin nhắn SMS",
            Channel::Zalo => "Zalo OA",
            Channel::Fanpage => "Fanpage",
            Channel::Leaflet => "Tờ rơi A5 (PDF)",
        }
    }
}

/// The police emergency number, printed on every bulletin.
pub const HOTLINE: &str = "113";

/// The longest text of each part an analyst may save (characters).
pub mod limits {
    /// Title.
    pub const TITLE: usize = 200;
    /// SMS (either variant): 10 segments at most.
    pub const SMS: usize = 1_530;
    /// Zalo OA message (Zalo's own limit for a text message).
    pub const ZALO: usize = 2_000;
    /// Fanpage post.
    pub const FANPAGE: usize = 5_000;
    /// One line of the leaflet.
    pub const LEAFLET_LINE: usize = 200;
    /// Lines in a leaflet list.
    pub const LEAFLET_LINES: usize = 6;
}

/// The printable leaflet's content.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leaflet {
    /// The big heading.
    pub heading: String,
    /// Warning signs (at most [`limits::LEAFLET_LINES`]).
    pub red_flags: Vec<String>,
    /// What to do (at most [`limits::LEAFLET_LINES`]).
    pub advice: Vec<String>,
}

/// Every variant of a bulletin.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Drafts {
    /// Title, for the warnings page and the feeds.
    pub title: String,
    /// SMS with diacritics (UCS-2).
    pub sms: String,
    /// SMS without diacritics, in the GSM 7-bit alphabet, at most two segments.
    pub sms_plain: String,
    /// Zalo OA message.
    pub zalo: String,
    /// Fanpage post, with hashtags and the check-page link.
    pub fanpage: String,
    /// Leaflet.
    pub leaflet: Leaflet,
}

/// Short names for SMS: the part of a method's name before the first comma or
/// parenthesis ("Giả danh công an, viện kiểm sát, tòa án" → "Giả danh công an").
fn short_name(m: &Method) -> &str {
    let name = m.name_vi.as_str();
    let cut = name.find([',', '(', ':', ';']).unwrap_or(name.len());
    name[..cut].trim()
}

/// A hashtag from a name: its first words, unaccented, each capitalised.
fn hashtag(name: &str) -> String {
    let words: String = unaccent(name)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(4)
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + cs.as_str(),
                None => String::new(),
            }
        })
        .collect();
    format!("#{words}")
}

fn bullets(lines: &[String], at_most: usize) -> String {
    lines
        .iter()
        .take(at_most)
        .map(|l| format!("• {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Distinct lines from the methods, in order, at most `n`.
fn merged(methods: &[&Method], lines: impl Fn(&Method) -> &[String], n: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // round-robin so that every method gets its first lines in
    let longest = methods.iter().map(|m| lines(m).len()).max().unwrap_or(0);
    for i in 0..longest {
        for m in methods {
            if let Some(l) = lines(m).get(i) {
                if out.len() < n && !out.contains(l) {
                    out.push(l.clone());
                }
            }
        }
    }
    out
}

/// The plain SMS: built from the longest list of parts that fits two GSM-7 segments.
fn plain_sms(names: &[&str], check_url: &str) -> String {
    let tail = format!(
        " Khong chuyen tien, khong doc ma OTP cho nguoi la. Kiem tra so, tai khoan, link tai {check_url} Bao cong an: {HOTLINE}"
    );
    let mut shown = names.len();
    loop {
        let listed = names[..shown].join("; ");
        let more = if shown < names.len() {
            " va thu doan khac"
        } else {
            ""
        };
        let text = unaccent(&format!("CANH GIAC LUA DAO: {listed}{more}.{tail}"));
        let fits = sms::is_gsm7(&text) && sms::length(&text).segments <= 2;
        if fits || shown <= 1 {
            if fits {
                return text;
            }
            // Even one name is too long: the name goes.
            return unaccent(&format!("CANH GIAC LUA DAO!{tail}"));
        }
        shown -= 1;
    }
}

/// Drafts every variant of a bulletin about `methods` for `audience`. `check_url` is
/// the public check page, absolute.
pub fn draft(methods: &[&Method], audience: Audience, check_url: &str) -> Drafts {
    let names: Vec<&str> = methods.iter().map(|m| short_name(m)).collect();
    let title = match names.as_slice() {
        [] => "Cảnh giác lừa đảo qua mạng".to_string(),
        [one] => format!("Cảnh giác: {one}"),
        [a, b] => format!("Cảnh giác: {a}; {b}"),
        _ => format!("Cảnh giác {} thủ đoạn lừa đảo đang phổ biến", names.len()),
    };
    let flags = merged(methods, |m| &m.red_flags_vi, 5);
    let advice = merged(methods, |m| &m.advice_vi, 4);
    let how = merged(methods, |m| &m.how_it_works_vi, 4);

    let sms = format!(
        "CẢNH GIÁC LỪA ĐẢO: {}. Không chuyển tiền, không đọc mã OTP cho người lạ. Kiểm tra số, tài khoản, link tại {check_url} Báo công an: {HOTLINE}",
        names.join("; ")
    );
    let sms_plain = plain_sms(&names, check_url);

    let summaries: Vec<&str> = methods.iter().map(|m| m.summary_vi.as_str()).collect();
    let zalo = truncate_chars(
        &format!(
            "🔴 {}\n\n{}: {}\n\n{}\n\nDấu hiệu nhận biết:\n{}\n\nCần làm:\n{}\n\nKiểm tra số điện thoại, tài khoản, đường link trước khi chuyển tiền: {check_url}\nBị lừa hoặc nghi ngờ: báo ngay Công an xã, phường nơi gần nhất hoặc gọi {HOTLINE}.",
            title.to_uppercase(),
            audience.greeting(),
            audience.why(),
            summaries.join("\n\n"),
            bullets(&flags, 4),
            bullets(&advice, 3),
        ),
        limits::ZALO,
    );
    let mut tags: Vec<String> = vec!["#CanhGiacLuaDao".into(), "#CongAnDongNai".into()];
    tags.extend(names.iter().map(|n| hashtag(n)));
    tags.dedup();
    let fanpage = truncate_chars(
        &format!(
            "⚠️ {}\n\n{}! {}\n\n{}\n\nThủ đoạn:\n{}\n\nDấu hiệu nhận biết:\n{}\n\nCần làm:\n{}\n\n👉 Trước khi chuyển tiền, kiểm tra số điện thoại, số tài khoản, đường link tại {check_url}\n📞 Bị lừa hoặc nghi ngờ: báo ngay Công an xã, phường nơi gần nhất hoặc gọi {HOTLINE}.\nHãy chia sẻ để người thân, bạn bè cùng cảnh giác.\n\n{}",
            title.to_uppercase(),
            audience.greeting(),
            audience.why(),
            summaries.join("\n\n"),
            bullets(&how, 4),
            bullets(&flags, 5),
            bullets(&advice, 4),
            tags.join(" "),
        ),
        limits::FANPAGE,
    );
    // Fewer lines than allowed, so that the type stays large on A5.
    let leaflet = Leaflet {
        heading: title.to_uppercase(),
        red_flags: flags.into_iter().take(4).collect(),
        advice: advice.into_iter().take(3).collect(),
    };
    Drafts {
        title,
        sms,
        sms_plain,
        zalo,
        fanpage,
        leaflet,
    }
}

fn truncate_chars(text: &str, n: usize) -> String {
    match text.char_indices().nth(n) {
        Some((i, _)) => text[..i].to_string(),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::methods::Catalogue;

    const URL: &str = "https://canhgiac.dongnai.gov.vn/kiem-tra";

    #[test]
    fn every_method_and_audience_gets_a_plain_sms_in_two_gsm7_segments() {
        let all = Catalogue::get().all();
        for m in all {
            for a in Audience::ALL {
                let d = draft(&[m], a, URL);
                let plain = sms::length(&d.sms_plain);
                assert_eq!(plain.encoding, sms::Encoding::Gsm7, "{}", d.sms_plain);
                assert!(plain.segments <= 2, "{} → {plain:?}", d.sms_plain);
                assert!(d.sms_plain.contains(URL) && d.sms.contains(URL));
                assert!(d.fanpage.contains("#CanhGiacLuaDao") && d.fanpage.contains(URL));
                assert!(d.zalo.chars().count() <= limits::ZALO);
                assert!(!d.leaflet.red_flags.is_empty(), "{}", m.key);
                assert!(!d.leaflet.advice.is_empty(), "{}", m.key);
            }
        }
        // many methods at once: names are dropped until it fits
        let many: Vec<&Method> = all.iter().take(8).collect();
        let d = draft(&many, Audience::Public, URL);
        assert!(sms::length(&d.sms_plain).segments <= 2, "{}", d.sms_plain);
        assert!(d.sms_plain.contains("thu doan khac"), "{}", d.sms_plain);
        assert!(d.title.contains("8 thủ đoạn"));
    }

    #[test]
    fn the_audience_changes_the_greeting() {
        let m = Catalogue::get()
            .by_key("impersonate_authority")
            .expect("known method");
        let workers = draft(&[m], Audience::Workers, URL);
        let elderly = draft(&[m], Audience::Elderly, URL);
        assert!(workers.zalo.contains("công nhân"));
        assert!(elderly.zalo.contains("Ông bà"));
        assert_eq!(workers.title, "Cảnh giác: Giả danh công an");
        assert_eq!(workers.sms, elderly.sms);
    }

    #[test]
    fn hashtags_are_unaccented_words() {
        assert_eq!(hashtag("Giả danh công an"), "#GiaDanhCongAn");
        assert_eq!(hashtag("Lừa đảo đầu tư tiền ảo"), "#LuaDaoDauTu");
    }

    #[test]
    fn keys_round_trip() {
        for a in Audience::ALL {
            assert_eq!(Audience::from_key(a.key()), Some(a));
        }
        for c in Channel::ALL {
            assert_eq!(Channel::from_key(c.key()), Some(c));
        }
    }
}
