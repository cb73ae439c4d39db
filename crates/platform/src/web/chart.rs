//! 条形图 The one horizontal bar chart of the platform, drawn on the server as SVG (no
//! JavaScript, no CDN): the mediation figures and the survey results use it.
//!
//! Each bar carries its label above it and its value as text after it, so the numbers
//! are readable without the drawing (and by screen readers through the text elements).
//! A bar is either one dark bar, or a light bar for a whole with a dark bar for the part
//! of it (排查数 and 化解数).

use askama::Template;

/// Chart geometry (SVG user units; the chart scales to the screen width).
const CHART_WIDTH: i64 = 340;
const BAR_MAX: i64 = 220;
const ROW_HEIGHT: i64 = 34;

/// What a bar shows: `whole` (and `part` of it, for a two-tone bar) in the same unit,
/// and `value`, the text printed after the bar.
#[derive(Debug, Clone)]
pub struct BarItem {
    pub label: String,
    pub whole: i64,
    pub part: Option<i64>,
    pub value: String,
}

/// One bar as drawn.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub value: String,
    pub y_text: i64,
    pub y_bar: i64,
    pub y_value: i64,
    /// Width of the whole bar.
    pub whole: i64,
    /// Width of the dark part bar, for a two-tone bar.
    pub part: Option<i64>,
}

/// A horizontal bar chart: `id` and `label` (the `aria-label`) of its `<svg>`.
#[derive(Debug, Clone, Template)]
#[template(path = "chart_bars.html")]
pub struct Chart {
    pub id: String,
    pub label: String,
    pub width: i64,
    pub height: i64,
    pub bars: Vec<Bar>,
}

impl Chart {
    /// Bars scaled to the largest value (a bar of a non-zero value is at least 1 unit wide).
    pub fn new(id: &str, label: &str, items: Vec<BarItem>) -> Chart {
        let max = items.iter().map(|i| i.whole.max(i.part.unwrap_or(0))).max().unwrap_or(0).max(1);
        let scale = |n: i64| if n <= 0 { 0 } else { (n.saturating_mul(BAR_MAX) / max).max(1) };
        let bars = items
            .into_iter()
            .enumerate()
            .map(|(i, item)| {
                let top = i as i64 * ROW_HEIGHT;
                Bar {
                    label: item.label,
                    value: item.value,
                    y_text: top + 12,
                    y_bar: top + 17,
                    y_value: top + 26,
                    whole: scale(item.whole),
                    part: item.part.map(scale),
                }
            })
            .collect::<Vec<_>>();
        Chart { id: id.to_string(), label: label.to_string(), width: CHART_WIDTH, height: bars.len() as i64 * ROW_HEIGHT + 4, bars }
    }

    pub fn is_empty(&self) -> bool {
        self.bars.is_empty()
    }

    /// The `<svg>` element (labels and values escaped), for `{{ chart.svg()|safe }}`.
    pub fn svg(&self) -> String {
        self.render().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_escapes_and_prints_the_numbers() {
        let c = Chart::new(
            "c1",
            "图 <1>",
            vec![
                BarItem { label: "甲 <b>".into(), whole: 10, part: Some(5), value: "10 · 50%".into() },
                BarItem { label: "乙".into(), whole: 0, part: None, value: "0".into() },
                BarItem { label: "丙".into(), whole: 1, part: None, value: "1".into() },
            ],
        );
        assert_eq!(c.bars[0].whole, BAR_MAX);
        assert_eq!(c.bars[0].part, Some(BAR_MAX / 2));
        assert_eq!(c.bars[1].whole, 0);
        assert_eq!(c.bars[2].whole, 22);
        assert_eq!(c.height, 3 * ROW_HEIGHT + 4);
        let svg = c.svg();
        assert!(svg.starts_with("<svg class=\"chart\" id=\"c1\""), "{svg}");
        assert!(svg.contains("aria-label=\"图 &#60;1&#62;\"") || svg.contains("aria-label=\"图 &lt;1&gt;\""), "{svg}");
        assert!(svg.contains("甲 &#60;b&#62;") || svg.contains("甲 &lt;b&gt;"), "{svg}");
        assert!(svg.contains(">10 · 50%</text>"), "{svg}");
        assert_eq!(svg.matches("<rect").count(), 4, "{svg}");
    }
}
