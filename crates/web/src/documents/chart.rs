//! Charts drawn with plotters into SVG (no script, readable on a phone).

use canhgiac_core::i18n::Lang;
use plotters::coord::Shift;
use plotters::prelude::*;
use time::Date;

/// The weekly median time from a report to its hold request, in hours, as a line with
/// points; empty when there is nothing to draw.
pub fn weekly_hours(medians: &[(Date, i64, usize)], lang: Lang) -> String {
    if medians.is_empty() || !*FONTS_REGISTERED {
        return String::new();
    }
    let hours: Vec<f64> = medians.iter().map(|(_, s, _)| *s as f64 / 3600.0).collect();
    let top = hours.iter().cloned().fold(1.0f64, f64::max) * 1.15;
    let labels: Vec<String> = medians
        .iter()
        .map(|(d, _, _)| format!("{:02}/{:02}", d.day(), u8::from(d.month())))
        .collect();
    let n = medians.len();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (720, 300)).into_drawing_area();
        if root.fill(&WHITE).is_err() {
            return String::new();
        }
        let caption = lang.pick(
            "Trung vị thời gian từ báo cáo đến đề nghị tạm giữ (giờ), theo tuần",
            "Median time from report to hold request (hours), by week",
        );
        let built = ChartBuilder::on(&root)
            .caption(caption, ("sans-serif", 16))
            .margin(12)
            .x_label_area_size(32)
            .y_label_area_size(48)
            .build_cartesian_2d(0f64..(n.max(2) - 1) as f64, 0f64..top);
        let Ok(mut chart) = built else {
            return String::new();
        };
        let _ = chart
            .configure_mesh()
            .x_labels(n.min(12))
            .x_label_formatter(&|x| {
                let i = x.round() as usize;
                labels.get(i).cloned().unwrap_or_default()
            })
            .y_desc(lang.pick("giờ", "hours"))
            .draw();
        let points: Vec<(f64, f64)> = hours
            .iter()
            .enumerate()
            .map(|(i, h)| (i as f64, *h))
            .collect();
        let _ = chart.draw_series(LineSeries::new(
            points.clone(),
            RGBColor(29, 79, 145).stroke_width(2),
        ));
        let _ = chart.draw_series(
            points
                .iter()
                .map(|p| Circle::new(*p, 4, RGBColor(176, 0, 32).filled())),
        );
        let _ = root.present();
    }
    // Scale with the page and say what it shows.
    svg.replacen(
        "<svg ",
        &format!(
            "<svg role=\"img\" aria-label=\"{}\" class=\"chart\" viewBox=\"0 0 720 300\" preserveAspectRatio=\"xMidYMid meet\" ",
            lang.pick("Biểu đồ trung vị theo tuần", "Weekly medians chart")
        ),
        1,
    )
}

/// Colours of the lines of [`weekly_lines`], in order.
const LINE_COLOURS: [RGBColor; 5] = [
    RGBColor(17, 24, 39),
    RGBColor(185, 28, 28),
    RGBColor(29, 79, 145),
    RGBColor(21, 128, 61),
    RGBColor(161, 98, 7),
];

/// Weekly counts as lines (the first one thicker: the total), with a legend; weeks
/// marked in `spikes` (by index) get a ring. Empty when there is nothing to draw.
pub fn weekly_lines(
    weeks: &[Date],
    series: &[(String, Vec<u32>)],
    spikes: &[usize],
    lang: Lang,
) -> String {
    let labels: Vec<String> = weeks
        .iter()
        .map(|d| format!("{:02}/{:02}", d.day(), u8::from(d.month())))
        .collect();
    lines(
        lang.pick("Số báo cáo theo tuần", "Reports per week"),
        &labels,
        series,
        spikes,
        lang,
    )
}

