#!/usr/bin/env python3
"""Writes synthetic.jsonl: written-for-training messages, never mixed with real ones.

Every line says which template made it (`source: "synthetic:<template>"`), so a
metric can always be split into real and synthetic. The output is a pure
function of SEED: run `python3 corpus/messages/generate_synthetic.py` and the
file comes out byte for byte the same.

The scam templates paraphrase the scripts described in public warnings
(docs in ../../data/methods.json give the sources per method); the legitimate
ones follow the layouts that banks, carriers, delivery firms and public
services use for balance changes, one-time codes, bills and parcels. Both
classes get the same surface noise (unaccented text, teencode, line breaks),
so the model cannot learn "unaccented means scam". Only scam messages get the
filter-evasion tricks (spaced letters, zero-width characters, look-alike
letters), because that is what scammers do and legitimate senders do not.
"""
import json
import random
import sys
import unicodedata
from pathlib import Path

SEED = 20261129
PER_TEMPLATE = 24

BANKS = [
    ("Vietcombank", "vietcombank.com.vn", "VCB"), ("Techcombank", "techcombank.com", "TCB"),
    ("BIDV", "bidv.com.vn", "BIDV"), ("VietinBank", "vietinbank.vn", "CTG"),
    ("Agribank", "agribank.com.vn", "AGR"), ("MB Bank", "mbbank.com.vn", "MB"),
    ("ACB", "acb.com.vn", "ACB"), ("Sacombank", "sacombank.com.vn", "STB"),
    ("TPBank", "tpb.vn", "TPB"), ("VPBank", "vpbank.com.vn", "VPB"),
    ("HDBank", "hdbank.com.vn", "HDB"), ("SHB", "shb.com.vn", "SHB"),
    ("MSB", "msb.com.vn", "MSB"), ("OCB", "ocb.com.vn", "OCB"),
]
CARRIERS = [("Viettel", "viettel.vn"), ("VinaPhone", "vinaphone.com.vn"), ("MobiFone", "mobifone.vn")]
SHIPPERS = [("GHN", "ghn.vn"), ("GHTK", "ghtk.vn"), ("Viettel Post", "viettelpost.com.vn"),
            ("J&T Express", "jtexpress.vn"), ("VNPost", "vnpost.vn"), ("SPX", "spx.vn")]
SHOPS = [("Shopee", "shopee.vn"), ("Lazada", "lazada.vn"), ("Tiki", "tiki.vn"), ("TikTok Shop", "tiktok.com")]
BAD_TLDS = ["top", "xyz", "vip", "info", "online", "site", "club", "cc", "icu", "shop"]
BAD_WORDS = ["hotro", "xacthuc", "cskh", "online", "khuyenmai", "login", "vn", "app", "digital", "baomat"]
SHORTENERS = ["bit.ly", "tinyurl.com", "cutt.ly", "rb.gy", "s.id"]
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu", "Phạm Quốc Dũng", "Hoàng Thu Hà",
         "Võ Thành Long", "Đặng Ngọc Mai", "Bùi Đức Nam", "Đỗ Thị Oanh", "Huỳnh Gia Phúc"]
RELATIVES = ["con", "cháu", "em", "anh", "chị", "mẹ", "bố"]
PLACES = ["Biên Hòa", "Long Khánh", "Trảng Bom", "Nhơn Trạch", "Long Thành", "Định Quán", "Xuân Lộc"]
HOSPITALS = ["bệnh viện Chợ Rẫy", "bệnh viện Đồng Nai", "bệnh viện Thống Nhất", "bệnh viện 115"]
SCHOOLS = ["trường THCS Tân Phong", "trường tiểu học Hòa Bình", "trường THPT Ngô Quyền"]
CRYPTO = ["USDT", "Bitcoin", "sàn Binance", "sàn đầu tư quốc tế", "quỹ ngoại hối"]


def phone(r):
    return r.choice(["09", "03", "08", "07"]) + "".join(r.choice("0123456789") for _ in range(8))


def account(r):
    return "".join(r.choice("0123456789") for _ in range(r.choice([9, 10, 12, 13])))


def money(r, lo=50, hi=50000, unit=1000):
    v = r.randrange(lo, hi) * unit
    style = r.random()
    if style < 0.4:
        return f"{v:,}".replace(",", ".") + " đồng"
    if style < 0.7:
        return f"{v:,}VND"
    if v >= 1_000_000 and v % 1_000_000 == 0:
        return f"{v // 1_000_000} triệu"
    return f"{v // 1000}k"


def time_of(r):
    return f"{r.randrange(0, 24):02d}:{r.randrange(0, 60):02d}"


def date_of(r):
    return f"{r.randrange(1, 29):02d}/{r.randrange(1, 13):02d}/2026"


def fake_domain(r, brand_domain):
    label = brand_domain.split(".")[0]
    kind = r.randrange(6)
    if kind == 0:
        return f"{label}-{r.choice(BAD_WORDS)}.{r.choice(BAD_TLDS)}"
    if kind == 1:
        return f"{r.choice(BAD_WORDS)}-{label}.com"
    if kind == 2:
        return f"{brand_domain}.{r.choice(BAD_WORDS)}-secure.{r.choice(BAD_TLDS)}"
    if kind == 3:
        return f"{r.choice(SHORTENERS)}/{''.join(r.choice('abcdefghijkmnpqrstuvwxyz23456789') for _ in range(6))}"
    if kind == 4:
        swapped = label.replace("o", "0", 1) if "o" in label else label + label[-1]
        return f"{swapped}.{r.choice(['com', 'net', 'vn', 'top'])}"
    return f"{label}{r.choice(BAD_WORDS)}.{r.choice(BAD_TLDS)}"


def link(r, domain):
    form = r.random()
    if form < 0.5:
        return "https://" + domain
    if form < 0.7:
        return "http://" + domain + "/" + r.choice(["xacthuc", "login", "vn", "nhanqua", "cap-nhat"])
    return domain


def gov_fake(r):
    return r.choice(["dichvucong", "dvc-gov", "vneid-hotro", "csgt", "thue-gov", "baohiemxahoi"]) + \
        r.choice(["-vn", "s", "-online", ""]) + "." + r.choice(BAD_TLDS)


