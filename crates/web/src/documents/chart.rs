//! Charts drawn with plotters into SVG (no script, readable on a phone).

use canhgiac_core::i18n::Lang;
use plotters::prelude::*;
use time::Date;

/// The weekly median time from a report to its hold request, in hours, as a line with
/// points; empty when there is nothing to draw.
pub fn weekly_hours(medians: &[(Date, i64, usize)], lang: Lang) -> String {
    if medians.is_empty() {
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
    if labels.is_empty() || series.is_empty() {
        return String::new();
    }
    let n = labels.len();
    // Counts: a whole number of reports at the top, ticks on whole numbers.
    let most = series
        .iter()
        .flat_map(|(_, v)| v.iter().copied())
        .max()
        .unwrap_or(1)
        .max(1);
    let top = (most as f64 * 1.15).ceil().max(2.0);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (720, 340)).into_drawing_area();
        if root.fill(&WHITE).is_err() {
            return String::new();
        }
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
            .y_label_formatter(&|y| format!("{}", y.round() as i64))
            .y_labels(if top <= 10.0 { top as usize + 1 } else { 10 })
            .y_desc(lang.pick("báo cáo", "reports"))
            .draw();
        for (i, (name, values)) in series.iter().enumerate() {
            let colour = LINE_COLOURS[i % LINE_COLOURS.len()];
            let width = if i == 0 { 3 } else { 2 };
            let points: Vec<(f64, f64)> = values
                .iter()
                .enumerate()
                .map(|(x, v)| (x as f64, f64::from(*v)))
                .collect();
            if let Ok(drawn) =
                chart.draw_series(LineSeries::new(points, colour.stroke_width(width)))
            {
                drawn.label(name.clone()).legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(3))
                });
            }
        }
        if let Some((_, total)) = series.first() {
            let _ = chart.draw_series(spikes.iter().filter_map(|&i| {
                total.get(i).map(|v| {
                    Circle::new(
                        (i as f64, f64::from(*v)),
                        7,
                        RGBColor(185, 28, 28).stroke_width(2),
                    )
                })
            }));
        }
        let _ = chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .position(SeriesLabelPosition::UpperLeft)
            .draw();
        let _ = root.present();
    }
    svg.replacen(
        "<svg ",
        &format!(
            "<svg role=\"img\" aria-label=\"{}\" class=\"chart\" viewBox=\"0 0 720 340\" preserveAspectRatio=\"xMidYMid meet\" ",
            caption
        ),
        1,
    )
}

/// Horizontal bars, one per labelled count, largest first as given. Empty when
/// there is nothing to draw.
pub fn bars(caption: &str, rows: &[(String, u64)], lang: Lang) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let n = rows.len();
    let most = rows.iter().map(|(_, v)| *v).max().unwrap_or(1).max(1) as f64;
    let height = 60 + 26 * n as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (720, height)).into_drawing_area();
        if root.fill(&WHITE).is_err() {
            return String::new();
        }
        let built = ChartBuilder::on(&root)
            .caption(caption, ("sans-serif", 16))
            .margin(12)
            .x_label_area_size(24)
            .y_label_area_size(250)
            .build_cartesian_2d(0f64..most * 1.1, 0f64..n as f64);
        let Ok(mut chart) = built else {
            return String::new();
        };
        let _ = chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .y_label_formatter(&|y| {
                // bar i sits between n-i-1 and n-i, its label at the middle
                let i = n as f64 - y - 0.5;
                if (i - i.round()).abs() < 0.01 && i >= 0.0 {
                    rows.get(i.round() as usize)
                        .map(|(l, _)| short(l, 34))
                        .unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .x_label_formatter(&|x| format!("{}", x.round() as i64))
            .x_desc(lang.pick("báo cáo", "reports"))
            .draw();
        let _ = chart.draw_series(rows.iter().enumerate().map(|(i, (_, v))| {
            let top = (n - i) as f64 - 0.15;
            Rectangle::new(
                [(0.0, top - 0.7), (*v as f64, top)],
                LINE_COLOURS[0].filled(),
            )
        }));
        let _ = root.present();
    }
    svg.replacen(
        "<svg ",
        &format!(
            "<svg role=\"img\" aria-label=\"{caption}\" class=\"chart\" viewBox=\"0 0 720 {height}\" preserveAspectRatio=\"xMidYMid meet\" "
        ),
        1,
    )
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