/// Fonts that plotters measures and draws text with (its `ab_glyph` backend knows
/// no system font): Noto Sans, registered once as "sans-serif".
static FONTS_REGISTERED: once_cell::sync::Lazy<bool> = once_cell::sync::Lazy::new(|| {
    const REGULAR: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
    const BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Bold.ttf");
    plotters::style::register_font("sans-serif", FontStyle::Normal, REGULAR).is_ok()
        && plotters::style::register_font("sans-serif", FontStyle::Bold, BOLD).is_ok()
});

/// A chart that can be drawn on any plotters backend: into SVG for the pages, into
/// PNG for documents.
pub trait Drawing {
    /// Width and height in pixels at scale 1.
    fn size(&self) -> (u32, u32);
    /// What it shows (the SVG's label).
    fn caption(&self) -> &str;
    /// Draws on `root`, every length multiplied by `scale`; false when it could not.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, scale: u32) -> bool;
}

/// The chart as an SVG that scales with the page; empty when it could not be drawn.
pub fn svg(chart: &impl Drawing) -> String {
    if !*FONTS_REGISTERED {
        return String::new();
    }
    let (w, h) = chart.size();
    let mut svg = String::new();
    let drawn = {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        root.fill(&WHITE).is_ok() && chart.draw(&root, 1) && root.present().is_ok()
    };
    if !drawn {
        return String::new();
    }
    svg.replacen(
        "<svg ",
        &format!(
            "<svg role=\"img\" aria-label=\"{}\" class=\"chart\" viewBox=\"0 0 {w} {h}\" preserveAspectRatio=\"xMidYMid meet\" ",
            askama_escape(chart.caption())
        ),
        1,
    )
}

fn askama_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A chart rendered as PNG for a document.
pub struct Png {
    /// The encoded image.
    pub bytes: Vec<u8>,
    /// Its width in pixels.
    pub width: u32,
    /// Its height in pixels.
    pub height: u32,
}

/// The chart as a PNG at `scale` times its size (2 or 3 prints sharply); `None`
/// when it could not be drawn.
pub fn png(chart: &impl Drawing, scale: u32) -> Option<Png> {
    if !*FONTS_REGISTERED {
        return None;
    }
    let (w, h) = chart.size();
    let (width, height) = (w * scale, h * scale);
    let mut pixels = vec![255u8; width as usize * height as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (width, height)).into_drawing_area();
        if !(root.fill(&WHITE).is_ok() && chart.draw(&root, scale) && root.present().is_ok()) {
            return None;
        }
    }
    let image = image::RgbImage::from_raw(width, height, pixels)?;
    let mut bytes = std::io::Cursor::new(Vec::new());
    image.write_to(&mut bytes, image::ImageFormat::Png).ok()?;
    Some(Png {
        bytes: bytes.into_inner(),
        width,
        height,
    })
}

/// Counts as lines over labelled points (the first line thicker), with a legend;
/// points marked in `spikes` (by index) get a ring.
pub struct Lines<'a> {
    /// The title above.
    pub caption: &'a str,
    /// One label per point.
    pub labels: &'a [String],
    /// Named lines, each a count per point.
    pub series: &'a [(String, Vec<u32>)],
    /// Points of the first line to ring.
    pub spikes: &'a [usize],
    /// The vertical axis ("reports").
    pub unit: &'a str,
}

