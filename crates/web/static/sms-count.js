// Live SMS segment count for the bulletin composer (the page works without it: the
// server counts again on every save). Same rules as canhgiac_core::sms.
(function () {
  "use strict";
  var BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  var EXT = "\f^{}\\[~]|€";
  function length(text) {
    var chars = Array.from(text.replace(/\r\n/g, "\n"));
    var gsm = chars.every(function (c) { return BASIC.indexOf(c) >= 0 || EXT.indexOf(c) >= 0; });
    var costs = chars.map(function (c) {
      if (gsm) { return EXT.indexOf(c) >= 0 ? 2 : 1; }
      return c.length; // UTF-16 code units
    });
    var units = costs.reduce(function (a, b) { return a + b; }, 0);
    var single = gsm ? 160 : 70, per = gsm ? 153 : 67;
    if (units === 0) { return { gsm: gsm, units: 0, segments: 0, remaining: single }; }
    if (units <= single) { return { gsm: gsm, units: units, segments: 1, remaining: single - units }; }
    var segments = 1, used = 0;
    costs.forEach(function (c) { if (used + c > per) { segments += 1; used = 0; } used += c; });
    return { gsm: gsm, units: units, segments: segments, remaining: per - used };
  }
  var vi = document.documentElement.lang !== "en";
  document.querySelectorAll("textarea[data-sms]").forEach(function (area) {
    var out = document.getElementById(area.getAttribute("aria-describedby"));
    if (!out) { return; }
    var plain = area.getAttribute("data-sms") === "plain";
    function update() {
      var l = length(area.value);
      var text = l.segments + (vi ? " tin · " : " messages · ") + l.units + (vi ? " ký tự · " : " characters · ") +
        (l.gsm ? "GSM-7" : "UCS-2") + (vi ? " · còn " : " · left ") + l.remaining;
      var bad = plain && (!l.gsm || l.segments > 2);
      if (bad) { text += vi ? " · Tin không dấu phải dùng GSM-7 và tối đa 2 tin." : " · The plain SMS must be GSM-7 and at most 2 messages."; }
      out.textContent = text;
      out.classList.toggle("over", bad);
    }
    area.addEventListener("input", update);
  });
})();