# ---- scam templates: (key, method, function(r) -> text)
def s_bank_lock(r):
    b, d, _ = r.choice(BANKS)
    return r.choice([
        f"{b} thông báo: tài khoản của Quý khách sẽ bị tạm khóa sau 24h do chưa cập nhật sinh trắc học. Vui lòng truy cập {link(r, fake_domain(r, d))} để xác thực ngay.",
        f"[{b}] Tai khoan cua quy khach dang bi tam dung giao dich. Xac thuc thong tin tai {link(r, fake_domain(r, d))} truoc {time_of(r)} hom nay de tranh bi khoa vinh vien.",
        f"{b}: Phát hiện đăng nhập bất thường trên thiết bị lạ lúc {time_of(r)}. Nếu không phải bạn, hãy hủy ngay tại {link(r, fake_domain(r, d))}",
        f"Kính gửi quý khách, {b} nâng cấp hệ thống. Quý khách cần đăng nhập {link(r, fake_domain(r, d))} và nhập mã OTP để tiếp tục sử dụng dịch vụ.",
    ])


def s_bank_points(r):
    b, d, _ = r.choice(BANKS)
    return r.choice([
        f"{b} tri ân: điểm thưởng {r.randrange(1000, 90000)} của quý khách sẽ hết hạn vào {date_of(r)}. Đổi quà ngay tại {link(r, fake_domain(r, d))}",
        f"Chuc mung quy khach duoc {b} tang {money(r, 500, 5000)} tu chuong trinh tich diem. Nhan ngay tai {link(r, fake_domain(r, d))} truoc khi het han.",
        f"Tài khoản {b} của bạn đã đăng ký dịch vụ quảng cáo, phí {money(r, 1000, 5000)}/tháng. Nếu không đăng ký, vui lòng hủy tại {link(r, fake_domain(r, d))}",
    ])


def s_otp_takeover(r):
    return r.choice([
        "Hệ thống gửi nhầm mã xác nhận về số của bạn, bạn gửi lại giúp mình nhé!",
        "Bạn ơi mình đăng nhập Zalo trên máy mới, mã gửi về máy bạn, chụp màn hình gửi mình với",
        f"Em ơi anh gửi nhầm mã OTP về số em, em đọc lại giúp anh 6 số vừa nhận với, anh đang cần gấp",
        f"Nhân viên tổng đài xác nhận: quý khách vui lòng đọc mã OTP vừa nhận để hoàn tất hủy giao dịch {money(r, 1000, 20000)}",
        f"Bạn ơi mình lỡ đăng ký Zalo bằng số bạn, bạn gửi lại mình mã xác nhận 4 số vừa nhận được nhé, cảm ơn nhiều",
        f"Để nhận hoàn tiền, quý khách cung cấp mã OTP được gửi đến số điện thoại của quý khách cho nhân viên hỗ trợ.",
    ])


def s_sim_lock(r):
    c, _ = r.choice(CARRIERS)
    return r.choice([
        f"{c} thông báo: thuê bao của quý khách sẽ bị khóa 2 chiều sau 2 giờ do chưa chuẩn hóa thông tin. Soạn tin theo hướng dẫn của nhân viên hoặc gọi {phone(r)} để được hỗ trợ.",
        f"Thue bao cua quy khach chua chinh chu va se bi thu hoi. Vui long lien he {phone(r)} hoac truy cap {link(r, fake_domain(r, 'nangcapsim.com'))} de cap nhat.",
        f"Nâng cấp SIM 4G lên 5G miễn phí: soạn tin DOISIM gửi theo hướng dẫn và cung cấp mã OTP cho nhân viên {c} để không bị gián đoạn.",
    ])


def s_authority(r):
    return r.choice([
        f"Công an {r.choice(PLACES)} thông báo: ông/bà có liên quan đến đường dây rửa tiền, yêu cầu chuyển toàn bộ số dư vào tài khoản tạm giữ {account(r)} để phục vụ điều tra. Không được tiết lộ với người thân.",
        f"Viện kiểm sát nhân dân gửi lệnh bắt tạm giam đối với ông/bà do liên quan vụ án ma túy. Liên hệ ngay điều tra viên {phone(r)} để được hướng dẫn.",
        f"Toa an thong bao ho so cua ban se duoc xet xu vao ngay {date_of(r)}. Lien he can bo thu ly {phone(r)} qua Zalo de giai quyet truoc khi bi cuong che.",
        f"Tôi là cán bộ công an, hồ sơ CCCD của anh chị bị kẻ xấu sử dụng mở tài khoản. Anh chị cài ứng dụng theo đường link {link(r, gov_fake(r))} để xác minh.",
    ])


def s_vneid(r):
    return r.choice([
        f"Tài khoản định danh điện tử mức 2 của bạn chưa được kích hoạt. Kết bạn Zalo {phone(r)} để cán bộ hỗ trợ cài đặt VNeID.",
        f"Cong dan chua cap nhat thong tin cu tru tren VNeID se bi khoa tai khoan. Tai ung dung cap nhat tai {link(r, gov_fake(r))}",
        f"Công an phường {r.choice(PLACES)} hỗ trợ tích hợp giấy phép lái xe vào VNeID, vui lòng cài ứng dụng tại {link(r, gov_fake(r))} và làm theo hướng dẫn.",
    ])


def s_gov_support(r):
    return r.choice([
        f"Nhận ngay {money(r, 100, 101)} quà tặng từ Chính phủ nhân dịp Quốc khánh. Đăng ký tại {link(r, gov_fake(r))}",
        f"Bao hiem xa hoi thong bao ban duoc nhan tro cap {money(r, 500, 3000)}. Vui long xac nhan thong tin tai {link(r, gov_fake(r))}",
        f"Chương trình hỗ trợ người dân: mỗi công dân được nhận {money(r, 100, 500)}. Cài đặt ứng dụng và nhập thông tin thẻ ngân hàng để nhận tiền.",
    ])


def s_traffic(r):
    return r.choice([
        f"CSGT: phương tiện biển số {r.randrange(10, 99)}A-{r.randrange(100, 999)}.{r.randrange(10, 99)} vi phạm tốc độ, phạt nguội {money(r, 200, 5000)}. Nộp phạt trước {date_of(r)} tại {link(r, gov_fake(r))}",
        f"Cuc CSGT thong bao: ban co bien ban vi pham giao thong chua xu ly. Tra cuu va nop phat tai {link(r, gov_fake(r))} de tranh bi tuoc bang lai",
        f"Hệ thống camera AI ghi nhận xe của bạn vượt đèn đỏ. Bấm vào {link(r, gov_fake(r))} để xem hình ảnh và nộp phạt trực tuyến trong 24 giờ.",
    ])


