//! Bar charts drawn as inline SVG by the server: no script, nothing the
//! content-security policy would have to allow. A chart is a list of bars,
//! each a stack of segments; the geometry is computed here and the
//! template only writes the rectangles. Colours come from the stylesheet
//! (`.series-N`).

/// Height of the plotting area in SVG units.
const HEIGHT: u32 = 160;
/// Width of one bar and its gap.
const SLOT: u32 = 36;
/// Room at the left for the axis figures.
const LEFT: u32 = 44;

/// One stacked bar.
pub(crate) struct Bar {
    pub label: String,
    /// Values per series, in series order.
    pub values: Vec<u64>,
}

/// A drawn rectangle.
pub(crate) struct Rect {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
    pub series: usize,
    pub title: String,
}

/// A label under a bar.
pub(crate) struct Tick {
    pub x: u32,
    pub text: String,
}

/// A chart ready for the template.
pub(crate) struct Chart {
    pub width: u32,
    pub height: u32,
    pub base: u32,
    pub left: u32,
    pub top_value: u64,
    pub rects: Vec<Rect>,
    pub ticks: Vec<Tick>,
    pub series: Vec<(usize, String)>,
}

/// Lays out `bars` stacked by `series` (names in order).
pub(crate) fn stacked(series: &[String], bars: &[Bar]) -> Chart {
    let top_value = bars.iter().map(|b| b.values.iter().sum::<u64>()).max().unwrap_or(0).max(1);
    let scale = |value: u64| u32::try_from(value * u64::from(HEIGHT) / top_value).unwrap_or(HEIGHT);
    let mut rects = Vec::new();
    let mut ticks = Vec::new();
    for (index, bar) in bars.iter().enumerate() {
        let x = LEFT + u32::try_from(index).unwrap_or(0) * SLOT + 4;
        let mut stacked = 0u64;
        for (series_index, value) in bar.values.iter().enumerate().filter(|(_, v)| **v > 0) {
            let bottom = HEIGHT + 10 - scale(stacked);
            stacked += value;
            let top = HEIGHT + 10 - scale(stacked);
            rects.push(Rect {
                x,
                y: top,
                width: SLOT - 8,
                height: (bottom - top).max(1),
                series: series_index % 8,
                title: format!("{} · {}: {value}", bar.label, series.get(series_index).map_or("", String::as_str)),
            });
        }
        ticks.push(Tick { x: x + (SLOT - 8) / 2, text: bar.label.clone() });
    }
    Chart {
        width: LEFT + u32::try_from(bars.len()).unwrap_or(0) * SLOT + 8,
        height: HEIGHT + 40,
        base: HEIGHT + 10,
        left: LEFT,
        top_value,
        rects,
        ticks,
        series: series.iter().cloned().enumerate().map(|(i, name)| (i % 8, name)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_stack_in_proportion_to_the_tallest() {
        let series = vec!["bkn".to_owned(), "lpsk".to_owned()];
        let bars = vec![
            Bar { label: "01".into(), values: vec![30, 10] },
            Bar { label: "02".into(), values: vec![0, 20] },
            Bar { label: "03".into(), values: vec![0, 0] },
        ];
        let chart = stacked(&series, &bars);
        assert_eq!(chart.top_value, 40);
        assert_eq!(chart.rects.len(), 3, "empty segments are not drawn");
        let first: Vec<u32> = chart.rects.iter().take(2).map(|r| r.height).collect();
        assert_eq!(first, [120, 40], "30 and 10 of 40 over 160 units");
        assert_eq!(chart.rects[0].y + chart.rects[0].height, chart.base, "stacks stand on the axis");
        assert_eq!(chart.rects[1].y + chart.rects[1].height, chart.rects[0].y, "the second sits on the first");
        assert_eq!(chart.rects[2].height, 80);
        assert_eq!(chart.ticks.len(), 3);
        assert!(chart.rects[1].title.contains("lpsk: 10"));
    }

    #[test]
    fn an_empty_chart_has_no_bars_and_no_division_by_zero() {
        let chart = stacked(&[], &[]);
        assert!(chart.rects.is_empty() && chart.top_value == 1);
    }
}