impl Drawing for Lines<'_> {
    fn size(&self) -> (u32, u32) {
        (720, 340)
    }

    fn caption(&self) -> &str {
        self.caption
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, scale: u32) -> bool {
        let (labels, series) = (self.labels, self.series);
        if labels.is_empty() || series.is_empty() {
            return false;
        }
        let k = scale.max(1);
        let n = labels.len();
        // Counts: a whole number of reports at the top, ticks on whole numbers.
        let most = series
            .iter()
            .flat_map(|(_, v)| v.iter().copied())
            .max()
            .unwrap_or(1)
            .max(1);
        let top = (most as f64 * 1.15).ceil().max(2.0);
        let mut builder = ChartBuilder::on(root);
        if !self.caption.is_empty() {
            builder.caption(self.caption, ("sans-serif", 16 * k));
        }
        let built = builder
            .margin(12 * k)
            .x_label_area_size(32 * k)
            .y_label_area_size(48 * k)
            .build_cartesian_2d(0f64..(n.max(2) - 1) as f64, 0f64..top);
        let Ok(mut chart) = built else {
            return false;
        };
        let label_style = ("sans-serif", 12 * k).into_font();
        let drawn = chart
            .configure_mesh()
            .x_labels(n.min(12))
            .x_label_formatter(&|x| {
                let i = x.round() as usize;
                labels.get(i).cloned().unwrap_or_default()
            })
            .y_label_formatter(&|y| format!("{}", y.round() as i64))
            .y_labels(if top <= 10.0 { top as usize + 1 } else { 10 })
            .label_style(label_style.clone())
            .axis_desc_style(label_style)
            .y_desc(self.unit)
            .draw();
        if drawn.is_err() {
            return false;
        }
        for (i, (name, values)) in series.iter().enumerate() {
            let colour = LINE_COLOURS[i % LINE_COLOURS.len()];
            let width = if i == 0 { 3 * k } else { 2 * k };
            let points: Vec<(f64, f64)> = values
                .iter()
                .enumerate()
                .map(|(x, v)| (x as f64, f64::from(*v)))
                .collect();
            if let Ok(drawn) =
                chart.draw_series(LineSeries::new(points, colour.stroke_width(width)))
            {
                drawn.label(name.clone()).legend(move |(x, y)| {
                    PathElement::new(
                        vec![(x, y), (x + 18 * k as i32, y)],
                        colour.stroke_width(3 * k),
                    )
                });
            }
        }
        if let Some((_, total)) = series.first() {
            let _ = chart.draw_series(self.spikes.iter().filter_map(|&i| {
                total.get(i).map(|v| {
                    Circle::new(
                        (i as f64, f64::from(*v)),
                        7 * k,
                        RGBColor(185, 28, 28).stroke_width(2 * k),
                    )
                })
            }));
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .label_font(("sans-serif", 12 * k))
            .legend_area_size(28 * k)
            .position(SeriesLabelPosition::UpperLeft)
            .draw()
            .is_ok()
    }
}

/// Counts as lines over labelled points (the first line thicker), with a legend;
/// points marked in `spikes` (by index) get a ring. Empty when there is nothing to
/// draw.
pub fn lines(
    caption: &str,
    labels: &[String],
    series: &[(String, Vec<u32>)],
    spikes: &[usize],
    lang: Lang,
) -> String {
    svg(&Lines {
        caption,
        labels,
        series,
        spikes,
        unit: lang.pick("báo cáo", "reports"),
    })
}

/// Horizontal bars, one per labelled count, largest first as given.
pub struct Bars<'a> {
    /// The title above.
    pub caption: &'a str,
    /// Label and count of each bar.
    pub rows: &'a [(String, u64)],
    /// The horizontal axis ("reports").
    pub unit: &'a str,
}