def s_tax(r):
    return r.choice([
        f"Cục Thuế thông báo: bạn được hoàn thuế thu nhập cá nhân {money(r, 500, 9000)}. Cập nhật tài khoản nhận tiền tại {link(r, gov_fake(r))}",
        f"Thue co so thong bao ho kinh doanh cua ban chua dong bo du lieu eTax. Cai dat ung dung theo duong dan {link(r, gov_fake(r))} de tranh bi phat.",
    ])


def s_utility(r):
    return r.choice([
        f"EVN thông báo: quý khách nợ tiền điện {money(r, 300, 3000)}, sẽ bị cắt điện trong 2 giờ tới. Thanh toán ngay vào tài khoản {account(r)} hoặc tại {link(r, fake_domain(r, 'evn.com.vn'))}",
        f"Dien luc thong bao hoan tien dien {money(r, 50, 900)} do sai sot he thong. Nhan hoan tien tai {link(r, fake_domain(r, 'evn.com.vn'))} trong 24 gio.",
        f"Công ty cấp nước thông báo hóa đơn quá hạn, kết bạn Zalo {phone(r)} để được hướng dẫn cài ứng dụng thanh toán, tránh bị cắt nước.",
    ])


def s_relative(r):
    rel = r.choice(RELATIVES)
    return r.choice([
        f"Con của anh chị bị tai nạn đang cấp cứu ở {r.choice(HOSPITALS)}, cần chuyển gấp {money(r, 10, 100, 1_000_000)} tiền mổ vào số tài khoản {account(r)}.",
        f"Tôi là giáo viên {r.choice(SCHOOLS)}, cháu nhà mình bị ngã chấn thương sọ não, phụ huynh chuyển khoản ngay cho bác sĩ {phone(r)} để kịp mổ.",
        f"Mẹ ơi {rel} bị công an giữ, cần {money(r, 5, 50, 1_000_000)} nộp phạt gấp, mẹ ck vào stk {account(r)} giúp {rel}, đừng nói với ai.",
    ])


def s_borrow(r):
    return r.choice([
        f"{r.choice(['Ê', 'Bạn ơi', 'Anh ơi', 'Chị ơi'])} đang rảnh ko, cho mình mượn {money(r, 2, 30, 1_000_000)}, tối mình trả, ck vào stk {account(r)} {r.choice(BANKS)[0]} giúp mình nhé",
        f"Bạn ơi mình đang kẹt tiền, chuyển giúp mình {money(r, 1, 20, 1_000_000)} vào tk {account(r)} nha, mai mình gửi lại liền",
        f"Có ở đó không, nhờ chút việc, tk còn tiền ko cho mượn {money(r, 3, 15, 1_000_000)}, 2h chiều trả",
        f"Nhờ bạn bình chọn giúp cháu mình thi vẽ, bấm vào {link(r, fake_domain(r, 'binhchon.vn'))} đăng nhập Facebook để bình chọn nhé",
    ])


def s_job(r):
    shop, d = r.choice(SHOPS)
    return r.choice([
        f"{shop} tuyển cộng tác viên làm online tại nhà, việc nhẹ lương cao {money(r, 300, 1000)}/ngày, chỉ cần điện thoại. Liên hệ Zalo {phone(r)}",
        f"Tuyen CTV lam nhiem vu like video TikTok, hoa hong {r.randrange(10, 30)}% moi don, tra ngay trong ngay. Ib Telegram @{r.choice(['hotro', 'tuyendung', 'ctv'])}{r.randrange(100, 999)}",
        f"Chúc mừng bạn được chọn làm thành viên đánh giá sản phẩm {shop}. Hoàn thành nhiệm vụ đầu tiên nhận {money(r, 50, 300)}, nạp {money(r, 200, 2000)} để mở nhiệm vụ VIP.",
        f"Việc làm thêm cho sinh viên, mẹ bỉm: thu nhập {money(r, 5, 20, 1_000_000)}/tháng, không cần kinh nghiệm, không cọc. Đăng ký tại {link(r, fake_domain(r, d))}",
    ])


def s_invest(r):
    return r.choice([
        f"Tham gia nhóm đầu tư {r.choice(CRYPTO)} cùng chuyên gia, lợi nhuận {r.randrange(20, 90)}%/tháng, cam kết hoàn vốn. Vào nhóm Telegram ngay hôm nay.",
        f"Cơ hội cuối năm: nạp {money(r, 1, 50, 1_000_000)} nhận lãi {r.randrange(3, 15)}% mỗi ngày, rút tiền bất cứ lúc nào. Link đăng ký {link(r, fake_domain(r, 'invest.com'))}",
        f"Thay giao chung khoan huong dan mien phi, nhom VIP bao lai {r.randrange(30, 200)}%, ket ban Zalo {phone(r)} de nhan ma co phieu.",
    ])


def s_loan(r):
    return r.choice([
        f"Vay tiền online giải ngân trong 5 phút, không thẩm định, chỉ cần CCCD. Tải app tại {link(r, fake_domain(r, 'vaytien.vn'))}",
        f"Ho so vay {money(r, 10, 100, 1_000_000)} cua ban da duoc duyet nhung sai so tai khoan, vui long chuyen {money(r, 1, 5, 1_000_000)} phi mo khoa de giai ngan.",
    ])


def s_recovery(r):
    return r.choice([
        f"Văn phòng luật sư hỗ trợ lấy lại tiền bị lừa đảo 100%, không thu phí trước. Liên hệ {phone(r)} để được tư vấn, chỉ cần nộp phí hồ sơ {money(r, 500, 5000)}.",
        f"Hacker mu trang lay lai tai khoan Facebook, Zalo, lay lai tien bi lua trong 24h. Inbox {phone(r)}",
    ])


def s_shipper(r):
    s, d = r.choice(SHIPPERS)
    return r.choice([
        f"{s}: đơn hàng của bạn bị giữ tại kho do sai địa chỉ. Thanh toán phí lưu kho {money(r, 10, 50)} tại {link(r, fake_domain(r, d))} để giao lại.",
        f"Shipper đây ạ, đơn {money(r, 100, 900)} của chị em để ở bảo vệ rồi, chị ck giúp em vào stk {account(r)} nhé.",
        f"{s} thong bao: buu pham cua quy khach khong the giao. Cap nhat thong tin tai {link(r, fake_domain(r, d))} trong 12 gio.",
    ])


def s_prize(r):
    shop, d = r.choice(SHOPS)
    return r.choice([
        f"Chúc mừng số thuê bao của bạn trúng thưởng xe SH và {money(r, 10, 100, 1_000_000)} từ chương trình tri ân của {shop}. Nộp phí nhận giải {money(r, 1000, 5000)} vào tài khoản {account(r)}.",
        f"Ban da trung thuong iPhone 17 Pro tu vong quay may man. Nhan qua tai {link(r, fake_domain(r, d))} truoc {time_of(r)} hom nay.",
        f"{shop} tri ân khách hàng: bạn nhận được voucher {money(r, 500, 5000)}. Bấm {link(r, fake_domain(r, d))} để kích hoạt.",
    ])


