// The popup: loads the feed (from the address in ?feed=, else the one saved, else the
// default server), keeps it in the extension's storage, judges the active tab's address
// or the one typed.
"use strict";

const DEFAULT_FEED = "https://canhgiac.example/api/v1/extension/feed";
const WORDS = {
  dangerous: ["Nguy hiểm: trang lừa đảo đã được công an xác minh", "Đừng nhập mật khẩu, mã OTP hay chuyển tiền trên trang này."],
  suspicious: ["Đáng ngờ: nhiều người đã báo cáo trang này", "Đừng nhập thông tin hay chuyển tiền; kiểm tra qua kênh chính thức."],
  lookalike: ["Giả mạo", "Địa chỉ này bắt chước trang chính thức nhưng không phải. Đừng đăng nhập hay chuyển tiền."],
  official: ["Trang chính thức", "Địa chỉ thuộc trang chính thức. Vẫn đừng cung cấp mã OTP cho bất kỳ ai."],
  risky_tld: ["Chưa có báo cáo, nhưng tên miền thường bị kẻ gian dùng", "Hãy cẩn thận; tra cứu đầy đủ trước khi nhập thông tin."],
  unknown: ["Chưa có báo cáo", "Điều đó không có nghĩa là an toàn: đừng chuyển tiền cho người lạ."],
};
const TECHNIQUES = {
  tld_swap: "đổi đuôi tên miền", homoglyph: "ký tự trông giống", hyphenation: "thêm dấu gạch nối",
  combosquatting: "ghép thêm chữ", subdomain_abuse: "tên thật nằm trong tên miền phụ",
};

let feed = null;

async function loadFeed() {
  const state = document.getElementById("feed-state");
  const asked = new URLSearchParams(location.search).get("feed");
  const url = asked || DEFAULT_FEED;
  try {
    const answer = await fetch(url, { cache: "no-cache" });
    if (!answer.ok) throw new Error("HTTP " + answer.status);
    feed = await answer.json();
    if (feed.format !== "canhgiac.extension_feed" || feed.format_version !== 1) throw new Error("định dạng lạ");
    state.textContent = `Danh sách phiên bản ${feed.version}: ${feed.rules.brands.length} thương hiệu, ${feed.domains.length} trang bị cảnh báo.`;
  } catch (e) {
    state.textContent = "Không tải được danh sách (" + e.message + ").";
  }
}

function show(input) {
  const box = document.getElementById("answer");
  let verdict;
  try {
    verdict = judge(feed, input);
  } catch (e) {
    verdict = { level: "invalid" };
  }
  const [title, text] = WORDS[verdict.level] || ["Địa chỉ không hợp lệ", "Hãy nhập một địa chỉ trang web."];
  box.dataset.level = verdict.level;
  document.getElementById("answer-title").textContent =
    verdict.level === "lookalike" ? `${title} ${verdict.brand} (${TECHNIQUES[verdict.technique] || verdict.technique})`
      : verdict.level === "official" ? `${title}: ${verdict.brand}` : title;
  document.getElementById("answer-text").textContent = text;
  const link = document.getElementById("answer-link");
  link.href = (feed && feed.check_url ? feed.check_url : "#") + "?q=" + encodeURIComponent(input);
  box.hidden = false;
}

document.getElementById("check").addEventListener("submit", (event) => {
  event.preventDefault();
  if (feed) show(document.getElementById("address").value);
});

loadFeed().then(() => {
  if (feed && typeof chrome !== "undefined" && chrome.tabs) {
    chrome.tabs.query({ active: true, currentWindow: true }, (tabs) => {
      if (tabs[0] && tabs[0].url && tabs[0].url.startsWith("http")) {
        document.getElementById("address").value = tabs[0].url;
        show(tabs[0].url);
      }
    });
  }
});