impl Drawing for Bars<'_> {
    fn size(&self) -> (u32, u32) {
        (720, 60 + 26 * self.rows.len() as u32)
    }

    fn caption(&self) -> &str {
        self.caption
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, scale: u32) -> bool {
        let rows = self.rows;
        if rows.is_empty() {
            return false;
        }
        let k = scale.max(1);
        let n = rows.len();
        let most = rows.iter().map(|(_, v)| *v).max().unwrap_or(1).max(1) as f64;
        let mut builder = ChartBuilder::on(root);
        if !self.caption.is_empty() {
            builder.caption(self.caption, ("sans-serif", 16 * k));
        }
        // one segment per bar, the first row at the top; labels sit at the centres
        let built = builder
            .margin(12 * k)
            .x_label_area_size(24 * k)
            .y_label_area_size(250 * k)
            // a discrete range includes its end: 0..=n-1 is n segments
            .build_cartesian_2d(0f64..most * 1.1, (0..(n - 1) as u32).into_segmented());
        let Ok(mut chart) = built else {
            return false;
        };
        let label_style = ("sans-serif", 12 * k).into_font();
        let drawn = chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .y_label_formatter(&|y| match y {
                SegmentValue::CenterOf(j) if (*j as usize) < n => rows
                    .get(n - 1 - *j as usize)
                    .map(|(l, _)| short(l, 34))
                    .unwrap_or_default(),
                _ => String::new(),
            })
            .x_label_formatter(&|x| format!("{}", x.round() as i64))
            .label_style(label_style.clone())
            .axis_desc_style(label_style)
            .x_desc(self.unit)
            .draw();
        if drawn.is_err() {
            return false;
        }
        chart
            .draw_series(rows.iter().enumerate().map(|(i, (_, v))| {
                let j = (n - 1 - i) as u32;
                let mut bar = Rectangle::new(
                    [
                        (0.0, SegmentValue::Exact(j)),
                        (*v as f64, SegmentValue::Exact(j + 1)),
                    ],
                    LINE_COLOURS[0].filled(),
                );
                bar.set_margin(4 * k, 4 * k, 0, 0);
                bar
            }))
            .is_ok()
    }
}

/// Horizontal bars, one per labelled count, largest first as given. Empty when
/// there is nothing to draw.
pub fn bars(caption: &str, rows: &[(String, u64)], lang: Lang) -> String {
    svg(&Bars {
        caption,
        rows,
        unit: lang.pick("báo cáo", "reports"),
    })
}

fn short(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_string()
    } else {
        let cut: String = label.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_chart_is_an_svg_with_a_point_per_week() {
        let svg = weekly_hours(
            &[
                (date!(2026 - 11 - 16), 7_200, 3),
                (date!(2026 - 11 - 23), 3_600, 5),
                (date!(2026 - 11 - 30), 1_800, 2),
            ],
            Lang::Vi,
        );
        assert!(
            svg.starts_with("<svg role=\"img\""),
            "{}",
            &svg[..svg.len().min(200)]
        );
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(svg.contains("23/11"));
        assert!(weekly_hours(&[], Lang::Vi).is_empty());
    }

    #[test]
    fn a_png_chart_is_drawn_at_the_scale_asked() {
        let rows = vec![
            ("Giả danh công an".to_string(), 12u64),
            ("Việc nhẹ lương cao".to_string(), 5),
        ];
        let chart = Bars {
            caption: "Thủ đoạn",
            rows: &rows,
            unit: "báo cáo",
        };
        let drawn = png(&chart, 2).expect("drawn");
        assert_eq!((drawn.width, drawn.height), (1440, 2 * (60 + 26 * 2)));
        let decoded = image::load_from_memory(&drawn.bytes).expect("a PNG");
        assert_eq!(decoded.width(), 1440);
        // some pixels are the bar colour, most are white
        let rgb = decoded.to_rgb8();
        let dark = rgb.pixels().filter(|p| p.0 == [17, 24, 39]).count();
        assert!(dark > 1000, "{dark} bar pixels");
        assert!(png(
            &Bars {
                caption: "x",
                rows: &[],
                unit: ""
            },
            2
        )
        .is_none());
    }

    #[test]
    fn weekly_lines_draw_one_path_per_series_and_ring_the_spikes() {
        let weeks = [
            date!(2026 - 11 - 09),
            date!(2026 - 11 - 16),
            date!(2026 - 11 - 23),
        ];
        let svg = weekly_lines(
            &weeks,
            &[
                ("Tổng".into(), vec![3, 4, 20]),
                ("Giả danh công an".into(), vec![1, 1, 12]),
            ],
            &[2],
            Lang::Vi,
        );
        assert!(svg.starts_with("<svg role=\"img\""));
        assert!(svg.contains("Giả danh công an") && svg.contains("23/11"));
        assert_eq!(svg.matches("<circle").count(), 1);
        assert!(weekly_lines(&[], &[], &[], Lang::Vi).is_empty());
    }
}