def s_wrong_transfer(r):
    return r.choice([
        f"Bạn ơi mình chuyển nhầm {money(r, 100, 3000)} vào tài khoản bạn lúc {time_of(r)}, bạn kết bạn Zalo {phone(r)} để mình gửi lại số tài khoản nhé, huhu",
        f"Em oi cho chi xin lai {money(r, 200, 2000)} chi chuyen nham, so tai khoan {account(r)[:4]}xxxx. Cam on em nhieu",
        f"Em ơi chị chuyển nhầm {money(r, 100, 5000)} vào tài khoản em lúc {time_of(r)}, em chuyển lại giúp chị vào stk {account(r)} nhé, cảm ơn em nhiều.",
        f"Tôi là nhân viên công ty tài chính, khoản {money(r, 1, 20, 1_000_000)} vừa vào tài khoản bạn là tiền vay, nếu không hoàn trả vào tài khoản {account(r)} sẽ bị tính lãi và báo nợ xấu.",
    ])


def s_romance(r):
    name = r.choice(NAMES).split()[-1]
    return r.choice([
        f"Chào em, anh là bạn của chị {name}, chị ấy cho anh số em để tiện làm quen. Chị {name} chưa nói gì với em à?",
        f"Hôm qua anh bận quá giờ mới nhắn được cho em. Anh đang làm bên tài chính, có ứng dụng đầu tư này lãi tốt lắm, em thử cùng anh nhé.",
        f"Anh là kỹ sư đang làm việc ở nước ngoài, anh gửi quà cho em qua hải quan, em đóng giúp anh phí {money(r, 5, 50, 1_000_000)} vào tài khoản {account(r)} nhé, anh sẽ gửi lại.",
        f"Em yêu, bưu kiện có đô la và trang sức anh gửi đang bị hải quan giữ, em chuyển phí thông quan {money(r, 10, 90, 1_000_000)} giúp anh.",
    ])


def s_ticket(r):
    return r.choice([
        f"Vé máy bay Tết giá rẻ chỉ {money(r, 500, 900)}, giữ chỗ ngay bằng cách chuyển khoản cọc vào {account(r)}. Đại lý cấp 1 {r.choice(['Vietjet', 'Vietnam Airlines', 'Bamboo'])}.",
        f"Combo du lich Phu Quoc 3N2D gia {money(r, 1, 3, 1_000_000)}, chuyen khoan truoc 50% de giu phong, lien he Zalo {phone(r)}",
    ])


def s_casting(r):
    return f"Công ty giải trí tuyển mẫu nhí quay quảng cáo, cát-xê {money(r, 1, 5, 1_000_000)}/buổi. Phụ huynh đóng phí thử vai {money(r, 200, 900)} và làm nhiệm vụ theo hướng dẫn trên Telegram."


def s_charity(r):
    return f"Quỹ từ thiện kêu gọi ủng hộ bà con vùng lũ {r.choice(['miền Trung', 'Yên Bái', 'Lào Cai'])}, chuyển khoản vào tài khoản cá nhân {account(r)} của trưởng ban, mọi đóng góp xin gửi sớm."


def s_tuition(r):
    return f"Phòng tài vụ {r.choice(SCHOOLS)} thông báo phụ huynh đóng học phí học kỳ II và phí bán trú qua tài khoản {account(r)} trước {date_of(r)}, quá hạn học sinh sẽ không được vào lớp."


def s_gambling(r):
    return r.choice([
        f"Nạp đầu tặng 100%, khuyến mãi {money(r, 50, 500)} cho thành viên mới, rút tiền siêu tốc. Đăng ký {link(r, 'kuwin' + str(r.randrange(10, 99)) + '.' + r.choice(BAD_TLDS))}",
        f"App vay tín chấp lãi 0%, không cần chứng minh thu nhập, giải ngân ngay. Tải tại {link(r, fake_domain(r, 'tindung.vn'))}",
    ])


def s_ecommerce(r):
    return f"Xả kho iPhone chính hãng giá {money(r, 3, 6, 1_000_000)}, chuyển khoản trước 100% được giảm thêm 10%, số lượng có hạn, ib ngay {phone(r)}."


def s_fake_receipt(r):
    return f"Mình đã chuyển khoản {money(r, 1, 30, 1_000_000)} rồi nhé, bạn xem ảnh biên lai, giao hàng luôn giúp mình, ngân hàng báo chậm nên chưa về đâu."


SCAM = [
    ("bank_lock", "bank_phishing", s_bank_lock), ("bank_points", "bank_phishing", s_bank_points),
    ("otp", "otp_account_takeover", s_otp_takeover), ("sim_lock", "telecom_sim_lock", s_sim_lock),
    ("authority", "impersonate_authority", s_authority), ("vneid", "vneid_identity_support", s_vneid),
    ("gov_support", "gov_support_lure", s_gov_support), ("traffic", "traffic_fine", s_traffic),
    ("tax", "tax_impersonation", s_tax), ("utility", "utility_bill", s_utility),
    ("relative", "relative_emergency", s_relative), ("borrow", "hacked_account_borrow", s_borrow),
    ("job", "task_job_scam", s_job), ("invest", "investment_crypto", s_invest),
    ("loan", "loan_app", s_loan), ("recovery", "fund_recovery", s_recovery),
    ("shipper", "fake_shipper_cod", s_shipper), ("prize", "prize_giveaway", s_prize),
    ("wrong_transfer", "wrong_transfer", s_wrong_transfer), ("romance", "romance", s_romance),
    ("ticket", "fake_travel_ticket", s_ticket), ("casting", "child_model_casting", s_casting),
    ("charity", "charity_scam", s_charity), ("tuition", "school_tuition", s_tuition),
    ("gambling", "gambling_credit_apps", s_gambling), ("ecommerce", "ecommerce_fake_goods", s_ecommerce),
    ("receipt", "fake_receipt", s_fake_receipt),
]


