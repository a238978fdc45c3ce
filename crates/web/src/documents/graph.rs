//! The drawing of a ring: reports (circles) and the identifiers they share (squares),
//! laid out by a deterministic force-directed layout (Fruchterman–Reingold) and
//! written as an SVG that needs no script. Written here because the chart crates
//! (plotters) draw plots, not graphs; the layout is ~40 lines.

use std::fmt::Write;

/// Width and height of the drawing, in SVG units.
pub const WIDTH: f64 = 800.0;
/// Height.
pub const HEIGHT: f64 = 560.0;
const MARGIN: f64 = 40.0;
const ITERATIONS: usize = 200;

/// One node to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Shown in the tooltip and, for identifiers, as a label.
    pub label: String,
    /// A report (circle) or an identifier (square).
    pub report: bool,
    /// CSS class (`kind-phone`, `golden`, ...).
    pub class: String,
    /// Link target.
    pub href: Option<String>,
}

/// Positions of nodes after the layout, inside the margins.
pub fn layout(n: usize, edges: &[(usize, usize)]) -> Vec<(f64, f64)> {
    if n == 0 {
        return Vec::new();
    }
    let (w, h) = (WIDTH - 2.0 * MARGIN, HEIGHT - 2.0 * MARGIN);
    let k = (w * h / n as f64).sqrt() * 0.8;
    // A golden-angle spiral: spread out, deterministic.
    let mut pos: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let r = (i as f64 + 0.5).sqrt() / (n as f64).sqrt();
            let a = i as f64 * 2.399_963;
            (
                w / 2.0 + r * a.cos() * w / 2.0,
                h / 2.0 + r * a.sin() * h / 2.0,
            )
        })
        .collect();
    let mut disp = vec![(0.0f64, 0.0f64); n];
    for step in 0..ITERATIONS {
        let t = (w / 10.0) * (1.0 - step as f64 / ITERATIONS as f64) + 0.5;
        disp.iter_mut().for_each(|d| *d = (0.0, 0.0));
        for i in 0..n {
            for j in (i + 1)..n {
                let (dx, dy) = (pos[i].0 - pos[j].0, pos[i].1 - pos[j].1);
                let d = (dx * dx + dy * dy).sqrt().max(0.01);
                let f = k * k / d;
                disp[i].0 += dx / d * f;
                disp[i].1 += dy / d * f;
                disp[j].0 -= dx / d * f;
                disp[j].1 -= dy / d * f;
            }
        }
        for &(a, b) in edges {
            let (dx, dy) = (pos[a].0 - pos[b].0, pos[a].1 - pos[b].1);
            let d = (dx * dx + dy * dy).sqrt().max(0.01);
            let f = d * d / k;
            disp[a].0 -= dx / d * f;
            disp[a].1 -= dy / d * f;
            disp[b].0 += dx / d * f;
            disp[b].1 += dy / d * f;
        }
        for (p, d) in pos.iter_mut().zip(&disp) {
            let len = (d.0 * d.0 + d.1 * d.1).sqrt().max(0.01);
            p.0 = (p.0 + d.0 / len * len.min(t)).clamp(0.0, w);
            p.1 = (p.1 + d.1 / len * len.min(t)).clamp(0.0, h);
        }
    }
    pos.into_iter()
        .map(|(x, y)| (x + MARGIN, y + MARGIN))
        .collect()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

/// The SVG of a graph; `title` and `desc` describe it for screen readers.
pub fn svg(nodes: &[Node], edges: &[(usize, usize)], title: &str, desc: &str) -> String {
    let pos = layout(nodes.len(), edges);
    let mut out = String::with_capacity(256 + nodes.len() * 160 + edges.len() * 80);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" class=\"ring-graph\" role=\"img\" aria-labelledby=\"ring-graph-title ring-graph-desc\"><title id=\"ring-graph-title\">{}</title><desc id=\"ring-graph-desc\">{}</desc><g class=\"edges\">",
        escape(title),
        escape(desc)
    );
    for &(a, b) in edges {
        let _ = write!(
            out,
            "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\"/>",
            pos[a].0, pos[a].1, pos[b].0, pos[b].1
        );
    }
    out.push_str("</g><g class=\"nodes\">");
    for (node, (x, y)) in nodes.iter().zip(&pos) {
        if let Some(href) = &node.href {
            let _ = write!(out, "<a href=\"{}\">", escape(href));
        }
        if node.report {
            let _ = write!(
                out,
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"7\" class=\"report {}\"><title>{}</title></circle>",
                escape(&node.class),
                escape(&node.label)
            );
        } else {
            let _ = write!(
                out,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"12\" height=\"12\" class=\"ident {}\"><title>{}</title></rect><text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                x - 6.0,
                y - 6.0,
                escape(&node.class),
                escape(&node.label),
                x + 9.0,
                y + 4.0,
                escape(&short(&node.label, 22))
            );
        }
        if node.href.is_some() {
            out.push_str("</a>");
        }
    }
    out.push_str("</g></svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_is_deterministic_inside_the_frame_and_pulls_links_together() {
        // Two stars of 6 reports around one identifier each.
        let n = 14;
        let mut edges = Vec::new();
        for r in 0..6 {
            edges.push((r, 12));
            edges.push((6 + r, 13));
        }
        let a = layout(n, &edges);
        assert_eq!(a, layout(n, &edges));
        for (x, y) in &a {
            assert!(
                (MARGIN..=WIDTH - MARGIN).contains(x) && (MARGIN..=HEIGHT - MARGIN).contains(y)
            );
        }
        let dist =
            |i: usize, j: usize| ((a[i].0 - a[j].0).powi(2) + (a[i].1 - a[j].1).powi(2)).sqrt();
        let linked: f64 = (0..6).map(|r| dist(r, 12)).sum::<f64>() / 6.0;
        let across: f64 = (0..6).map(|r| dist(r, 13)).sum::<f64>() / 6.0;
        assert!(linked < across, "linked {linked:.0} vs across {across:.0}");
    }

    #[test]
    fn labels_are_escaped_and_shortened() {
        let nodes = vec![
            Node {
                label: "CG-AAAA-BBBB".into(),
                report: true,
                class: "golden".into(),
                href: Some("/console/bao-cao/1".into()),
            },
            Node {
                label: "<script>&\"x\" trang-web-rat-rat-dai-qua.top".into(),
                report: false,
                class: "kind-url".into(),
                href: None,
            },
        ];
        let s = svg(&nodes, &[(0, 1)], "Đường dây", "2 nút");
        assert!(s.starts_with("<svg") && s.ends_with("</svg>"));
        assert!(!s.contains("<script>"));
        assert!(s.contains("&lt;script&gt;&amp;&quot;x&quot;"));
        assert!(s.contains('…'));
        assert_eq!(s.matches("<line").count(), 1);
        assert!(svg(&[], &[], "t", "d").contains("</svg>"));
    }
}
