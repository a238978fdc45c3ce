// canhgiac's offline website rules (docs/partners.md, "Extension feed"): the feed's
// dangerous domains and a subset of the server's lookalike rules. No network use.
"use strict";

function hostOf(input) {
  const text = input.trim();
  const url = new URL(text.includes("://") ? text : "http://" + text);
  let host = url.hostname.toLowerCase().replace(/\.+$/, "");
  if (host.startsWith("www.")) host = host.slice(4);
  return host;
}

function registrableOf(host, rules) {
  const labels = host.split(".");
  const lastTwo = labels.slice(-2).join(".");
  const n = rules.two_label_suffixes.includes(lastTwo) ? 3 : 2;
  return labels.slice(-n).join(".");
}

function underDomain(host, domain) {
  return host === domain || host.endsWith("." + domain);
}

// The feed's answer on a website: {level, brand?, technique?, domain?}.
function judge(feed, input) {
  const rules = feed.rules;
  const host = hostOf(input);
  for (const d of feed.domains) {
    if (underDomain(host, d.domain)) return { level: d.level, domain: d.domain, since: d.since };
  }
  for (const b of rules.brands) {
    if (b.official.some((d) => underDomain(host, d))) return { level: "official", brand: b.name };
  }
  const byLabel = new Map();
  for (const b of rules.brands) for (const l of b.labels) if (!byLabel.has(l)) byLabel.set(l, b);
  const registrable = registrableOf(host, rules);
  const label = registrable.split(".")[0];
  const found = (b, technique) => ({ level: "lookalike", brand: b.name, technique });
  if (byLabel.has(label)) return found(byLabel.get(label), "tld_swap");
  const plain = [...label].map((c) => rules.look_alikes[c] || c).join("")
    .replaceAll("rn", "m").replaceAll("vv", "w");
  if (plain !== label && byLabel.has(plain)) return found(byLabel.get(plain), "homoglyph");
  const joined = label.replaceAll("-", "");
  if (joined !== label && byLabel.has(joined)) return found(byLabel.get(joined), "hyphenation");
  for (const [name, b] of byLabel) {
    const at = joined.indexOf(name);
    if (at < 0 || name === joined) continue;
    const rest = joined.slice(0, at) + joined.slice(at + name.length);
    const restIsWord = rules.combo_words.some((w) => rest === w || rest.startsWith(w) || rest.endsWith(w));
    if ((name.length >= rules.min_embedded_label && /[a-z]/.test(rest)) || restIsWord) {
      return found(b, "combosquatting");
    }
  }
  const left = host.slice(0, Math.max(0, host.length - registrable.length - 1));
  for (const part of left ? left.split(".") : []) {
    if (byLabel.has(part)) return found(byLabel.get(part), "subdomain_abuse");
  }
  const tld = host.split(".").pop();
  return { level: rules.risky_tlds.includes(tld) ? "risky_tld" : "unknown" };
}

if (typeof module !== "undefined") module.exports = { judge, hostOf };