# ---- legitimate templates
def l_balance(r):
    b, _, code = r.choice(BANKS)
    acc = account(r)
    sign = r.choice(["+", "-"])
    return r.choice([
        f"SD TK {acc[:4]}xxx{acc[-3:]} {sign}{money(r, 10, 90000)} luc {date_of(r)} {time_of(r)}. SD {money(r, 100, 900000)}. Ref {code}.{r.randrange(100000, 999999)}.{r.choice(NAMES).upper()} chuyen tien",
        f"{b}: TK {acc} {sign}{money(r, 10, 90000)} {time_of(r)} {date_of(r)}. So du: {money(r, 100, 900000)}. ND: {r.choice(['Luong thang 11', 'tien nha', 'tra tien hang', 'hoc phi', 'chuyen khoan'])}",
        f"Biến động số dư TK {acc[-4:]}: {sign}{money(r, 10, 90000)} lúc {time_of(r)} ngày {date_of(r)}. Số dư khả dụng {money(r, 100, 900000)}. Nội dung: {r.choice(NAMES)} chuyển tiền",
        f"{code}: Quy khach da thanh toan hoa don {r.choice(['dien', 'nuoc', 'internet', 'truyen hinh'])} so tien {money(r, 100, 3000)} thanh cong luc {time_of(r)} {date_of(r)}.",
    ])


def l_otp(r):
    b, d, _ = r.choice(BANKS)
    code = "".join(r.choice("0123456789") for _ in range(6))
    return r.choice([
        f"Ma OTP cua Quy khach la {code} de xac thuc giao dich chuyen tien {money(r, 100, 50000)}. Ma co hieu luc trong 3 phut. {b} KHONG yeu cau cung cap OTP duoi bat ky hinh thuc nao.",
        f"{code} là mã xác thực đăng nhập {b} Digital của bạn. Tuyệt đối không cung cấp mã này cho bất kỳ ai, kể cả nhân viên ngân hàng.",
        f"<#> Ma xac thuc Zalo cua ban la {code[:4]}. Khong chia se ma nay voi nguoi khac.",
        f"Mã xác minh Shopee của bạn là {code}. Có hiệu lực trong 15 phút. KHÔNG chia sẻ mã này với người khác, kể cả nhân viên Shopee.",
        f"{b}: Ma OTP {code} dung de kich hoat ung dung tren thiet bi moi. Neu khong phai quy khach thuc hien, vui long goi hotline ngay. Khong cung cap OTP cho bat ky ai.",
    ])


def l_carrier(r):
    c, d = r.choice(CARRIERS)
    return r.choice([
        f"{c}: Quy khach da dang ky thanh cong goi {r.choice(['ST90', 'V120B', 'D15', 'MAX90', 'C120N'])}, cuoc {money(r, 10, 200)}/thang. Chi tiet goi 198 (mien phi).",
        f"TKC cua quy khach con {money(r, 1, 500)}, han su dung den {date_of(r)}. Nap the ngay de khong bi gian doan dich vu. {c}",
        f"{c} tran trong thong bao: cuoc phi thang {r.randrange(1, 13)} cua thue bao {phone(r)} la {money(r, 50, 900)}. Thanh toan qua ung dung My{c} hoac cac diem giao dich.",
        f"Chuc mung Quy khach duoc tang {r.randrange(10, 50)}% gia tri the nap trong ngay {date_of(r)}. Chi tiet xem tai {d} hoac goi 18008098. {c}",
        f"Ban hay goi lai cho so may {phone(r)}. Dich vu Call Me Back - {c}",
        f"{c}: Tai khoan goc cua quy khach con {money(r, 1, 30)}. Nap them tai ung dung My{c} hoac cac diem giao dich de huong uu dai.",
        f"{c}: Quý khách đã nạp thành công {money(r, 10, 500)} vào thuê bao {phone(r)} lúc {time_of(r)}. Tài khoản chính: {money(r, 10, 900)}.",
    ])


def l_delivery(r):
    s, d = r.choice(SHIPPERS)
    shop, _ = r.choice(SHOPS)
    order = "".join(r.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(10))
    return r.choice([
        f"{s}: Don hang {order} tu {shop} dang duoc giao. Shipper se lien he qua so {phone(r)}. Tra cuu tai {d}",
        f"Đơn hàng {order} đã được giao thành công. Cảm ơn bạn đã mua sắm tại {shop}!",
        f"{shop}: Đơn hàng {order} của bạn đã được xác nhận và sẽ giao trong {r.randrange(1, 5)} ngày. Thanh toán khi nhận hàng {money(r, 50, 2000)}.",
        f"{s} thong bao buu gui {order} se duoc phat trong hom nay. Vui long de y dien thoai. Khong chuyen tien cho bat ky ai ngoai nhan vien khi nhan hang.",
    ])


def l_gov(r):
    return r.choice([
        f"Cuc Canh sat QLHC ve TTXH thong bao: ho so dang ky tai khoan dinh danh dien tu cua cong dan da duoc phe duyet. De nghi truy cap ung dung VNeID de kich hoat.",
        f"UBND phường {r.choice(PLACES)} thông báo lịch tiêm chủng mở rộng ngày {date_of(r)} tại trạm y tế phường. Mang theo sổ tiêm chủng.",
        f"Công an xã {r.choice(PLACES)} khuyến cáo: không cung cấp mã OTP, không bấm link lạ, không chuyển tiền cho người tự xưng công an qua điện thoại.",
        f"Thong bao: ho so {r.randrange(100000, 999999)} cua ong/ba tai Cong dich vu cong quoc gia da duoc tiep nhan. Tra cuu tai dichvucong.gov.vn",
        f"BHXH Viet Nam: so the BHYT cua ban da duoc gia han den {date_of(r)}. Tra cuu tren ung dung VssID.",
    ])


def l_utility(r):
    return r.choice([
        f"EVNHCMC thong bao tien dien ky {r.randrange(1, 13)}/2026 cua ma KH PE{r.randrange(10**9, 10**10)} la {money(r, 100, 3000)}. Thanh toan qua ngan hang hoac vi dien tu. Tra cuu evnhcmc.vn",
        f"Điện lực {r.choice(PLACES)} thông báo tạm ngừng cấp điện từ {time_of(r)} ngày {date_of(r)} để bảo trì lưới điện. Xin cảm ơn quý khách.",
        f"Cấp nước Đồng Nai: hóa đơn tháng {r.randrange(1, 13)} của quý khách {money(r, 50, 900)}. Quý khách vui lòng thanh toán trước ngày {date_of(r)}.",
    ])


def l_personal(r):
    name = r.choice(NAMES).split()[-1]
    return r.choice([
        f"{name} ơi tối nay {r.randrange(6, 9)}h đi ăn lẩu ở {r.choice(PLACES)} nhé, nhớ rủ cả nhóm",
        f"Mẹ ơi con về tới nhà rồi, mai con ghé qua lấy đồ nha",
        f"Em ck cho chị tiền cơm tháng này rồi nha, chị kiểm tra giúp em",
        f"Anh đến chậm {r.randrange(5, 30)} phút, kẹt xe đoạn cầu {r.choice(['Đồng Nai', 'Hóa An', 'Rạch Cát'])}",
        f"ko sao đâu, mai gặp nhau nói chuyện tiếp, giờ t đang bận chút",
        f"Chị ơi stk em là {account(r)} {r.choice(BANKS)[0]}, tiền góp quà sinh nhật sếp mỗi người {money(r, 100, 300)} nha",
        f"Cuối tuần này họp lớp ở nhà {name}, ai đi được thì báo trong nhóm Zalo nhé",
        f"Con nhớ uống thuốc đúng giờ, tối mẹ gọi video",
    ])


GREETINGS = ["", "Mẹ ơi", "Con ơi", "Anh ơi", "Em ơi", "Chị ơi", "Bố ơi", "Ê", "Alo", "Bạn ơi", "Cả nhà ơi", "Sếp ơi"]
EVERYDAY = [
    "tối nay con về muộn, mẹ ăn cơm trước nhé", "mai mấy giờ mình đi", "nhớ mua giúp em hộp sữa với ổ bánh mì",
    "chiều nay trời mưa to, đi đường cẩn thận", "cuối tuần về quê ăn giỗ ông nội", "con thi xong rồi, làm bài cũng ổn",
    "anh đón con ở trường lúc 5h nhé", "em gửi file báo cáo qua email rồi", "tí nữa họp online link như cũ",
    "nhà mình hết gas rồi, gọi giúp mẹ", "tuần sau khám răng cho bé", "hôm nay quán đóng cửa sớm",
    "đã nhận được hàng, cảm ơn shop", "mẹ gửi con ít đồ ăn qua xe khách, nhớ ra nhận", "đi đá bóng không, 6h sân cũ",
    "nhớ tắt bếp trước khi đi", "tiền điện tháng này mẹ đóng rồi", "mai lớp nghỉ, thầy báo trong nhóm",
    "bé sốt nhẹ, đã cho uống thuốc", "xe hỏng, em đi grab về", "ăn trưa chưa, đi ăn phở không",
    "con chuyển khoản tiền học cho cô rồi nhé", "sáng mai đi chợ sớm mua cá", "trời lạnh nhớ mặc áo ấm",
    "hết giờ làm anh ghé đón", "nhóm mình nộp bài trước thứ sáu nha", "chúc mừng sinh nhật, chúc bạn tuổi mới vui vẻ",
    "ok, để mình xem lại rồi báo", "đang kẹt xe, tí gọi lại", "hôm qua bố mẹ về tới nhà an toàn rồi",
]
CLOSINGS = ["", "nhé", "nha", "ạ", "nhé, thương", ":)", "cảm ơn nhiều", "."]


def l_chat(r):
    parts = [r.choice(GREETINGS), r.choice(EVERYDAY), r.choice(CLOSINGS)]
    return " ".join(p for p in parts if p).strip()


def l_bank_notice(r):
    b, d, _ = r.choice(BANKS)
    return r.choice([
        f"{b} khuyen cao: Ngan hang KHONG gui tin nhan kem duong link, KHONG yeu cau cung cap mat khau, OTP. Hotline chinh thuc tren website {d}",
        f"{b} thông báo lịch bảo trì hệ thống ngân hàng điện tử từ {time_of(r)} ngày {date_of(r)}. Xin lỗi quý khách vì sự bất tiện.",
        f"{b}: The tin dung cua Quy khach co sao ke ky nay {money(r, 100, 50000)}, han thanh toan {date_of(r)}. Thanh toan qua ung dung {b}.",
        f"{b} trân trọng thông báo lãi suất tiết kiệm mới áp dụng từ {date_of(r)}. Chi tiết tại {d} hoặc chi nhánh gần nhất.",
    ])


def l_work(r):
    return r.choice([
        f"Nhắc lịch: họp giao ban lúc {time_of(r)} ngày {date_of(r)} tại phòng họp tầng 3. Anh chị chuẩn bị báo cáo tuần.",
        f"Phòng khám {r.choice(PLACES)} nhắc lịch hẹn tái khám của bạn vào {time_of(r)} ngày {date_of(r)}. Gọi {phone(r)} nếu cần đổi lịch.",
        f"Nhà trường thông báo học sinh nghỉ học ngày {date_of(r)} do ảnh hưởng của bão. Phụ huynh theo dõi thông báo trên sổ liên lạc điện tử.",
        f"Grab: Tài xế {r.choice(NAMES)} đang đến, biển số {r.randrange(10, 99)}B{r.randrange(1, 9)}-{r.randrange(100, 999)}.{r.randrange(10, 99)}.",
    ])


def l_carrier_kyc(r):
    c, d = r.choice(CARRIERS)
    app = {"Viettel": "My Viettel", "VinaPhone": "My VNPT", "MobiFone": "My MobiFone"}[c]
    hotline = {"Viettel": "18008098", "VinaPhone": "18001091", "MobiFone": "18001090"}[c]
    return r.choice([
        f"(TB) {c} trân trọng thông báo: Thông tin thuê bao số {phone(r)} chưa trùng khớp với Cơ sở dữ liệu quốc gia về dân cư. Để thuê bao không bị tạm ngưng dịch vụ, mời Quý khách cập nhật thông tin trước ngày {date_of(r)} trên ứng dụng {app} hoặc tại điểm giao dịch {c} gần nhất. Nếu đã thực hiện, vui lòng bỏ qua tin nhắn này. CSKH: {hotline}",
        f"{c.upper()}: [TB] Theo co so du lieu quoc gia, thong tin thue bao cua Quy khach chua trung khop va co the bi chan 1 chieu tu ngay {date_of(r)}. Quy khach vui long mang CCCD den cua hang {c} gan nhat hoac cap nhat tren ung dung {app}. Chi tiet LH {hotline} (mien phi).",
        f"{c} thông báo: thuê bao của Quý khách sẽ bị tạm khóa 1 chiều do chưa bổ sung ảnh chân dung. Vui lòng cập nhật trên ứng dụng {app}. Nếu Quý khách đã cập nhật, xin bỏ qua tin nhắn này.",
    ])


def l_device(r):
    b, d, _ = r.choice(BANKS)
    hotline = "1900" + "".join(r.choice("0123456789") for _ in range(4))
    return r.choice([
        f"Zalo: Thiết bị lạ ({r.choice(['iPhone', 'Samsung', 'Oppo'])}) yêu cầu mã kích hoạt tài khoản của bạn lúc {time_of(r)}. Nếu không phải bạn, đừng cung cấp mã cho ai.",
        f"Zalo: Tài khoản của bạn vừa đăng nhập trên thiết bị mới ({r.choice(['iPhone', 'Samsung', 'Windows'])}) lúc {time_of(r)}. Nếu không phải bạn, hãy đổi mật khẩu trong ứng dụng Zalo.",
        f"{b}: Tai khoan cua Quy khach vua dang nhap ung dung tren thiet bi moi luc {time_of(r)} {date_of(r)}. Neu khong phai Quy khach thuc hien, vui long goi ngay {hotline}.",
        f"Facebook: Mã bảo mật của bạn là {r.randrange(100000, 999999)}. Nếu bạn không yêu cầu, có người đang cố đăng nhập, hãy bỏ qua tin nhắn này.",
        f"{b}: Quy khach da cap nhat sinh trac hoc thanh cong luc {time_of(r)} {date_of(r)}. Neu khong phai Quy khach thuc hien, lien he {hotline}.",
    ])


def l_carrier_promo(r):
    c, d = r.choice(CARRIERS)
    code = {"Viettel": "191", "VinaPhone": "888", "MobiFone": "999"}[c]
    pack = r.choice(["V90B", "SD70", "MXH120", "ST150K", "D60G", "BIG90", "12MXH100", "TIKTOK7"])
    gb = r.randrange(1, 8)
    price = r.choice(["70.000", "90.000", "120.000", "150.000", "10.000"])
    return r.choice([
        f"[QC] {c} uu dai: Dang ky goi {pack} chi {price}d/30 ngay, co {gb}GB/ngay toc do cao, mien phi goi noi mang duoi 10 phut. Soan {pack} gui {code} (0d). Chi tiet {d}. Tu choi QC soan TC gui 199.",
        f"[TB] NAP THE ONLINE: Tang {r.choice([20, 30, 50])}% gia tri the nap khi Quy khach nap the online trong ngay {date_of(r)} tai https://{d}/nap-the hoac ung dung My{c}. Chi tiet LH 198 (0d).",
        f"Quà tặng từ {c}: Quý khách được tặng {gb}GB data tốc độ cao sử dụng trong 7 ngày. Để nhận, soạn NHAN gửi {code} (miễn phí). Hết hạn nhận quà ngày {date_of(r)}.",
        f"{c} khuyến mại: Nạp tiền qua ứng dụng My{c} từ {money(r, 50, 500)} nhận ngay ưu đãi hoàn tiền {r.choice([10, 20, 30])}%. Số lượng có hạn, chương trình đến hết {date_of(r)}. Chi tiết tại {d}.",
        f"(QC) Goi cuoc {pack} {price}d/thang cua {c} sap het han vao {date_of(r)}. De gia han, soan GH {pack} gui {code}. Huy gia han soan HUY {pack} gui {code}.",
        f"Soan {pack} gui {code} de nhan ngay {gb*30}GB data dung trong 30 ngay, gia {price}d. Uu dai danh rieng cho thue bao {c}. LH 198.",
        f"{c}: Chuc mung sinh nhat Quy khach! {c} tang Quy khach {gb}GB data mien phi. Kiem tra uu dai: soan KT gui {code}.",
    ])


def l_shop_promo(r):
    shop, d = r.choice(SHOPS)
    return r.choice([
        f"[QC] {shop} SIEU SALE {r.randrange(1, 13)}.{r.randrange(1, 13)}: Giam den {r.choice([50, 70, 90])}%, ma freeship, voucher {money(r, 10, 500)}. Mua ngay tai {d}. Tu choi nhan tin soan TC gui 1900xxxx.",
        f"{shop}: Bạn có voucher giảm {money(r, 20, 200)} cho đơn từ {money(r, 100, 500)}, hết hạn {date_of(r)}. Mở ứng dụng {shop} để dùng ngay!",
        f"Chúc mừng! Bạn được tặng mã giảm giá {r.choice(['FREESHIP', 'SALE50', 'NEWUSER'])} khi mua sắm tại {shop}. Áp dụng đến {date_of(r)}. Chi tiết: {d}",
        f"{r.choice(['Thegioididong', 'FPT Shop', 'Dien May Xanh', 'CellphoneS'])}: Uu dai thang {r.randrange(1, 13)} tra gop 0% lai suat, giam them {money(r, 100, 2000)} khi mua iPhone. Xem tai cua hang gan nhat hoac website.",
        f"Highlands Coffee tặng bạn ưu đãi mua 1 tặng 1 trong ngày {date_of(r)} khi thanh toán qua ví MoMo. Áp dụng tại tất cả cửa hàng.",
    ])


def l_bank_promo(r):
    b, d, _ = r.choice(BANKS)
    return r.choice([
        f"[QC] {b}: Mo the tin dung online, hoan tien {r.choice([5, 10, 15])}% khi chi tieu an uong, mien phi thuong nien nam dau. Dang ky tren ung dung {b} hoac {d}.",
        f"{b} ưu đãi: Gửi tiết kiệm online lãi suất đến {r.choice(['5,5', '6,1', '6,8'])}%/năm, nhận thêm quà tặng cho khách hàng mới. Chi tiết tại {d}.",
        f"{b}: Chuc mung Quy khach nhan duoc {r.randrange(50, 500)} diem thuong tu chuong trinh tich diem. Doi qua tren ung dung {b} truoc ngay {date_of(r)}.",
        f"{b}: Quy khach vui long cap nhat giay to tuy than va sinh trac hoc tren ung dung {b} truoc ngay {date_of(r)} de khong bi gian doan giao dich. Ngan hang KHONG gui link, KHONG goi dien yeu cau cung cap OTP.",
        f"Dung quen cap nhat sinh trac hoc de giao dich khong gian doan tren ung dung {b}. Chi thuc hien tren ung dung chinh thuc tai App Store/Google Play.",
    ])


def l_school(r):
    school = r.choice(SCHOOLS + ["Truong Dai hoc Dong Nai", "Truong DH Lac Hong", "Trường Cao đẳng Công nghệ cao Đồng Nai"])
    return r.choice([
        f"{school} thông báo: lịch thi học kỳ {r.randrange(1, 3)} bắt đầu từ ngày {date_of(r)}. Sinh viên xem lịch thi chi tiết trên cổng thông tin đào tạo.",
        f"Thong bao tu {school}: Hoc sinh {r.choice(NAMES)} nghi hoc khong phep ngay {date_of(r)}. De nghi phu huynh lien he GVCN.",
        f"{school}: Chúc mừng thí sinh đã trúng tuyển ngành {r.choice(['Công nghệ thông tin', 'Kế toán', 'Sư phạm Toán', 'Điều dưỡng'])}. Xác nhận nhập học trực tuyến trước {date_of(r)} trên cổng tuyển sinh của trường.",
        f"SMAS: Diem kiem tra giua ky mon {r.choice(['Toan', 'Van', 'Anh'])} cua hoc sinh {r.choice(NAMES)}: {r.randrange(5, 11)}. GVCN {school}.",
        f"{school} thông báo thời khóa biểu tuần {r.randrange(1, 20)} đã cập nhật. Phụ huynh xem trên ứng dụng vnEdu Connect.",
        f"Nhà trường thông báo thu học phí học kỳ {r.randrange(1, 3)}: {money(r, 500, 9000)}. Phụ huynh nộp qua ứng dụng ngân hàng theo mã học sinh hoặc tại phòng tài vụ trước {date_of(r)}.",
    ])


def l_gov_app(r):
    return r.choice([
        "Tải và sử dụng Ứng dụng Công dân số để thực hiện thủ tục hành chính, thanh toán trực tuyến và nhận thông báo từ chính quyền. Tải tại App Store hoặc Google Play.",
        f"Bo Cong an: Tu {date_of(r)}, cong dan co the dung tai khoan dinh danh dien tu muc 2 tren ung dung VNeID thay the the can cuoc khi lam thu tuc. Tuyet doi khong cung cap ma OTP cho nguoi khac.",
        f"So Y te thong bao: tiem chung mo rong cho tre duoi 5 tuoi ngay {date_of(r)} tai tram y te xa {r.choice(PLACES)}.",
        f"Cuc Thue thong bao: Quyet toan thue TNCN nam 2025 thuc hien truc tuyen tren ung dung eTax Mobile hoac thuedientu.gdt.gov.vn truoc {date_of(r)}.",
        "Bộ TT&TT khuyến cáo: Cảnh giác với tin nhắn, cuộc gọi lừa đảo. Phản ánh tin nhắn rác gửi 5656, cuộc gọi rác gọi 156.",
        f"BHXH {r.choice(PLACES)}: Hãy cài đặt ứng dụng VssID để tra cứu quá trình đóng bảo hiểm xã hội, bảo hiểm y tế. Hỗ trợ: 1900 9068.",
    ])


LEGIT = [("chat", l_chat), ("carrier_kyc", l_carrier_kyc), ("device", l_device), 
    ("balance", l_balance), ("otp", l_otp), ("carrier", l_carrier), ("delivery", l_delivery),
    ("gov", l_gov), ("utility", l_utility), ("personal", l_personal), ("bank_notice", l_bank_notice),
    ("work", l_work), ("carrier_promo", l_carrier_promo), ("shop_promo", l_shop_promo),
    ("bank_promo", l_bank_promo), ("school", l_school), ("gov_app", l_gov_app),
]
# legitimate kinds that must never be flagged get more examples
LEGIT_WEIGHT = {"balance": 3, "otp": 3, "carrier": 2, "delivery": 2, "personal": 2, "carrier_kyc": 2, "device": 2, "chat": 3,
                "carrier_promo": 3, "shop_promo": 2, "bank_promo": 2, "school": 2, "gov_app": 1}


def unaccent(text):
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


TEEN = [("không", "ko"), ("chuyển khoản", "ck"), ("số tài khoản", "stk"), ("tài khoản", "tk"),
        ("được", "dc"), ("Zalo", "zl"), ("số điện thoại", "sđt"), ("nhé", "nhe"), ("gì", "j")]


def teencode(r, text):
    for full, short in TEEN:
        if full in text and r.random() < 0.7:
            text = text.replace(full, short)
    return text


HOMOGLYPHS = {"a": "а", "o": "о", "e": "е", "c": "с", "p": "р", "x": "х", "i": "і"}
EVASION_WORDS = ["vietcombank", "techcombank", "otp", "nhận thưởng", "trúng thưởng", "chuyển khoản",
                 "khóa", "xác thực", "tài khoản", "mật khẩu", "đăng nhập", "VNeID"]


def evade(r, text):
    trick = r.randrange(4)
    lower = text.lower()
    targets = [w for w in EVASION_WORDS if w.lower() in lower]
    if trick == 0 and targets:
        word = r.choice(targets)
        at = lower.index(word.lower())
        original = text[at:at + len(word)]
        sep = r.choice([".", " ", "-", "_"])
        spaced = "  ".join(sep.join(part) for part in original.split(" "))
        return text[:at] + spaced + text[at + len(word):]
    if trick == 1:
        out = []
        for ch in text:
            out.append(ch)
            if ch.isalpha() and r.random() < 0.15:
                out.append(r.choice(["\u200b", "\u200c", "\u00ad", "\u2060"]))
        return "".join(out)
    if trick == 2:
        return "".join(HOMOGLYPHS[ch] if ch in HOMOGLYPHS and r.random() < 0.3 else ch for ch in text)
    return text.upper() if r.random() < 0.5 else text


def surface(r, text, scam, informal):
    roll = r.random()
    if roll < 0.35:
        text = unaccent(text)
    if informal and r.random() < 0.5:
        text = teencode(r, text)
    if scam and r.random() < 0.2:
        text = evade(r, text)
    if r.random() < 0.1:
        text = text.replace(". ", ".\n", 1)
    return text


def main():
    r = random.Random(SEED)
    rows = []
    seen = set()

    def add(text, label, method, key):
        if text in seen:
            return
        seen.add(text)
        rows.append({"text": text, "label": label, "method": method, "source": f"synthetic:{key}",
                     "origin": "synthetic"})

    for key, method, make in SCAM:
        for _ in range(PER_TEMPLATE * 2):
            add(surface(r, make(r), True, key in {"borrow", "relative", "shipper", "otp", "wrong_transfer"}),
                "scam", method, key)
    for key, make in LEGIT:
        for _ in range(PER_TEMPLATE * 4 * LEGIT_WEIGHT.get(key, 1)):
            add(surface(r, make(r), False, key in {"personal", "chat"}), "legit", None, key)
    r.shuffle(rows)
    out = Path(__file__).with_name("synthetic.jsonl")
    with out.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    scams = sum(1 for x in rows if x["label"] == "scam")
    print(f"{out}: {len(rows)} messages ({scams} scam, {len(rows) - scams} legitimate)", file=sys.stderr)


if __name__ == "__main__":
    main()
